import { readFile } from 'node:fs/promises';
import { DataValidationError, writeFilesAtomically } from '../core/index.js';
import { PRESET_NAMES, presetSpec, readFileColumns } from '../data/index.js';
import { OnnxClassifier } from '../models/onnx/index.js';

/** Options of `predictJob`. */
export interface PredictOptions {
  /** Path of the ONNX model (a Steward-exported pipeline). */
  model: string;
  /** Path of the CSV, Parquet or JSON file to score. */
  data: string;
  /** Decision threshold; default: the one stored in the model, else 0.5. */
  threshold?: number;
  /** Where to write the predictions (CSV, or JSON when the name ends in .json); none: return only. */
  out?: string;
}

/** Predictions for every row of a file, in file order. */
export interface PredictResult {
  /** Rows scored. */
  rows: number;
  /** Threshold applied. */
  threshold: number;
  /** The positive label value (from the model's metadata), when known. */
  positiveLabel?: string;
  /** P(positive) per row. */
  probabilities: Float64Array;
  /** 0/1 decision per row. */
  predictions: Uint8Array;
  /** Where the predictions were written, if anywhere. */
  out?: string;
}

/** Scores a file with a Steward-exported ONNX pipeline through ONNX Runtime. */
export async function predictJob(options: PredictOptions): Promise<PredictResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(options.model);
  } catch {
    throw new DataValidationError('The model file was not found. Check the path.', { file: options.model });
  }
  const model = await OnnxClassifier.load(bytes);
  try {
    const encoder = model.encoder;
    if (encoder === undefined) {
      throw new DataValidationError(
        'This ONNX file was not exported by Steward (it has no steward.encoder metadata), so the columns it expects are unknown. Use the steward/models/onnx library API with a feature matrix instead.',
        { file: options.model },
      );
    }
    const batch = await readFileColumns(
      options.data,
      encoder.features.map((f) => ({ name: f.column, kind: f.kind })),
      { derive: presetDerivations(model.metadata['steward.dataset']) },
    );
    const probabilities = await model.predictProbaBatch(batch);
    const stored = Number(model.metadata['steward.threshold']);
    const threshold = options.threshold ?? (Number.isFinite(stored) ? stored : 0.5);
    const predictions = Uint8Array.from(probabilities, (p) => (p >= threshold ? 1 : 0));
    const positiveLabel = model.metadata['steward.positive_label'];
    const result: PredictResult = { rows: batch.rows, threshold, positiveLabel, probabilities, predictions };
    if (options.out) {
      await writeFilesAtomically([{ path: options.out, contents: formatPredictions(result, options.out) }]);
      result.out = options.out;
    }
    return result;
  } finally {
    model.dispose();
  }
}

/**
 * The derived columns of the bundled preset a model was trained on (e.g. German credit's `sex` and
 * `age_group`), so raw rows of that dataset can be scored. Only presets' own expressions are used:
 * SQL is never taken from a model file.
 */
function presetDerivations(dataset: string | undefined): Record<string, string> | undefined {
  return dataset !== undefined && (PRESET_NAMES as readonly string[]).includes(dataset)
    ? presetSpec(dataset).derive
    : undefined;
}

/** Renders predictions as CSV (`row,probability,prediction`) or JSON, chosen by the file name. */
export function formatPredictions(result: PredictResult, path = 'predictions.csv'): string {
  if (/\.json$/i.test(path)) {
    return `${JSON.stringify(
      Array.from(result.probabilities, (p, i) => ({
        row: i + 1,
        probability: p,
        prediction: result.predictions[i],
      })),
    )}\n`;
  }
  const lines = ['row,probability,prediction'];
  for (let i = 0; i < result.rows; i++)
    lines.push(`${i + 1},${result.probabilities[i]},${result.predictions[i]}`);
  return `${lines.join('\n')}\n`;
}
