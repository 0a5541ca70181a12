// ExponentiatedGradient(DemographicParity) and ExponentiatedGradient(EqualizedOdds) with
// LogisticRegression on Adult, following ../shared/reference/fairness/mitigation.md: adult.data only
// (rows with '?' dropped: 30,162; fnlwgt ignored), 70/30 split stratified on the label (seed 0), encoder
// fitted on the training rows, protected attribute sex. Times `fit` on the training rows (Fairlearn
// v0.12: 5.07 s and 2.95 s) and reports test accuracy, DPD and EO difference of the seeded randomized
// predictions and of the expected (mixture) predictions. Run `npm run build` first:
//   node bench/mitigation-reductions.js [--cases dp,eo]
import { join } from 'node:path';
import { applyEncoder, datasetsDir, fitEncoder, openDataset, presetSpec } from '../dist/data/index.js';
import { DemographicParity, EqualizedOdds, ExponentiatedGradient } from '../dist/fairness/index.js';
import { LogisticRegression } from '../dist/models/index.js';

const FAIRLEARN = { dp: 5.07, eo: 2.95 };

/** Loads the train and test design of adult.data with the sex column of each row. */
async function loadAdult() {
  const spec = { ...presetSpec('adult'), path: join(datasetsDir(), 'adult.data') };
  const ds = await openDataset(spec);
  try {
    await ds.split({ testFraction: 0.3, seed: 0, stratifyBy: [spec.label] });
    const { numeric, categorical } = ds.featureColumns();
    const read = async (part) => {
      const batch = await ds.read([...numeric, ...categorical, 'sex'], part);
      return { batch, y: await ds.labels(part), sex: batch.columns.sex.map((v) => String(v)) };
    };
    const train = await read('train');
    const test = await read('test');
    const encoder = fitEncoder(train.batch, { numeric, categorical });
    return {
      train: { X: applyEncoder(encoder, train.batch), y: train.y, sex: train.sex },
      test: { X: applyEncoder(encoder, test.batch), y: test.y, sex: test.sex },
    };
  } finally {
    ds.close();
  }
}

/** Accuracy, DPD = max − min selection rate and EO diff = max(TPR gap, FPR gap) over groups. */
function metrics(p, y, sex) {
  const cells = new Map();
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    correct += y[i] === 1 ? p[i] : 1 - p[i];
    const c = cells.get(sex[i]) ?? { n: 0, sel: 0, pos: 0, tp: 0, neg: 0, fp: 0 };
    c.n++;
    c.sel += p[i];
    if (y[i] === 1) {
      c.pos++;
      c.tp += p[i];
    } else {
      c.neg++;
      c.fp += p[i];
    }
    cells.set(sex[i], c);
  }
  const spread = (f) => {
    const v = [...cells.values()].map(f);
    return Math.max(...v) - Math.min(...v);
  };
  const selection = Object.fromEntries([...cells].map(([g, c]) => [g, round(c.sel / c.n)]));
  return {
    accuracy: round(correct / y.length),
    selection,
    dpd: round(spread((c) => c.sel / c.n)),
    eoDiff: round(
      Math.max(
        spread((c) => c.tp / c.pos),
        spread((c) => c.fp / c.neg),
      ),
    ),
  };
}

const round = (v) => Math.round(v * 1e4) / 1e4;

const arg = process.argv.indexOf('--cases');
const cases = arg > 0 ? process.argv[arg + 1].split(',') : ['dp', 'eo'];
const { train, test } = await loadAdult();
for (const name of cases) {
  const constraints = name === 'dp' ? new DemographicParity() : new EqualizedOdds();
  const eg = new ExponentiatedGradient({ estimator: () => new LogisticRegression(), constraints, seed: 0 });
  const start = performance.now();
  await eg.fit(train.X, train.y, train.sex);
  const seconds = (performance.now() - start) / 1000;
  const s = eg.summary;
  console.log(
    JSON.stringify({
      case: `eg-${name}`,
      trainRows: train.X.rows,
      cols: train.X.cols,
      seconds: round(seconds),
      fairlearnSeconds: FAIRLEARN[name],
      oracleCalls: s.oracleCalls,
      iterations: s.lastIter + 1,
      bestGap: s.bestGap,
      nu: s.nu,
      trainMaxViolation: s.maxViolation,
      warnings: s.warnings,
      testSampled: metrics(await eg.predict(test.X), test.y, test.sex),
      testExpected: metrics(await eg.predictProba(test.X), test.y, test.sex),
    }),
  );
}
