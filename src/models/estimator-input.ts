import {
  checkInRange,
  DataValidationError,
  describeValue,
  InvalidParameterError,
  type Matrix,
} from '../core/index.js';

/** Validated training data: features, 0/1 labels and non-negative weights. */
export interface FitInput {
  /** Feature matrix (not copied). */
  readonly X: Matrix;
  /** 0/1 labels. */
  readonly y: Uint8Array;
  /** Sample weights as given (not copied), or all ones when none were given. */
  readonly weights: Float64Array;
  /** Sum of the weights (> 0). */
  readonly weightSum: number;
}

/**
 * Checks `fit` arguments (shapes, finite features, 0/1 labels, weights >= 0 with a positive sum, both
 * classes present among rows of positive weight) and returns the weights (all ones when none given).
 */
export function checkFitInput(
  owner: string,
  X: Matrix,
  y: Uint8Array,
  sampleWeight?: Float64Array,
): FitInput {
  if (X.rows < 1 || X.cols < 1) {
    throw new DataValidationError(
      `${owner}.fit needs at least one row and one column. Got ${X.rows} × ${X.cols}.`,
    );
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new DataValidationError(
      `${owner}.fit got a matrix whose data has ${X.data.length} values for ${X.rows} × ${X.cols}. Build it with matrix().`,
    );
  }
  if (y.length !== X.rows) {
    throw new DataValidationError(
      `${owner}.fit got ${y.length} labels for ${X.rows} rows. Pass one label per row.`,
    );
  }
  checkFinite(owner, X);
  const rows = X.rows;
  let weights: Float64Array;
  let weightSum = rows;
  if (sampleWeight === undefined) {
    weights = new Float64Array(rows).fill(1);
  } else {
    if (sampleWeight.length !== rows) {
      throw new InvalidParameterError(
        `The 'sampleWeight' option of ${owner}.fit must have one weight per row (${rows}). Got ${sampleWeight.length} instead.`,
      );
    }
    weightSum = 0;
    for (let i = 0; i < rows; i++) {
      const w = sampleWeight[i];
      if (!Number.isFinite(w) || w < 0) {
        throw new InvalidParameterError(
          `The 'sampleWeight' option of ${owner}.fit must hold finite weights >= 0. Got ${describeValue(w)} at row ${i + 1} instead.`,
        );
      }
      weightSum += w;
    }
    if (!(weightSum > 0)) {
      throw new InvalidParameterError(
        `The 'sampleWeight' option of ${owner}.fit must have a positive sum. Got 0 instead.`,
      );
    }
    weights = sampleWeight;
  }
  const seen = [false, false];
  for (let i = 0; i < rows; i++) {
    const label = y[i];
    if (label !== 0 && label !== 1) {
      throw new DataValidationError(`${owner}.fit needs 0/1 labels. Got ${label}.`, { row: i + 1 });
    }
    if (weights[i] > 0) seen[label] = true;
  }
  if (!seen[0] || !seen[1]) {
    throw new DataValidationError(
      `${owner}.fit needs both classes among rows of positive weight. Only class ${seen[1] ? 1 : 0} is present.`,
    );
  }
  return { X, y, weights, weightSum };
}

/** Checks that `X` has the number of columns the model was fitted on and finite values. */
export function checkPredictInput(owner: string, X: Matrix, cols: number): void {
  if (X.cols !== cols) {
    throw new DataValidationError(`${owner} was fitted on ${cols} columns but got a matrix with ${X.cols}.`);
  }
  checkFinite(owner, X);
}

/** 0/1 decisions from probabilities: 1 where P(y = 1 | x) >= threshold; checks threshold ∈ [0, 1]. */
export function predictFromProba(owner: string, proba: Float64Array, threshold: number): Uint8Array {
  checkInRange(`${owner}.predict`, 'threshold', threshold, 0, 1);
  const out = new Uint8Array(proba.length);
  for (let i = 0; i < proba.length; i++) out[i] = proba[i] >= threshold ? 1 : 0;
  return out;
}

function checkFinite(owner: string, X: Matrix): void {
  const data = X.data;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new DataValidationError(`${owner} needs finite feature values. Got ${data[k]}.`, {
        row: Math.floor(k / X.cols) + 1,
        column: `#${(k % X.cols) + 1}`,
      });
    }
  }
}
