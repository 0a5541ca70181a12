// Membership inference on Adult: the loss-threshold attack (Yeom et al. 2018) and LiRA (Carlini et al. 2022)
// against an overfitting MLP and against LogisticRegression. Protocol: adult.data (rows with '?' dropped),
// a seeded pool of --pool rows (default 4,000), encoder fitted on the pool, the target model trained on a
// seeded random half of it (members); the other half are the non-members. LiRA trains --shadows (default
// 16) shadow models of the same kind on random halves of the pool (each row IN for exactly half of them).
// Prints a table and, with --json, one JSON line per case. Run `npm run build` first:
//   node bench/membership.js [--pool 4000] [--shadows 16] [--cases mlp,lr] [--lira online,offline] [--json]
// Other benches (e.g. DP-SGD) can import `loadAdultPool` and `auditOnAdult` and pass their own trainer.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, take, takeRows } from '../dist/core/index.js';
import { applyEncoder, datasetsDir, fitEncoder, openDataset, presetSpec } from '../dist/data/index.js';
import { LogisticRegression, MLPClassifier } from '../dist/models/index.js';
import { likelihoodRatioAttack, lossThresholdAttack } from '../dist/privacy/index.js';

/** The models audited: an MLP trained to overfit (no early stopping, no penalty) and L2 logistic regression. */
export const MODELS = {
  mlp: {
    name: 'MLP [64], 150 epochs, no early stopping, α = 0',
    train: (X, y, seed) =>
      new MLPClassifier({
        hiddenLayerSizes: [64],
        maxEpochs: 150,
        earlyStopping: false,
        nIterNoChange: 1000,
        alpha: 0,
        learningRate: 0.003,
        batchSize: 100,
        seed,
      }).fit(X, y),
  },
  lr: {
    name: 'LogisticRegression C = 1',
    train: (X, y, seed) => new LogisticRegression({ C: 1, seed }).fit(X, y),
  },
};

/** A seeded pool of `pool` encoded Adult rows, a seeded random half of them marked as members. */
export async function loadAdultPool(pool = 4000) {
  const spec = { ...presetSpec('adult'), path: join(datasetsDir(), 'adult.data') };
  const ds = await openDataset(spec);
  try {
    const { numeric, categorical } = ds.featureColumns();
    const batch = await ds.read([...numeric, ...categorical], 'all');
    const yAll = await ds.labels('all');
    const encoder = fitEncoder(batch, { numeric, categorical });
    const XAll = applyEncoder(encoder, batch);
    const rng = new Rng(0);
    const rows = rng.permutation(XAll.rows).subarray(0, pool);
    const X = takeRows(XAll, rows);
    const y = take(yAll, rows);
    const isMember = new Uint8Array(pool);
    for (const i of rng.permutation(pool).subarray(0, pool / 2)) isMember[i] = 1;
    return { X, y, isMember, totalRows: XAll.rows };
  } finally {
    ds.close();
  }
}

/** Rows of `data` whose membership flag equals `flag`. */
function side(data, flag) {
  const idx = [];
  for (let i = 0; i < data.isMember.length; i++) if (data.isMember[i] === flag) idx.push(i);
  return { X: takeRows(data.X, idx), y: take(data.y, idx) };
}

/** Accuracy of a model on labelled rows. */
async function accuracy(model, rows) {
  const pred = await model.predict(rows.X);
  let hits = 0;
  for (let i = 0; i < pred.length; i++) hits += pred[i] === rows.y[i] ? 1 : 0;
  return hits / pred.length;
}

const fmt = (v, digits = 3) => (typeof v === 'number' ? v.toFixed(digits) : String(v));

/**
 * Trains the target model (`model.train(X, y, seed)`) on the pool's members and runs the loss attack and
 * LiRA (shadows from the same trainer); resolves to one row per attack (audit plus accuracies and seconds).
 */
export async function auditOnAdult(data, model, { shadows = 16, variants = ['online', 'offline'] } = {}) {
  const members = side(data, 1);
  const nonMembers = side(data, 0);
  const results = [];
  const started = performance.now();
  const target = await model.train(members.X, members.y, 1);
  const trainAcc = await accuracy(target, members);
  const testAcc = await accuracy(target, nonMembers);
  const loss = await lossThresholdAttack({ model: target, members, nonMembers });
  const lossSeconds = (performance.now() - started) / 1000;
  results.push({ model: model.name, trainAcc, testAcc, seconds: lossSeconds, ...loss.audit });
  for (const variant of variants) {
    const liraStart = performance.now();
    const lira = await likelihoodRatioAttack({
      targetModel: target,
      data: { X: data.X, y: data.y },
      isMember: data.isMember,
      trainShadow: model.train,
      shadowModels: shadows,
      variant,
      seed: 0,
    });
    const liraSeconds = (performance.now() - liraStart) / 1000;
    results.push({ model: model.name, trainAcc, testAcc, seconds: liraSeconds, ...lira.audit });
  }
  return results;
}

/** Prints the results as a Markdown table. */
export function printTable(results) {
  console.log(
    '| model | train acc | test acc | attack | AUC | TPR@1%FPR | TPR@0.1%FPR | advantage | ε lb (max) | ε lb (held-out) | s |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.model} | ${fmt(r.trainAcc)} | ${fmt(r.testAcc)} | ${r.attack}${r.yeom ? ` (Yeom adv ${fmt(r.yeom.advantage)})` : ''} | ${fmt(r.auc)} | ${fmt(r.tprAt1PctFpr)} | ${fmt(r.tprAt01PctFpr)} | ${fmt(r.advantage)} | ${fmt(r.epsilonLowerBound, 2)} | ${fmt(r.epsilonLowerBoundHeldOut, 2)} | ${fmt(r.seconds, 1)} |`,
    );
  }
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : fallback;
  };
  const pool = Number(option('pool', 4000));
  const shadows = Number(option('shadows', 16));
  const variants = option('lira', 'online,offline').split(',');
  const data = await loadAdultPool(pool);
  const results = [];
  for (const key of option('cases', 'mlp,lr').split(',')) {
    results.push(...(await auditOnAdult(data, MODELS[key], { shadows, variants })));
  }
  console.log(
    `Adult pool: ${pool} of ${data.totalRows} rows (${pool / 2} members, ${pool / 2} non-members); LiRA K = ${shadows}; δ = 1e-5, 95% Clopper–Pearson`,
  );
  printTable(results);
  if (args.includes('--json')) for (const r of results) console.log(JSON.stringify({ ...r, roc: undefined }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
