// Times Steward's SHAP explainers on the bundled German credit data (1,000 rows), issue 6:
//   node bench/explain-shap.js [--background N] [--repeat N] [--threads 1|2] [--only kernel|permutation|linear]
// - kernelShap: all 1,000 rows × the first 12 feature columns of the German preset, LogisticRegression
//   pipeline, a background of N rows (default 10: the first N rows; shap advises summarising the
//   background to 10-100 rows), shap's default budget 2M + 2048 = 2,072 coalitions per row (M = 12
//   > 11, so sampled). Goal < 2 s. Coalition values take up to N × 2,072 × 1,000 model rows (fewer:
//   explained rows that agree on a coalition's kept features share its value); for scale, the bench also
//   times LogisticRegression.predictProba alone on all N × 2,072 × 1,000 rows. --threads is kernelShap's
//   option (default: 2 here, one worker thread beside the main one, since the built package is run).
// - linearShap: the same pipeline on 1,000,000 rows (the 1,000 rows repeated), background 100 rows.
//   Goal < 1 s.
// - permutationShap (10 antithetic orders) on the 1,000 rows, for comparison.
// Each figure: one warm-up call, then the median of `repeat` (default 3) timed calls. Prints one JSON line.
import { applyEncoder, fitEncoder, openDataset, presetSpec } from '../dist/data/index.js';
import { pipelineModel, takeBatchRows } from '../dist/explain/index.js';
import { kernelShap, linearShap, permutationShap } from '../dist/explain/shap/index.js';
import { LogisticRegression } from '../dist/models/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const backgroundRows = flag('background', 10);
const repeat = flag('repeat', 3);
const threads = flag('threads', undefined);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const skip = (name) => only !== undefined && only !== name;

async function timed(fn) {
  let last = await fn();
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: Number(times[times.length >> 1].toPrecision(3)), result: last };
}

const ds = await openDataset(presetSpec('german'));
let batch;
let y;
let numeric;
let categorical;
try {
  const cols = ds.featureColumns();
  const first12 = [...cols.numeric, ...cols.categorical].slice(0, 12);
  numeric = cols.numeric.filter((c) => first12.includes(c));
  categorical = cols.categorical.filter((c) => first12.includes(c));
  batch = await ds.read([...numeric, ...categorical]);
  y = await ds.labels();
} finally {
  ds.close();
}
const encoder = fitEncoder(batch, { numeric, categorical });
const lr = await new LogisticRegression({ C: 1 }).fit(applyEncoder(encoder, batch), y);
const model = pipelineModel(encoder, lr);
const range = (n, mod) => Array.from({ length: n }, (_, i) => i % mod);
const background = takeBatchRows(batch, range(backgroundRows, batch.rows));

const none = { seconds: null, result: {} };
const kernel = skip('kernel')
  ? none
  : await timed(() => kernelShap(model, batch, { background, seed: 0, threads }));
// The floor under kernelShap: the model's own predictProba on as many rows (2,072 × N × 1,000), in the
// same 2^18-cell chunks, with no coalition assembly at all.
const modelRows = kernel.result.method === undefined ? 0 : 2072 * backgroundRows * batch.rows;
const chunkRows = Math.floor(2 ** 18 / (encoder.outputNames.length * backgroundRows)) * backgroundRows;
const chunk = applyEncoder(encoder, takeBatchRows(batch, range(chunkRows, batch.rows)));
const modelOnly = skip('kernel')
  ? none
  : await timed(async () => {
      for (let done = 0; done < modelRows; done += chunkRows) await lr.predictProba(chunk);
      return {};
    });
const permutation = skip('permutation')
  ? none
  : await timed(() => permutationShap(model, batch, { background, seed: 0 }));
const million = takeBatchRows(batch, range(1_000_000, batch.rows));
const linear = skip('linear')
  ? none
  : await timed(() => linearShap(model, million, { background: takeBatchRows(batch, range(100, 1000)) }));

console.log(
  JSON.stringify({
    features: model.features.length,
    encoded_columns: encoder.outputNames.length,
    kernel_shap: {
      rows: batch.rows,
      background_rows: backgroundRows,
      threads: threads ?? 'default (2)',
      method: kernel.result.method,
      seconds: kernel.seconds,
      additivity_error: kernel.result.additivityError,
      goal_seconds: 2,
      coalition_model_rows_before_dedup: modelRows,
      lr_predict_proba_on_all_those_rows_seconds: modelOnly.seconds,
    },
    permutation_shap: {
      rows: batch.rows,
      background_rows: backgroundRows,
      permutations: 10,
      seconds: permutation.seconds,
      additivity_error: permutation.result.additivityError,
    },
    linear_shap: {
      rows: million.rows,
      background_rows: 100,
      seconds: linear.seconds,
      additivity_error: linear.result.additivityError,
      goal_seconds: 1,
    },
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
