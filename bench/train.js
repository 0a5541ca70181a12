// Training time and peak memory of LogisticRegression and MLPClassifier with threads = 1 and 2.
// Each case runs in a fresh child process so its peak RSS (process.resourceUsage().maxRSS, worker
// threads included) is its own. Prints one JSON line per case. Run `npm run build` first:
//   node bench/train.js [--data design.json] [--loader module.js] [--cases lr-1,mlp-2]
// Data: a module given with --loader whose default export (or `loadDesign`) resolves to { X, y }
// (X = { rows, cols, data: Float64Array }, y = Uint8Array); else the JSON given with --data or
// bench/data/adult-design.json ({ rows, cols, data: number[] row-major, y: number[] } or
// { X: number[][], y: number[] }); else a seeded synthetic Adult-sized problem (30,000 × 100).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Rng } from '../dist/core/index.js';
import { LogisticRegression, MLPClassifier } from '../dist/models/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_DATA = resolve(HERE, 'data/adult-design.json');

/** The benchmark cases: model factory per name. */
export const CASES = {
  'lr-1': () => new LogisticRegression({ C: 1, threads: 1 }),
  'lr-2': () => new LogisticRegression({ C: 1, threads: 2 }),
  'mlp-1': () => new MLPClassifier({ hiddenLayerSizes: [32], maxEpochs: 30, threads: 1 }),
  'mlp-2': () => new MLPClassifier({ hiddenLayerSizes: [32], maxEpochs: 30, threads: 2 }),
};

/** An Adult-sized synthetic design: 10 standardised numeric columns and 9 one-hot groups of 10. */
export function syntheticDesign(rows = 30_000, seed = 0) {
  const rng = new Rng(seed);
  const cols = 100;
  const data = new Float64Array(rows * cols);
  const y = new Uint8Array(rows);
  const beta = Float64Array.from({ length: cols }, () => rng.normal() * 0.5);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < 10; j++) data[base + j] = rng.normal();
    for (let g = 0; g < 9; g++) data[base + 10 + g * 10 + rng.int(10)] = 1;
    let z = -0.5 + Math.sin(2 * data[base]) + data[base + 1] * data[base + 2];
    for (let j = 0; j < cols; j++) z += beta[j] * data[base + j];
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { rows, cols, data }, y, source: `synthetic ${rows}x${cols} (seed ${seed})` };
}

/** Loads the design from a loader module, a JSON file, or falls back to `syntheticDesign()`. */
export async function loadDesign({ loader, data } = {}) {
  if (loader) {
    const mod = await import(pathToFileURL(resolve(loader)).href);
    const design = await (mod.loadDesign ?? mod.default)();
    return { ...design, source: design.source ?? loader };
  }
  const file = data ?? (existsSync(DEFAULT_DATA) ? DEFAULT_DATA : undefined);
  if (!file) return syntheticDesign();
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const rows = json.rows ?? json.X.length;
  const cols = json.cols ?? json.X[0].length;
  const values = json.data ? Float64Array.from(json.data) : Float64Array.from(json.X.flat());
  return { X: { rows, cols, data: values }, y: Uint8Array.from(json.y), source: file };
}

/** Fits one case in this process; returns its measurements. */
export async function runCase(name, design) {
  const model = CASES[name]();
  const rssBefore = process.memoryUsage().rss;
  let rssPeakSampled = rssBefore;
  const sampler = setInterval(() => {
    rssPeakSampled = Math.max(rssPeakSampled, process.memoryUsage().rss);
  }, 5);
  const started = process.hrtime.bigint();
  await model.fit(design.X, design.y);
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const predicted = await model.predict(design.X);
  const accuracy = predicted.reduce((n, p, i) => n + (p === design.y[i] ? 1 : 0), 0) / design.y.length;
  const mib = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    bench: 'train',
    case: name,
    model: model.constructor.name,
    threads: model.options.threads,
    rows: design.X.rows,
    cols: design.X.cols,
    data: design.source,
    fitSeconds: Math.round(fitSeconds * 1000) / 1000,
    nIter: model.nIter,
    trainAccuracy: Math.round(accuracy * 10_000) / 10_000,
    rssBeforeFitMiB: mib(rssBefore),
    peakRssSampledMiB: mib(rssPeakSampled),
    maxRssProcessMiB: mib(process.resourceUsage().maxRSS * 1024),
    node: process.version,
  };
}

function parseArgs(argv) {
  const args = {};
  for (let k = 0; k < argv.length; k++) {
    const key = argv[k].replace(/^--/, '');
    if (key === 'in-process') args.inProcess = true;
    else args[key] = argv[++k];
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const names = args.cases ? args.cases.split(',') : Object.keys(CASES);
  if (args.case) {
    // Child mode: one case, one JSON line.
    console.log(JSON.stringify(await runCase(args.case, await loadDesign(args))));
    return;
  }
  if (args.inProcess) {
    const design = await loadDesign(args);
    for (const name of names)
      console.log(JSON.stringify({ ...(await runCase(name, design)), isolated: false }));
    return;
  }
  const run = promisify(execFile);
  const passOn = ['data', 'loader'].flatMap((key) => (args[key] ? [`--${key}`, args[key]] : []));
  for (const name of names) {
    const { stdout } = await run(
      process.execPath,
      [fileURLToPath(import.meta.url), '--case', name, ...passOn],
      {
        maxBuffer: 1 << 20,
      },
    );
    process.stdout.write(stdout);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
