// The fairness benchmarks (never part of `npm test`), each case in a fresh child process so its peak
// RSS is its own; prints JSON lines. Build first (`npm run build`).
//   node bench/fairness-run-all.js [--large 100M] [--skip-large] [--skip-anchor] [--force]
// 1M part: generate the file (+ CSV copy), Steward's audit (median of 5; also weighted with scores,
// and seeded bootstrap intervals), `steward audit --json` end to end, and Fairlearn's MetricFrame on
// the same rows (Debian's Python, ../shared/anchors/python), with the largest per-group difference.
// Large part: Steward's audit and a bare DuckDB GROUP BY at 1M, 10M and --large rows (default 100M):
// times, the ratio audit / GROUP BY, and the Node process's peak RSS at each size.
// Data files go to bench/results/ (gitignored) and are reused when present unless --force.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRows, rowsLabel } from './data-gen/make-audit-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const node = process.execPath;
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1];
};
const large = parseRows(flag('large', '100M'));
const force = args.includes('--force');
const rel = (p) => p.replace(`${root}/`, '');

function spawn(label, command, argv, env = process.env) {
  const t0 = performance.now();
  const r = spawnSync(command, argv, { cwd: root, encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}): ${r.stderr}`);
  return { out: r.stdout, seconds };
}

function json(label, command, argv, env) {
  const { out } = spawn(label, command, argv, env);
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const emit = (o) => console.log(JSON.stringify(o));
const data = (rows, csv = false) =>
  json('make-audit-data', node, [
    'bench/data-gen/make-audit-data.js',
    String(rows),
    ...(csv ? ['--csv'] : []),
    ...(force ? ['--force'] : []),
  ]);
const audit = (file, extra = []) =>
  json('fairness-audit', node, ['bench/fairness-audit.js', rel(file), ...extra]);

emit({
  machine: `${cpus().length} × ${cpus()[0]?.model}`,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
});

// ---- 1M rows: the full metric set, end to end, and Fairlearn side by side ----
const t1m = performance.now();
const gen1 = data(1e6, true);
emit(gen1);
const file1 = gen1.path;
const stewardJson = resolve(root, 'bench/results/steward-audit-1M.json');
const a1 = audit(file1, ['--repeat', '5', '--bootstrap', '1000', '--out', rel(stewardJson)]);
emit(a1);
emit(audit(file1, ['--repeat', '5', '--weight', '--score']));

const cliArgs = [
  'bin/steward.js',
  'audit',
  '--data',
  rel(file1),
  '--label',
  'label',
  '--positive',
  '1',
  '--prediction',
  'prediction',
  '--protected',
  'sex,race,age_band',
  '--privileged',
  'sex=Male,race=White,age_band=25-45',
  '--json',
];
const cliTimes = [0, 1, 2].map(() => spawn('steward audit', node, cliArgs).seconds).sort((a, b) => a - b);
emit({
  bench: 'fairness-cli-1M',
  command: `node ${cliArgs.join(' ')}`,
  medianSeconds: cliTimes[1],
  seconds: cliTimes,
});

const python = '/usr/bin/python3';
const anchors = resolve(root, '../shared/anchors/python');
const pyEnv = { ...process.env, PYTHONPATH: anchors };
const hasAnchor =
  !args.includes('--skip-anchor') &&
  existsSync(anchors) &&
  spawnSync(python, ['-c', 'import pandas, sklearn, fairlearn'], { env: pyEnv }).status === 0;
if (hasAnchor) {
  const fl = json(
    'fairlearn',
    python,
    ['bench/anchors/fairlearn_metricframe.py', rel(gen1.csv), '--steward', rel(stewardJson)],
    pyEnv,
  );
  emit(fl);
  emit({
    bench: 'fairness-vs-fairlearn-1M',
    stewardMedianSeconds: a1.medianSeconds,
    fairlearnComputeSeconds: fl.computeMedianSeconds,
    fairlearnLoadSeconds: fl.loadSeconds,
    speedup: fl.computeMedianSeconds / a1.medianSeconds,
    stewardPeakRssMB: a1.peakRssMB,
    fairlearnPeakRssMB: fl.peakRssMB,
    maxAbsDiffGroups: fl.vsSteward.maxAbsDiffGroups,
    maxAbsDiffDisparities: Math.max(...Object.values(fl.vsSteward.absDiffDisparities)),
    goals: {
      under1s: a1.medianSeconds < 1,
      tenTimesFaster: fl.computeMedianSeconds / a1.medianSeconds >= 10,
      equalNumbers:
        fl.vsSteward.missingInSteward.length === 0 &&
        fl.vsSteward.maxAbsDiffGroups <= 1e-9 &&
        Math.max(...Object.values(fl.vsSteward.absDiffDisparities)) <= 1e-9,
    },
  });
} else {
  emit({
    bench: 'fairness-fairlearn-metricframe',
    skipped: 'needs Debian python3-pandas/python3-sklearn and ../shared/anchors/python (Fairlearn)',
  });
}
emit({ bench: 'fairness-1M-part', seconds: (performance.now() - t1m) / 1000 });

// ---- scale: audit vs bare GROUP BY, and the Node process's memory as rows grow ----
if (!args.includes('--skip-large')) {
  const tLarge = performance.now();
  const sizes = [...new Set([1e6, 1e7, large])].sort((a, b) => a - b);
  const scale = [];
  for (const rows of sizes) {
    const gen = rows === 1e6 ? gen1 : data(rows);
    if (rows !== 1e6) emit(gen);
    const repeat = rows >= 5e7 ? '3' : '5';
    const a = audit(gen.path, ['--repeat', repeat]);
    const b = audit(gen.path, ['--mode', 'bare', '--repeat', repeat]);
    emit(a);
    emit(b);
    scale.push({
      rows: rowsLabel(rows),
      auditMedianSeconds: a.medianSeconds,
      bareGroupByMedianSeconds: b.medianSeconds,
      ratio: a.medianSeconds / b.medianSeconds,
      auditPeakRssMB: a.peakRssMB,
      barePeakRssMB: b.peakRssMB,
    });
  }
  const last = scale[scale.length - 1];
  emit({
    bench: 'fairness-scale',
    scale,
    goals: {
      [`within2xOfGroupByAt${last.rows}`]: last.ratio <= 2,
      // "flat": peak RSS at the largest size within 1.5× of the 1M figure.
      flatMemory: last.auditPeakRssMB <= 1.5 * scale[0].auditPeakRssMB,
    },
    seconds: (performance.now() - tLarge) / 1000,
  });
}
