import { DataValidationError, InvalidParameterError, StewardError } from '../../core/index.js';
import type { ColumnBatch } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import type { ShapExplanation, ShapMethod, ShapOptions, ShapOutput } from '../shap-result.js';

/** Largest additivity error an exact method may show (|base + Σφ − f(x)|), beyond which it throws. */
export const EXACT_ADDITIVITY_TOLERANCE = 1e-9;

/**
 * Checks the rows to explain and the background of a SHAP call: both hold every feature column of the
 * model, the background has at least one row, the seed is a non-negative integer and the output space
 * is known. `explainer` names the caller in messages.
 */
export function checkShapInputs(
  explainer: string,
  model: ExplainableModel,
  rows: ColumnBatch,
  options: ShapOptions,
): void {
  if (options === undefined || options.background === undefined) {
    throw new InvalidParameterError(
      `The 'background' option of ${explainer} is required: pass a batch of reference rows (for example 100 training rows). Got undefined instead.`,
    );
  }
  if (model.features.length === 0) {
    throw new InvalidParameterError(
      `The model given to ${explainer} has no features. Got 0 features instead.`,
    );
  }
  if (options.background.rows < 1) {
    throw new InvalidParameterError(
      `The 'background' option of ${explainer} must hold at least 1 row. Got ${options.background.rows} instead.`,
    );
  }
  checkOutput(explainer, options.output);
  if (options.seed !== undefined && !(Number.isInteger(options.seed) && options.seed >= 0)) {
    throw new InvalidParameterError(
      `The 'seed' option of ${explainer} must be a non-negative integer. Got ${String(options.seed)} instead.`,
    );
  }
  for (const f of model.features) {
    requireColumn(explainer, 'background', options.background, f.name);
    requireColumn(explainer, 'rows to explain', rows, f.name);
  }
}

/** Throws unless `output` is undefined, 'probability' or 'log-odds'. */
export function checkOutput(explainer: string, output: unknown): void {
  if (output !== undefined && output !== 'probability' && output !== 'log-odds') {
    throw new InvalidParameterError(
      `The 'output' option of ${explainer} must be 'probability' or 'log-odds'. Got '${String(output)}' instead.`,
    );
  }
}

function requireColumn(explainer: string, what: string, batch: ColumnBatch, name: string): void {
  const column = batch.columns[name];
  if (column === undefined) {
    throw new DataValidationError(
      `The ${what} given to ${explainer} lack the model's feature column '${name}'. Available columns: ${Object.keys(batch.columns).join(', ') || '(none)'}.`,
      { column: name },
    );
  }
  if (column.length !== batch.rows) {
    throw new DataValidationError(
      `Column '${name}' of the ${what} given to ${explainer} has ${column.length} values for ${batch.rows} rows.`,
      { column: name },
    );
  }
}

/** The link from probability to the output space: identity or logit(p) = log(p / (1 − p)). */
export function linkOf(output: ShapOutput): (p: number) => number {
  return output === 'log-odds' ? (p) => Math.log(p) - Math.log1p(-p) : (p) => p;
}

/** Fields of a SHAP explanation that the explainers compute; additivity is derived here. */
export interface ShapParts {
  features: readonly string[];
  output: ShapOutput;
  method: ShapMethod;
  baseValue: number;
  values: Float64Array;
  outputs: Float64Array;
  backgroundRows: number;
}

/**
 * Builds the explanation and its additivity error max_r |base + Σ_j φ_rj − f(x_r)|; for an exact method
 * (`exact`) an error above 1e-9 is a bug, so it throws a StewardError naming the worst row.
 */
export function finishExplanation(explainer: string, parts: ShapParts, exact: boolean): ShapExplanation {
  const m = parts.features.length;
  const n = parts.outputs.length;
  let worst = 0;
  let worstRow = -1;
  for (let r = 0; r < n; r++) {
    let sum = parts.baseValue;
    for (let j = 0; j < m; j++) sum += parts.values[r * m + j];
    const err = Math.abs(sum - parts.outputs[r]);
    if (!(err <= worst)) {
      worst = err;
      worstRow = r;
    }
  }
  if (exact && !(worst <= EXACT_ADDITIVITY_TOLERANCE)) {
    throw new StewardError(
      'SHAP_NOT_ADDITIVE',
      `${explainer} (${parts.method}) broke additivity: base + Σφ differs from f(x) by ${worst} (> ${EXACT_ADDITIVITY_TOLERANCE}) on explained row ${worstRow + 1}. The model's predictions may not be deterministic or finite; report this with the model and row.`,
    );
  }
  return { ...parts, rows: n, additivityError: worst };
}
