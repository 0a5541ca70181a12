import { writeFilesAtomically } from '../core/index.js';
import { readFileColumns } from '../data/index.js';
import { loadStewardModel } from './steward-model.js';

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
  const { model, encoder, threshold: stored, positiveLabel, derive } = await loadStewardModel(options.model);
  try {
    const batch = await readFileColumns(
      options.data,
      encoder.features.map((f) => ({ name: f.column, kind: f.kind })),
      { derive },
    );
    const probabilities = await model.predictProbaBatch(batch);
    const threshold = options.threshold ?? stored;
    const predictions = Uint8Array.from(probabilities, (p) => (p >= threshold ? 1 : 0));
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
