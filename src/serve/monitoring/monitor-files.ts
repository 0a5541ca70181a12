import { readFile } from 'node:fs/promises';
import { DataValidationError } from '../../core/index.js';
import {
  type ColumnBatch,
  type ColumnRequest,
  DataEngine,
  PRESET_NAMES,
  presetSpec,
  readFileColumns,
  readFunction,
  sqlString,
} from '../../data/index.js';
import { OnnxClassifier } from '../../models/onnx/index.js';
import { type ColumnDrift, columnDrift, type DriftTest, datasetDrift, type Sample } from './column-drift.js';
import { type FairnessDrift, fairnessDrift } from './fairness-drift.js';

/** Options of `monitorFiles`. */
export interface MonitorOptions {
  /** Steward-exported ONNX model. */
  model: string;
  /** Reference sample (training or audit data): CSV, Parquet or JSON. */
  reference: string;
  /** Current sample (recent traffic), same format family. */
  current: string;
  /** Protected attributes; default the model's 'steward.protected_attributes' metadata. */
  protectedAttributes?: readonly string[];
  /** Force one drift test on every column (default: Evidently's choice per column). */
  test?: DriftTest;
  /** Share of drifted columns that makes the dataset drifted (default 0.5). */
  driftShare?: number;
  /** Largest tolerated change of a group's rate (default 0.05). */
  tolerance?: number;
}

/** The drift report of `steward monitor`. */
export interface MonitorReport {
  /** Rows of each sample. */
  rows: { reference: number; current: number };
  /** Whether the share of drifted columns reaches `driftShare`. */
  datasetDrift: boolean;
  /** Share of drifted input columns. */
  driftedShare: number;
  /** Drift of each input column of the model. */
  columns: ColumnDrift[];
  /** Drift of the predicted probabilities. */
  predictionDrift: ColumnDrift;
  /** Fairness drift over the protected attributes (labels used when both files hold them). */
  fairness: FairnessDrift & { attributes: string[]; labels: boolean };
}

const sample = (c: ColumnBatch['columns'][string]): Sample =>
  c instanceof Float64Array ? c : c.map((v) => (v === null ? '' : v));

async function readLabels(
  path: string,
  label: string | undefined,
  positive: string | undefined,
  derive: Record<string, string> | undefined,
): Promise<Uint8Array | undefined> {
  if (label === undefined || positive === undefined) return undefined;
  let batch: ColumnBatch;
  try {
    batch = await readFileColumns(path, [{ name: label, kind: 'categorical' }], { derive });
  } catch (error) {
    if (error instanceof DataValidationError && error.location.column === label) return undefined;
    throw error;
  }
  const values = batch.columns[label] as (string | null)[];
  return Uint8Array.from(values, (v) => (v === positive ? 1 : 0));
}

const emptyFile = (path: string) =>
  new DataValidationError('The file has no rows: a drift report needs data.', { file: path });

/** Whether a data file has no rows (counted by DuckDB; unreadable files are left to readFileColumns). */
async function isEmpty(path: string): Promise<boolean> {
  const format = /\.parquet$/i.test(path) ? 'parquet' : /\.(json|jsonl|ndjson)$/i.test(path) ? 'json' : 'csv';
  const engine = await DataEngine.open();
  try {
    return (await engine.scalar(`SELECT count(*) FROM ${readFunction(format)}(${sqlString(path)})`)) === 0;
  } catch {
    return false;
  } finally {
    engine.close();
  }
}

/**
 * Compares a current sample with a reference sample through a Steward model: data drift per input column,
 * prediction drift on P(positive), and fairness drift per protected group (see `columnDrift`,
 * `fairnessDrift`). An empty file, a missing column or a model without Steward metadata is a
 * DataValidationError naming the file.
 */
export async function monitorFiles(options: MonitorOptions): Promise<MonitorReport> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(options.model);
  } catch {
    throw new DataValidationError('The model file was not found. Check the path.', { file: options.model });
  }
  const model = await OnnxClassifier.load(bytes);
  try {
    const encoder = model.encoder;
    if (encoder === undefined)
      throw new DataValidationError(
        'This ONNX file was not exported by Steward (it has no steward.encoder metadata), so the columns it expects are unknown.',
        { file: options.model },
      );
    const meta = model.metadata;
    const dataset = meta['steward.dataset'];
    const derive =
      dataset !== undefined && (PRESET_NAMES as readonly string[]).includes(dataset)
        ? presetSpec(dataset).derive
        : undefined;
    const attributes = [
      ...(options.protectedAttributes ?? (meta['steward.protected_attributes'] ?? '').split(',')),
    ].filter((a) => a.length > 0);
    const stored = Number(meta['steward.threshold']);
    const threshold = Number.isFinite(stored) ? stored : 0.5;
    const features: ColumnRequest[] = encoder.features.map((f) => ({ name: f.column, kind: f.kind }));
    const requests = [
      ...features,
      ...attributes
        .filter((a) => !features.some((f) => f.name === a))
        .map((name) => ({ name, kind: 'categorical' as const })),
    ];
    const read = async (path: string) => {
      const batch = await readFileColumns(path, requests, { derive }).catch(async (error) => {
        // A header-only CSV reads every column as text, so derived columns fail to bind: say why.
        if (await isEmpty(path)) throw emptyFile(path);
        throw error;
      });
      if (batch.rows === 0) throw emptyFile(path);
      const inputs: ColumnBatch = {
        rows: batch.rows,
        columns: Object.fromEntries(features.map((f) => [f.name, batch.columns[f.name]])),
      };
      const probabilities = Float64Array.from(await model.predictProbaBatch(inputs, path));
      const labels = await readLabels(path, meta['steward.label'], meta['steward.positive_label'], derive);
      return { batch, probabilities, labels };
    };
    const ref = await read(options.reference);
    const cur = await read(options.current);
    const driftOptions = { test: options.test };
    const columns = features.map((f) =>
      columnDrift(f.name, sample(ref.batch.columns[f.name]), sample(cur.batch.columns[f.name]), driftOptions),
    );
    const predictionDrift = columnDrift('prediction', ref.probabilities, cur.probabilities, driftOptions);
    const labels = ref.labels !== undefined && cur.labels !== undefined;
    const fairnessSample = (s: typeof ref) => ({
      predictions: Uint8Array.from(s.probabilities, (p) => (p >= threshold ? 1 : 0)),
      groups: Object.fromEntries(attributes.map((a) => [a, Array.from(sample(s.batch.columns[a]), String)])),
      ...(labels ? { labels: s.labels } : {}),
    });
    const fairness = fairnessDrift(fairnessSample(ref), fairnessSample(cur), attributes, {
      tolerance: options.tolerance,
    });
    return {
      rows: { reference: ref.batch.rows, current: cur.batch.rows },
      ...datasetDrift(columns, options.driftShare),
      columns,
      predictionDrift,
      fairness: { attributes, labels, ...fairness },
    };
  } finally {
    model.dispose();
  }
}
