import type { BinaryClassifier } from '../core/index.js';
import {
  applyEncoder,
  type Column,
  type ColumnBatch,
  type EncoderSpec,
  isNumericColumn,
} from '../data/index.js';

/** One original input column as the explainers see it (a categorical column is one feature, not its one-hot columns). */
export interface ExplainFeature {
  /** Column name. */
  readonly name: string;
  /** Numbers (standardised by the pipeline) or categories (one-hot encoded by the pipeline). */
  readonly kind: 'numeric' | 'categorical';
  /** Categories seen in training (categorical features of a Steward pipeline only). */
  readonly categories?: readonly string[];
}

/**
 * A binary classifier over the original columns: what every explainer takes. `predictProba` scores raw
 * rows (numbers as float64, categories as strings), so one-hot columns are perturbed together and every
 * explanation is at the level of the user's columns ("purpose", never "purpose_A43"). Works for a Steward
 * pipeline (`pipelineModel`) and for any ONNX model that takes raw columns (`OnnxClassifier.predictProbaBatch`).
 */
export interface ExplainableModel {
  /** The original feature columns, in model order. */
  readonly features: readonly ExplainFeature[];
  /** P(y = 1 | x) for each row of a batch of original columns. */
  predictProba(batch: ColumnBatch): Promise<Float64Array>;
  /** For a Steward pipeline: the encoder and the fitted model (enables exact linear SHAP). */
  readonly pipeline?: { readonly encoder: EncoderSpec; readonly model: BinaryClassifier };
}

/** The original features a fitted encoder reads, as the explainers see them. */
export function encoderFeatures(encoder: EncoderSpec): ExplainFeature[] {
  return encoder.features.map((f) =>
    f.kind === 'numeric'
      ? { name: f.column, kind: 'numeric' as const }
      : { name: f.column, kind: 'categorical' as const, categories: f.categories },
  );
}

/** The explainable view of a Steward pipeline: fitted encoder + fitted model. */
export function pipelineModel(encoder: EncoderSpec, model: BinaryClassifier): ExplainableModel {
  return {
    features: encoderFeatures(encoder),
    predictProba: (batch) => model.predictProba(applyEncoder(encoder, batch)),
    pipeline: { encoder, model },
  };
}

/** The rows of `batch` at `indices` (in that order, repeats allowed), as a new batch. */
export function takeBatchRows(batch: ColumnBatch, indices: ArrayLike<number>): ColumnBatch {
  const columns: Record<string, Column> = {};
  for (const [name, column] of Object.entries(batch.columns)) {
    columns[name] = isNumericColumn(column)
      ? Float64Array.from(indices, (i) => column[i])
      : Array.from(indices, (i) => column[i]);
  }
  return { rows: indices.length, columns };
}

/**
 * A batch of `rows` rows, all copies of row `row` of `source`, whose `masked` columns are replaced row by
 * row with `fill(r, column)` — the building block of interventional SHAP: coalition rows that keep the
 * explained row's values on some features and take a background row's values on the others.
 */
export function maskedCopies(
  source: ColumnBatch,
  row: number,
  rows: number,
  takeFrom: (r: number, column: string) => { batch: ColumnBatch; row: number } | undefined,
): ColumnBatch {
  const columns: Record<string, Column> = {};
  for (const [name, column] of Object.entries(source.columns)) {
    if (isNumericColumn(column)) {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const from = takeFrom(r, name);
        out[r] = from ? (from.batch.columns[name] as Float64Array)[from.row] : column[row];
      }
      columns[name] = out;
    } else {
      const out = new Array<string | null>(rows);
      for (let r = 0; r < rows; r++) {
        const from = takeFrom(r, name);
        out[r] = from ? (from.batch.columns[name] as (string | null)[])[from.row] : column[row];
      }
      columns[name] = out;
    }
  }
  return { rows, columns };
}
