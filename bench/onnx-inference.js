// ONNX inference throughput (rows/s) of exported Steward pipelines through OnnxClassifier, at batch
// sizes 1 and 1024, for an Adult-like encoder (6 numeric, 8 categorical columns; 108 encoded columns)
// with a logistic and an MLP network. Prints one JSON line per measurement. Run `npm run build` first:
//   node bench/onnx-inference.js
import { Rng } from '../dist/core/index.js';
import { fitEncoder } from '../dist/data/index.js';
import { exportPipelineToOnnx, OnnxClassifier } from '../dist/models/onnx/index.js';

const NUMERIC = ['age', 'fnlwgt', 'education_num', 'capital_gain', 'capital_loss', 'hours_per_week'];
// Category counts as in the UCI Adult data set.
const CATEGORICAL = {
  workclass: 9,
  education: 16,
  marital_status: 7,
  occupation: 15,
  relationship: 6,
  race: 5,
  sex: 2,
  native_country: 42,
};
const SECONDS_PER_CASE = 2;
const WARM_UP_SECONDS = 0.5;

function adultLike(rows, seed) {
  const rng = new Rng(seed);
  const columns = {};
  for (const name of NUMERIC)
    columns[name] = Float64Array.from({ length: rows }, () => rng.normal() * 10 + 40);
  for (const [name, k] of Object.entries(CATEGORICAL)) {
    columns[name] = Array.from({ length: rows }, () => `${name}_${rng.int(k)}`);
  }
  return { rows, columns };
}

function slice(batch, start, end) {
  const columns = {};
  for (const [name, col] of Object.entries(batch.columns)) columns[name] = col.slice(start, end);
  return { rows: end - start, columns };
}

function network(sizes, seed) {
  const rng = new Rng(seed);
  const layers = sizes.slice(1).map((outputs, l) => {
    const inputs = sizes[l];
    const weights = Float64Array.from({ length: inputs * outputs }, () => rng.normal() / Math.sqrt(inputs));
    return { inputs, outputs, weights, bias: new Float64Array(outputs) };
  });
  return { layers, hiddenActivation: 'relu', outputActivation: 'sigmoid' };
}

/** Runs batches round-robin for `duration` seconds; returns the rows scored and the time taken. */
async function run(model, batches, duration) {
  let rows = 0;
  let k = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  while (seconds < duration) {
    const batch = batches[k++ % batches.length];
    await model.predictProbaBatch(batch);
    rows += batch.rows;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { rows, seconds };
}

const data = adultLike(16384, 1);
const encoder = fitEncoder(data, { numeric: NUMERIC, categorical: Object.keys(CATEGORICAL) });
const width = encoder.outputNames.length;
const networks = { logistic: network([width, 1], 2), mlp: network([width, 64, 32, 1], 3) };

for (const [name, net] of Object.entries(networks)) {
  const bytes = exportPipelineToOnnx({ encoder, network: net });
  const model = await OnnxClassifier.load(bytes);
  for (const batchSize of [1, 1024]) {
    const batches = [];
    for (let s = 0; s + batchSize <= data.rows; s += batchSize) batches.push(slice(data, s, s + batchSize));
    await run(model, batches, WARM_UP_SECONDS); // JIT, onnxruntime thread pool and allocator warm-up
    const { rows, seconds } = await run(model, batches, SECONDS_PER_CASE);
    console.log(
      JSON.stringify({
        bench: 'onnx-inference',
        model: name,
        encodedColumns: width,
        modelBytes: bytes.length,
        batch: batchSize,
        rows,
        seconds: Number(seconds.toFixed(3)),
        rowsPerSecond: Math.round(rows / seconds),
      }),
    );
  }
  await model.dispose();
}
