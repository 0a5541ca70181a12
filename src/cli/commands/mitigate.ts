import { readFile } from 'node:fs/promises';
import { DataValidationError, InvalidParameterError, writeFilesAtomically } from '../../core/index.js';
import { type MitigationResult, toJsonSafe } from '../../fairness/index.js';
import {
  checkMitigationMethod,
  EVALUATION_DATASETS,
  evaluateMitigations,
  MITIGATION_METHODS,
  type MitigationTable,
  mitigateJob,
  type ReweighingJobResult,
} from '../../jobs/index.js';
import { createReport, mitigationSection, renderHtml } from '../../report/index.js';
import { fmt, textTable } from '../format.js';
import { parseList, parsePrivileged } from './audit.js';

/** Flags of `steward mitigate`, as commander parses them. */
export interface MitigateFlags {
  method?: string;
  data?: string;
  db?: string;
  table?: string;
  label?: string;
  positive?: string;
  protected?: string;
  privileged?: string;
  weight?: string;
  dataset?: string;
  evaluate?: boolean;
  seed?: string;
  maxAccuracyLoss?: string;
  testRows?: string;
  report?: string;
  json?: boolean;
}

/** `steward mitigate`: runs a bias-mitigation method on a dataset and prints its result. */
export async function mitigateCommand(flags: MitigateFlags): Promise<void> {
  if (flags.method === undefined) {
    throw new InvalidParameterError("'steward mitigate' needs '--method NAME' (e.g. --method reweighing).");
  }
  const method = flags.method === 'all' ? 'all' : checkMitigationMethod(flags.method);
  if (flags.report !== undefined && !(method === 'all' && flags.evaluate)) {
    throw new InvalidParameterError(
      "'--report FILE' goes with '--method all --dataset NAME --evaluate' (the table of every method).",
    );
  }
  if (flags.evaluate || flags.dataset !== undefined) {
    process.stdout.write(await evaluateOutput(method, flags));
    return;
  }
  if (method === 'all') {
    throw new InvalidParameterError(
      "'--method all' needs '--dataset NAME --evaluate' (e.g. --dataset adult --evaluate).",
    );
  }
  if (method !== 'reweighing') {
    throw new InvalidParameterError(
      `'--data' computes reweighing weights only; --method ${method} runs with '--dataset adult|compas --evaluate'.`,
    );
  }
  const missing = (['label', 'positive', 'protected', 'privileged'] as const).filter(
    (k) => flags[k] === undefined,
  );
  if (missing.length > 0) {
    throw new InvalidParameterError(
      `'steward mitigate --method ${method}' needs ${missing.map((m) => `'--${m}'`).join(', ')}: the label column, its favourable value, the protected columns and the privileged group (e.g. --privileged sex=Male).`,
    );
  }
  const result = await mitigateJob({
    method,
    data: flags.data,
    db: flags.db,
    table: flags.table,
    label: flags.label as string,
    positive: flags.positive as string,
    protected: parseList('protected', flags.protected as string),
    privileged: parsePrivileged(flags.privileged as string),
    weight: flags.weight,
  });
  const output = flags.json ? `${JSON.stringify(toJsonSafe(result))}\n` : `${formatReweighing(result)}\n`;
  process.stdout.write(output);
}

/** `--dataset NAME --evaluate`: the method end to end with a model, before/after metrics as JSON or text. */
async function evaluateOutput(method: string, flags: MitigateFlags): Promise<string> {
  if (!flags.evaluate || flags.dataset === undefined) {
    throw new InvalidParameterError(
      "'--dataset' and '--evaluate' go together (e.g. --dataset adult --evaluate); to compute weights on a file, use '--data FILE'.",
    );
  }
  if (flags.data !== undefined || flags.db !== undefined) {
    throw new InvalidParameterError("Use either '--dataset NAME --evaluate' or '--data FILE', not both.");
  }
  const maxAccuracyLoss = flags.maxAccuracyLoss === undefined ? undefined : Number(flags.maxAccuracyLoss);
  if (maxAccuracyLoss !== undefined && !(flags.maxAccuracyLoss?.trim() !== '' && maxAccuracyLoss >= 0)) {
    throw new InvalidParameterError(
      `The '--max-accuracy-loss' flag must be a number >= 0 (e.g. 0.05). Got '${flags.maxAccuracyLoss}' instead.`,
    );
  }
  const seed = flags.seed === undefined ? 0 : Number(flags.seed);
  if (!/^\s*\d+\s*$/.test(flags.seed ?? '0') || !Number.isSafeInteger(seed)) {
    throw new InvalidParameterError(
      `The '--seed' flag must be a whole number >= 0. Got '${flags.seed}' instead.`,
    );
  }
  if (!(EVALUATION_DATASETS as readonly string[]).includes(flags.dataset)) {
    throw new InvalidParameterError(
      `'--evaluate' has a protocol for the bundled datasets 'adult' and 'compas' only. Got '${flags.dataset}' instead.`,
    );
  }
  const table = await evaluateMitigations({
    dataset: flags.dataset,
    methods: method === 'all' ? MITIGATION_METHODS : [method],
    seed,
    maxAccuracyLoss,
    ...(flags.testRows !== undefined ? { testRows: await readTestRows(flags.testRows) } : {}),
  });
  if (flags.report !== undefined) await writeMitigationReport(flags.report, table);
  if (method === 'all') {
    return flags.json ? `${JSON.stringify(toJsonSafe(table))}\n` : `${formatMitigationTable(table)}\n`;
  }
  const result = table.results[0];
  if (flags.json) {
    const weights = result.options.weights;
    return `${JSON.stringify(toJsonSafe(weights === undefined ? result : { ...result, weights }))}\n`;
  }
  return `${formatMitigation(result)}\n`;
}

