// Counterfactual explanations (DiCE-style, src/explain/counterfactuals) on German credit: a logistic-regression
// pipeline trained on the 750 training rows of the seeded split, the first --rows refused test applicants
// explained with each method (k = 4, immutable: sex, age; the training rows are the `data` option).
// Prints the time per explanation, model rows scored and the mean DiCE metrics. Run `npm run build` first:
//   node bench/explain-counterfactuals.js [--rows 20] [--count 4] [--json]
import { parseArgs } from 'node:util';
import { applyEncoder, fitEncoder, openDataset, presetSpec } from '../dist/data/index.js';
import { counterfactuals, pipelineModel, takeBatchRows } from '../dist/explain/index.js';
import { LogisticRegression } from '../dist/models/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '20' },
    count: { type: 'string', default: '4' },
    json: { type: 'boolean' },
  },
});
const rows = Number(values.rows);
const count = Number(values.count);

const ds = await openDataset(presetSpec('german'));
await ds.split({ testFraction: 0.25, seed: 0 });
const { numeric, categorical } = ds.featureColumns();
const columns = [...numeric, ...categorical];
const train = await ds.read(columns, 'train');
const test = await ds.read(columns, 'test');
const encoder = fitEncoder(train, { numeric, categorical });
const model = pipelineModel(
  encoder,
  await new LogisticRegression().fit(applyEncoder(encoder, train), await ds.labels('train')),
);
ds.close();
const p = await model.predictProba(test);
const refused = Array.from(p.keys())
  .filter((i) => p[i] < 0.5)
  .slice(0, rows);

const mean = (xs) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
console.log(
  `German credit, LR pipeline, ${refused.length} refused test rows, k = ${count}, immutable sex, age, age_group`,
);
for (const method of ['genetic', 'random']) {
  const times = [];
  const results = [];
  for (const [seed, i] of refused.entries()) {
    const started = performance.now();
    const r = await counterfactuals(model, takeBatchRows(test, [i]), {
      data: train,
      method,
      count,
      seed,
      constraints: { immutable: ['sex', 'age', 'age_group'] },
    });
    times.push(performance.now() - started);
    results.push(r);
  }
  const m = (key) => mean(results.map((r) => r.metrics[key]).filter((v) => v !== null));
  const summary = {
    method,
    msPerExplanation: mean(times),
    maxMs: Math.max(...times),
    evaluations: mean(results.map((r) => r.evaluations)),
    found: results.filter((r) => r.found).length / results.length,
    validity: m('validity'),
    proximity: m('proximity'),
    continuousProximity: m('continuousProximity'),
    categoricalProximity: m('categoricalProximity'),
    sparsity: m('sparsity'),
    meanFeaturesChanged: m('meanFeaturesChanged'),
    diversity: m('diversity'),
    countDiversity: m('countDiversity'),
  };
  if (values.json) console.log(JSON.stringify(summary));
  else {
    console.log(
      `${method.padEnd(8)} ${summary.msPerExplanation.toFixed(1)} ms/explanation (max ${summary.maxMs.toFixed(0)}), ` +
        `${summary.evaluations.toFixed(0)} rows scored, found ${(summary.found * 100).toFixed(0)}%, ` +
        `validity ${summary.validity.toFixed(3)}, proximity ${summary.proximity.toFixed(3)} ` +
        `(cont ${summary.continuousProximity.toFixed(3)}, cat ${summary.categoricalProximity.toFixed(3)}), ` +
        `sparsity ${summary.sparsity.toFixed(3)} (${summary.meanFeaturesChanged.toFixed(2)} features), ` +
        `diversity ${summary.diversity.toFixed(3)}, count-diversity ${summary.countDiversity.toFixed(3)}`,
    );
  }
}
