import { readFile, stat } from 'node:fs/promises';
import { DataValidationError, InvalidParameterError } from '../core/index.js';
import {
  DataEngine,
  displayPath,
  maskSourceUrl,
  openDataSource,
  PRESET_NAMES,
  presetSpec,
  readFileColumns,
} from '../data/index.js';
import {
  auditCounts,
  checkCells,
  countCells,
  countCellsSql,
  type DisaggregatedCounts,
  type FairnessAudit,
  type SqlDialect,
  type SqlQueryable,
  tableDialect,
  type ZeroDivisionRule,
} from '../fairness/index.js';
import { OnnxClassifier } from '../models/onnx/index.js';

/** Options of `auditJob`: what `steward audit` takes. */
export interface AuditJobOptions {
  /** CSV, Parquet or JSON file with the rows (or `db` and `table`). */
  data?: string;
  /** Database holding `table`: `duckdb:PATH` (PostgreSQL URLs are not supported yet). */
  db?: string;
  /** Table or view to audit in `db`. */
  table?: string;
  /** Label column. */
  label: string;
  /** Favourable label value, as written in the data. */
  positive: string;
  /** Prediction column, values in the label's space; omit (and omit `model`) to audit the labels alone. */
  prediction?: string;
  /** Score column (probability of the favourable label), checked to lie in [0, 1]. */
  score?: string;
  /** Protected columns, in order. */
  protected: string[];
  /** AIF360's privileged group: column → value. */
  privileged: Record<string, string>;
  /** Instance-weight column. */
  weight?: string;
  /** ONNX model (exported by Steward) that scores the rows of `data` first; replaces `prediction`. */
  model?: string;
  /** Zero-division rule; default 'reference'. */
  zeroDivision?: ZeroDivisionRule;
  /** Groups with fewer rows get a warning; default 30. */
  minGroupRows?: number;
}

/**
 * Audits a classifier's predictions (or the labels alone) for fairness: one GROUP BY in the engine
 * yields the disaggregated counts, from which every AIF360 and Fairlearn metric is derived.
 * Returns the plain `FairnessAudit` result.
 */
export async function auditJob(options: AuditJobOptions): Promise<FairnessAudit> {
  checkSource(options);
  const counts = options.model !== undefined ? await scoredCounts(options) : await sqlCounts(options);
  return auditCounts(counts, {
    privileged: options.privileged,
    zeroDivision: options.zeroDivision,
    minGroupRows: options.minGroupRows,
    subject: {
      source: options.data !== undefined ? displayPath(options.data) : options.table,
      label: { column: options.label, positive: options.positive },
      ...(options.prediction !== undefined
        ? { prediction: { column: options.prediction, positive: options.positive } }
        : {}),
      ...(options.model !== undefined ? { model: displayPath(options.model) } : {}),
      ...(options.score !== undefined ? { score: options.score } : {}),
      ...(options.weight !== undefined ? { weight: options.weight } : {}),
    },
  });
}

function checkSource(options: AuditJobOptions): void {
  const fromDb = options.db !== undefined || options.table !== undefined;
  if (options.data !== undefined && fromDb) {
    throw new InvalidParameterError("Use either '--data FILE' or '--db URL --table NAME', not both.");
  }
  if (options.data === undefined && !fromDb) {
    throw new InvalidParameterError("Name the rows to audit: '--data FILE', or '--db URL --table NAME'.");
  }
  if (fromDb && (options.db === undefined || options.table === undefined)) {
    throw new InvalidParameterError("'--db' and '--table' go together: the database and the table in it.");
  }
  if (options.model !== undefined && options.prediction !== undefined) {
    throw new InvalidParameterError(
      "Use either '--prediction COLUMN' (predictions in the data) or '--model FILE.onnx' (score the rows), not both.",
    );
  }
  if (options.model !== undefined && options.data === undefined) {
    throw new InvalidParameterError("'--model' scores the rows of a file: use it with '--data FILE'.");
  }
}

async function checkFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new DataValidationError('The file was not found. Check the path.', { file: displayPath(path) });
  }
}

/** Opens the engine for `--data` (in-memory DuckDB) or `--db duckdb:PATH`. */
/** Where the audit's GROUP BY runs: the engine, its dialect, and how to close it. */
interface AuditEngine {
  engine: SqlQueryable;
  dialect?: SqlDialect;
  close(): Promise<void> | void;
}

/**
 * Opens the engine for an audit: an in-memory DuckDB for files, a DuckDB database file for
 * `duckdb:PATH`, or a PostgreSQL server for `postgres://…` (through steward/data's DataSource).
 */
