// Runs every benchmark (never part of `npm test`) and prints JSON lines; `npm run bench`.
// Build first (`npm install` does). Figures go to BENCHMARKS.md with the date and machine.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const node = process.execPath;

function run(label, args, repeat = 1) {
  const times = [];
  let out = '';
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const r = spawnSync(node, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
    out = r.stdout;
  }
  times.sort((a, b) => a - b);
  return { out, median: times[Math.floor(times.length / 2)], min: times[0] };
}

console.log(
  JSON.stringify({
    machine: `${cpus().length} × ${cpus()[0]?.model}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  }),
);

const help = run('steward --help', ['bin/steward.js', '--help'], 7);
console.log(JSON.stringify({ bench: 'cli-help', medianSeconds: help.median, minSeconds: help.min }));

const start = run(
  'steward run',
  ['--expose-gc', 'bin/steward.js', 'run', '--out', 'bench/results/run', '--json'],
  3,
);
const summary = JSON.parse(start.out);
console.log(
  JSON.stringify({
    bench: 'steward-run-adult',
    medianSeconds: start.median,
    steps: summary.steps,
    accuracy: summary.metrics.accuracy,
    rocAuc: summary.metrics.rocAuc,
  }),
);

process.stdout.write(run('train', ['bench/train.js', '--loader', 'bench/adult-design.js']).out);
process.stdout.write(run('onnx', ['bench/onnx-inference.js']).out);

// The anchor, side by side on the same design matrix: scikit-learn from Debian's python3-sklearn.
const python = '/usr/bin/python3';
const hasSklearn = spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
if (hasSklearn) {
  const csv = 'bench/results/adult-design.csv';
  run('export design', ['bench/export-design.js', csv]);
  for (const c of ['sk-lr-default', 'sk-lr-tight', 'sk-mlp']) {
    const r = spawnSync(python, ['bench/anchors/sklearn_train.py', csv, c], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scikit-learn case ${c} failed: ${r.stderr}`);
    process.stdout.write(r.stdout);
  }
} else {
  console.log(
    JSON.stringify({
      bench: 'train-anchor',
      skipped: 'apt-get install python3-sklearn to run scikit-learn side by side',
    }),
  );
}
