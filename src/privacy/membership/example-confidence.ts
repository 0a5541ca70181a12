import { DataValidationError, type Matrix } from '../../core/index.js';

/** Rows with their 0/1 labels. */
export interface LabelledRows {
  /** Feature matrix (rows × features). */
  X: Matrix;
  /** 0/1 label per row. */
  y: Uint8Array;
}

/** Probabilities are clipped to [CLIP, 1 − CLIP] before a logarithm, so every loss and logit is finite. */
const CLIP = 1e-16;

/** Throws DataValidationError unless `rows.y` has one 0/1 label per row of `rows.X`. */
export function checkLabelledRows(rows: LabelledRows, owner: string, name: string): void {
  if (rows.y.length !== rows.X.rows) {
    throw new DataValidationError(
      `The '${name}' rows given to ${owner} must have one label per row (${rows.X.rows}). Got ${rows.y.length} labels instead.`,
    );
  }
  for (let i = 0; i < rows.y.length; i++) {
    if (rows.y[i] > 1) {
      throw new DataValidationError(
        `The '${name}' labels given to ${owner} must be 0 or 1. Row ${i} has ${rows.y[i]} instead.`,
      );
    }
  }
}

/**
 * Per-example log-loss of the true label, ℓ_i = −log p_i(y_i) with p(1) = proba, p(0) = 1 − proba
 * (the loss Yeom et al. 2018 threshold); p(y) is clipped to >= 1e-16.
 */
export function exampleLogLosses(proba: Float64Array, y: Uint8Array): Float64Array {
  const out = new Float64Array(proba.length);
  for (let i = 0; i < proba.length; i++) {
    // log1p keeps the tiny losses of confident, correct predictions of class 0 distinct.
    const p = proba[i];
    if (y[i] === 1) out[i] = -Math.log(Math.max(p, CLIP));
    else out[i] = p < 0.5 ? -Math.log1p(-p) : -Math.log(Math.max(1 - p, CLIP));
  }
  return out;
}

/**
 * The logit-scaled confidence of the true label that LiRA models as Gaussian (Carlini et al. 2022, Section 4.3):
 * φ = log(p(y) / (1 − p(y))). For y = 1 it is log(proba) − log(1 − proba), for y = 0 its negation; both
 * probabilities are clipped to >= 1e-16, so |φ| <= 36.84.
 */
export function trueLabelLogits(proba: Float64Array, y: Uint8Array): Float64Array {
  const out = new Float64Array(proba.length);
  for (let i = 0; i < proba.length; i++) {
    const logit = Math.log(Math.max(proba[i], CLIP)) - Math.log(Math.max(1 - proba[i], CLIP));
    out[i] = y[i] === 1 ? logit : -logit;
  }
  return out;
}
