// Writes a synthetic fairness-audit data set as Parquet, generated inside DuckDB (no JS row loop):
//   node bench/data-gen/make-audit-data.js [ROWS] [OUT.parquet] [--csv] [--force]
// ROWS accepts 1000000, 1M, 30M, 100M (default 1M); OUT defaults to bench/results/audit-<ROWS>.parquet.
// Columns: sex (2 values), race (5), age_band (3) → 30 groups; label and prediction (0/1, rates
// depending on the group); score (P(ŷ = 1), 3 decimals, prediction = score >= 0.5); weight (0.50–1.49).
// Every value is a deterministic hash of the row number, so the file is the same on every run.
// --csv also writes OUT with .csv (for Python without pyarrow); an existing file with the requested
// row count is reused unless --force. Prints one JSON line.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataEngine } from '../../dist/data/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

export function parseRows(text) {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(String(text));
  if (m === null) throw new Error(`Rows must be a count like 1000000, 1M or 100M. Got '${text}' instead.`);
  const scale = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]];
  return Math.round(Number(m[1]) * scale);
}

export function rowsLabel(n) {
  return n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}

export function defaultPath(n) {
  return resolve(root, 'bench/results', `audit-${rowsLabel(n)}.parquet`);
}

/** The generating query: uniform draws u1..u6 in [0, 1) from hash(row, k). */
export function generatorSql(n) {
  const u = (k) => `(hash(i, ${k}) % 1000003)::DOUBLE / 1000003`;
  return `
WITH draws AS (
  SELECT i, ${u(1)} AS u1, ${u(2)} AS u2, ${u(3)} AS u3, ${u(4)} AS u4, ${u(5)} AS u5, ${u(6)} AS u6
  FROM range(${n}) AS t(i)
), groups AS (
  SELECT i, u4, u5, u6,
    CASE WHEN u1 < 0.67 THEN 'Male' ELSE 'Female' END AS sex,
    CASE WHEN u2 < 0.62 THEN 'White' WHEN u2 < 0.75 THEN 'Black' WHEN u2 < 0.85 THEN 'Hispanic'
         WHEN u2 < 0.93 THEN 'Asian' ELSE 'Other' END AS race,
    CASE WHEN u3 < 0.25 THEN '<25' WHEN u3 < 0.75 THEN '25-45' ELSE '>45' END AS age_band
  FROM draws
), rates AS (
  SELECT *, 0.22
    + CASE sex WHEN 'Male' THEN 0.12 ELSE 0 END
    + CASE race WHEN 'White' THEN 0.06 WHEN 'Asian' THEN 0.08 WHEN 'Black' THEN -0.05 ELSE 0 END
    + CASE age_band WHEN '<25' THEN -0.10 WHEN '>45' THEN 0.05 ELSE 0.02 END AS p_base
  FROM groups
), labelled AS (
  SELECT *, (u4 < p_base)::TINYINT AS label FROM rates
), scored AS (
  SELECT *, round(least(1.0, greatest(0.0, 0.45 * label + 0.8 * p_base + 0.05 + 0.9 * (u5 - 0.5))), 3) AS score
  FROM labelled
)
SELECT sex, race, age_band, label, (score >= 0.5)::TINYINT AS prediction, score,
       round(0.5 + u6, 2) AS weight
FROM scored`; // row order is range()'s: COPY preserves insertion order
}

async function parquetRows(engine, path) {
  const rows = await engine.rows(
    `SELECT sum(num_rows) AS n FROM parquet_file_metadata('${path.replaceAll("'", "''")}')`,
  );
  return Number(rows[0]?.n ?? 0);
}

export async function makeAuditData({ rows, path = defaultPath(rows), csv = false, force = false }) {
  mkdirSync(dirname(path), { recursive: true });
  const engine = await DataEngine.open();
  const quoted = `'${path.replaceAll("'", "''")}'`;
  const result = { bench: 'fairness-data', rows, path, reused: false, seconds: 0 };
  try {
    const t0 = performance.now();
    if (!force && existsSync(path) && (await parquetRows(engine, path)) === rows) {
      result.reused = true;
    } else {
      await engine.exec(`COPY (${generatorSql(rows)}) TO ${quoted} (FORMAT parquet)`);
    }
    result.seconds = (performance.now() - t0) / 1000;
    result.parquetMB = statSync(path).size / 1e6;
    if (csv) {
      const csvPath = path.replace(/\.parquet$/, '.csv');
      const t1 = performance.now();
      if (force || !existsSync(csvPath) || statSync(csvPath).mtimeMs < statSync(path).mtimeMs) {
        await engine.exec(
          `COPY (SELECT * FROM read_parquet(${quoted})) TO '${csvPath.replaceAll("'", "''")}' (FORMAT csv, HEADER)`,
        );
      }
      result.csv = csvPath;
      result.csvSeconds = (performance.now() - t1) / 1000;
      result.csvMB = statSync(csvPath).size / 1e6;
    }
  } finally {
    engine.close();
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith('--'));
  const rows = parseRows(positional[0] ?? '1M');
  const path = positional[1] === undefined ? defaultPath(rows) : resolve(positional[1]);
  const result = await makeAuditData({
    rows,
    path,
    csv: args.includes('--csv'),
    force: args.includes('--force'),
  });
  console.log(JSON.stringify(result));
}