async function openEngine(options: AuditJobOptions): Promise<AuditEngine> {
  if (options.db === undefined) {
    const engine = await DataEngine.open();
    return { engine, close: () => engine.close() };
  }
  const duckdb = /^duckdb:(.+)$/.exec(options.db);
  if (duckdb !== null) {
    await checkFile(duckdb[1]);
    const engine = await DataEngine.open(duckdb[1]);
    return { engine, close: () => engine.close() };
  }
  if (/^postgres(ql)?:\/\//.test(options.db)) {
    const source = await openDataSource(options.db);
    return { engine: source, dialect: tableDialect(source.dialect), close: () => source.close() };
  }
  throw new InvalidParameterError(
    `The '--db' flag must be 'duckdb:PATH' or a 'postgres://' URL. Got '${maskSourceUrl(options.db)}' instead.`,
  );
}

async function sqlCounts(options: AuditJobOptions): Promise<DisaggregatedCounts> {
  if (options.data !== undefined) await checkFile(options.data);
  const { engine, dialect, close } = await openEngine(options);
  try {
    return await countCellsSql(engine, {
      from: options.data !== undefined ? { file: options.data } : (options.table as string),
      label: options.label,
      positive: options.positive,
      prediction: options.prediction,
      score: options.score,
      protected: options.protected,
      weight: options.weight,
      ...(dialect ? { dialect } : {}),
    });
  } finally {
    await close();
  }
}

/** Scores the rows with the ONNX model (ONNX Runtime) and counts cells on the typed arrays. */
async function scoredCounts(options: AuditJobOptions): Promise<DisaggregatedCounts> {
  const data = options.data as string;
  const modelPath = options.model as string;
  await checkFile(data);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(modelPath);
  } catch {
    throw new DataValidationError('The model file was not found. Check the path.', { file: modelPath });
  }
  const model = await OnnxClassifier.load(bytes);
  try {
    const encoder = model.encoder;
    if (encoder === undefined) {
      throw new DataValidationError(
        'This ONNX file was not exported by Steward (it has no steward.encoder metadata), so the columns it expects are unknown.',
        { file: modelPath },
      );
    }
    const roles = [options.label, ...options.protected];
    const requests = [
      ...encoder.features.map((f) => ({ name: f.column, kind: f.kind })),
      ...roles.map((name) => ({ name, kind: 'categorical' as const })),
      ...(options.weight !== undefined ? [{ name: options.weight, kind: 'numeric' as const }] : []),
    ].filter((r, i, all) => all.findIndex((s) => s.name === r.name) === i);
    const dataset = model.metadata['steward.dataset'];
    const derive =
      dataset !== undefined && (PRESET_NAMES as readonly string[]).includes(dataset)
        ? presetSpec(dataset).derive
        : undefined;
    const batch = await readFileColumns(data, requests, { derive });
    const probabilities = await model.predictProbaBatch(batch);
    const stored = Number(model.metadata['steward.threshold']);
    const threshold = Number.isFinite(stored) ? stored : 0.5;
    const modelPositive = model.metadata['steward.positive_label'];
    // The model scores P(its own positive label); if that is not the favourable value, flip.
    const flip = modelPositive !== undefined && modelPositive !== options.positive;
    const labels = batch.columns[options.label] as string[];
    checkLabelValues(labels, options.positive, displayPath(data), options.label);
    const predictions = Uint8Array.from(probabilities, (p) => (p >= threshold !== flip ? 1 : 0));
    const counts = countCells({
      labels: Uint8Array.from(labels, (v) => (v === options.positive ? 1 : 0)),
      predictions,
      weights: options.weight !== undefined ? (batch.columns[options.weight] as Float64Array) : undefined,
      protected: Object.fromEntries(options.protected.map((c) => [c, batch.columns[c] as string[]])),
      source: displayPath(data),
    });
    checkCells(counts, displayPath(data));
    return counts;
  } finally {
    model.dispose();
  }
}

function checkLabelValues(labels: readonly string[], positive: string, file: string, column: string): void {
  const values = [...new Set(labels)].sort();
  if (values.length > 2) {
    throw new DataValidationError(
      `The label column must have exactly two values. Found ${values.length} (${values.slice(0, 5).join(', ')}${values.length > 5 ? ', ...' : ''}) instead.`,
      { file, row: labels.findIndex((v) => v !== values[0] && v !== values[1]) + 1, column },
    );
  }
  if (!values.includes(positive)) {
    throw new DataValidationError(
      `The positive label '${positive}' never occurs in the label column; its values are ${values.map((v) => `'${v}'`).join(' and ')}.`,
      { file, column },
    );
  }
}