/** Every method of an evaluation as one text table (the baseline first), with each method's flags. */
export function formatMitigationTable(t: MitigationTable): string {
  const groups = Object.keys(t.baseline.selectionRates);
  const short = ['accuracy', 'bal_acc', ...groups.map((g) => `sel ${g}`), 'DI', 'DPD', 'EO diff', 'AOD', 's'];
  const row = (name: string, s: MitigationResult['after'], seconds: number, flags: string) => [
    name,
    ...['accuracy', 'balanced_accuracy'].map((k) => fmt(s.metrics[k])),
    ...groups.map((g) => fmt(s.selectionRates[g])),
    ...EVALUATED.slice(2).map((k) => fmt(s.metrics[k])),
    fmt(seconds),
    flags,
  ];
  const privileged = Object.entries(t.privileged)
    .map(([c, v]) => `${c}=${v}`)
    .join(', ');
  const lines = [
    `Mitigations on ${t.dataset} (seed ${t.seed}; ${fmt(t.rows.train)} train, ${fmt(t.rows.test)} test rows; privileged: ${privileged})`,
    '',
    textTable(
      ['method', ...short, 'flags'],
      [
        row('baseline', t.baseline, t.baselineFitSeconds, ''),
        ...t.results.map((r) => row(r.method, r.after, r.fitSeconds, r.flags.map((f) => f.code).join(','))),
      ],
    ),
  ];
  const warnings = t.results.flatMap((r) => r.flags.map((f) => `Warning (${r.method}): ${f.message}`));
  if (warnings.length > 0) lines.push('', ...warnings);
  return lines.join('\n');
}

const EVALUATED = [
  'accuracy',
  'balanced_accuracy',
  'disparate_impact',
  'demographic_parity_difference',
  'equalized_odds_difference',
  'average_odds_difference',
] as const;

/** A mitigation's before/after numbers as a text table, with its flags. */
export function formatMitigation(r: MitigationResult): string {
  const groups = Object.keys(r.before.selectionRates);
  const lines = [
    `Mitigation '${r.method}' (fit ${fmt(r.fitSeconds)} s)`,
    '',
    textTable(
      ['metric', 'before', 'after'],
      [
        ...EVALUATED.map((k) => [k, fmt(r.before.metrics[k]), fmt(r.after.metrics[k])]),
        ...groups.map((g) => [
          `selection_rate[${g}]`,
          fmt(r.before.selectionRates[g]),
          fmt(r.after.selectionRates[g]),
        ]),
      ],
    ),
  ];
  if (r.flags.length > 0) lines.push('', ...r.flags.map((f) => `Warning: ${f.message}`));
  return lines.join('\n');
}

/** A reweighing result as human-readable text: the four weights, their cells, label parity and flags. */
export function formatReweighing(r: ReweighingJobResult): string {
  const privileged = Object.entries(r.privileged)
    .map(([c, v]) => `${c}=${v}`)
    .join(', ');
  const names = Object.keys(r.weights) as (keyof typeof r.weights)[];
  const lines = [
    `Reweighing (Kamiran & Calders 2012) of ${r.source ?? 'the data'}: ${fmt(r.rows)} rows; privileged: ${privileged}`,
    '',
    textTable(
      ['cell', 'rows', 'weight'],
      names.map((k) => [k.replace('_', ' / '), fmt(r.cells[k]), fmt(r.weights[k])]),
    ),
    '',
    textTable(
      ['label metric', 'before', 'after reweighing'],
      (['statistical_parity_difference', 'disparate_impact'] as const).map((k) => [
        k,
        fmt(r.labelMetrics.before[k]),
        fmt(r.labelMetrics.after[k]),
      ]),
    ),
  ];
  if (r.flags.length > 0) lines.push('', ...r.flags.map((f) => `Warning: ${f.message}`));
  return lines.join('\n');
}

/** Writes the mitigation report (the method table and the Pareto chart) to `path`, atomically. */
async function writeMitigationReport(path: string, table: MitigationTable): Promise<void> {
  const report = createReport({
    title: `Bias mitigation on ${table.dataset}`,
    subtitle: `Protocol of mitigation.md: 70/30 stratified split (seed ${table.seed}), LogisticRegression baseline`,
    sections: [mitigationSection(table)],
    meta: {
      dataset: table.dataset,
      'train rows': String(table.rows.train),
      'test rows': String(table.rows.test),
    },
  });
  await writeFilesAtomically([{ path, contents: renderHtml(report) }]);
}

/** Reads `--test-rows FILE`: JSON `{"rows": [1-based data rows]}` (or a plain array) naming the test side. */
async function readTestRows(path: string): Promise<number[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DataValidationError(
      `The test-rows file could not be read as JSON: ${(error as Error).message}.`,
      {
        file: path,
      },
    );
  }
  const rows = Array.isArray(json) ? json : (json as { rows?: unknown }).rows;
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Number.isInteger(r) && r >= 1)) {
    throw new DataValidationError(
      'The test-rows file must hold a non-empty list of 1-based row numbers under "rows".',
      {
        file: path,
      },
    );
  }
  return rows as number[];
}
