// Times Steward's fairness audit on a Parquet file made by bench/data-gen/make-audit-data.js:
//   node bench/fairness-audit.js FILE [--mode audit|bare] [--repeat N] [--weight] [--score]
//        [--bootstrap R] [--out AUDIT.json]
// --mode audit (default): `auditJob`, the code path of `steward audit` (one GROUP BY pushed down to
//   DuckDB with the validation aggregates, then every AIF360 and Fairlearn metric from the 30 cells),
//   privileged group sex=Male, race=White, age_band=25-45. --weight/--score add those columns.
//   --bootstrap R also times seeded bootstrap intervals (R replicates) of every metric and group rate.
//   --out writes the last audit (JSON-safe) for the side-by-side check with Fairlearn.
// --mode bare: a bare DuckDB `SELECT sex, race, age_band, count(*), sum(...) GROUP BY ...` over the
//   same file (confusion counts, no casts or checks): the floor the audit is compared with.
// Prints one JSON line: cold (first) time, median and min of the repeats, peak RSS of this process.
// Run each mode in its own process so peak RSS is its own (bench/fairness-run-all.js does).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataEngine } from '../dist/data/index.js';
import { bootstrapIntervals } from '../dist/fairness/bootstrap.js';
import { auditMetricValues, fairnessAuditToJson } from '../dist/fairness/index.js';
import { auditJob } from '../dist/jobs/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1];
};
const file = resolve(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '');
const mode = flag('mode', 'audit');
const repeat = Number(flag('repeat', '5'));
const weighted = args.includes('--weight');
const scored = args.includes('--score');
const bootstrap = Number(flag('bootstrap', '0'));
const out = flag('out', undefined);

const PROTECTED = ['sex', 'race', 'age_band'];
const PRIVILEGED = { sex: 'Male', race: 'White', age_band: '25-45' };
const mb = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB

async function timed(fn) {
  const times = [];
  let last;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push((performance.now() - t0) / 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { last, times, cold: times[0], median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] };
}

const result = { bench: `fairness-${mode}`, file: file.replace(`${process.cwd()}/`, ''), repeat };
if (mode === 'audit') {
  const options = {
    data: file,
    label: 'label',
    positive: '1',
    prediction: 'prediction',
    protected: PROTECTED,
    privileged: PRIVILEGED,
    ...(weighted ? { weight: 'weight' } : {}),
    ...(scored ? { score: 'score' } : {}),
  };
  const t = await timed(() => auditJob(options));
  const audit = t.last;
  Object.assign(result, {
    weighted,
    scored,
    rows: audit.rows,
    groups: audit.groups.length,
    metrics: Object.keys(audit.metrics).length,
    coldSeconds: t.cold,
    medianSeconds: t.median,
    minSeconds: t.min,
    seconds: t.times,
    statistical_parity_difference: audit.metrics.statistical_parity_difference,
    demographic_parity_difference: audit.metrics.demographic_parity_difference,
    equalized_odds_difference: audit.metrics.equalized_odds_difference,
  });
  if (bootstrap > 0) {
    const t0 = performance.now();
    const intervals = bootstrapIntervals(audit.counts, (c) => auditMetricValues(c, PRIVILEGED), {
      replicates: bootstrap,
      seed: 0,
    });
    result.bootstrap = {
      replicates: bootstrap,
      intervals: Object.keys(intervals).length,
      seconds: (performance.now() - t0) / 1000,
    };
  }
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(fairnessAuditToJson(audit))}\n`);
} else if (mode === 'bare') {
  const path = `'${file.replaceAll("'", "''")}'`;
  const w = weighted ? 'weight' : '1';
  const sql = `SELECT sex, race, age_band, count(*) AS n,
      sum(${w} * label * prediction) AS tp, sum(${w} * (1 - label) * prediction) AS fp,
      sum(${w} * (1 - label) * (1 - prediction)) AS tn, sum(${w} * label * (1 - prediction)) AS fn
    FROM read_parquet(${path}) GROUP BY sex, race, age_band`;
  const t = await timed(async () => {
    const engine = await DataEngine.open();
    try {
      return await engine.rows(sql);
    } finally {
      engine.close();
    }
  });
  Object.assign(result, {
    weighted,
    rows: t.last.reduce((a, r) => a + Number(r.n), 0),
    groups: t.last.length,
    coldSeconds: t.cold,
    medianSeconds: t.median,
    minSeconds: t.min,
    seconds: t.times,
  });
} else {
  throw new Error(`--mode must be 'audit' or 'bare'. Got '${mode}' instead.`);
}
result.peakRssMB = mb();
console.log(JSON.stringify(result));
