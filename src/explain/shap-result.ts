import type { ColumnBatch } from '../data/index.js';
import type { ExplainableModel } from './explainable-model.js';

/** How SHAP values were computed. */
export type ShapMethod = 'linear-exact' | 'kernel-exact' | 'kernel-sampled' | 'permutation';

/** The space in which SHAP values add up to the model output. */
export type ShapOutput = 'probability' | 'log-odds';

/**
 * SHAP values of some rows, one per original feature (Lundberg & Lee 2017): for each row,
 * baseValue + Σ_j values[row][j] = outputs[row] (additivity), in the `output` space.
 */
export interface ShapExplanation {
  /** Original feature names, in order. */
  readonly features: readonly string[];
  /** The space the values add up in. */
  readonly output: ShapOutput;
  /** How they were computed. */
  readonly method: ShapMethod;
  /** E[f(background)] in the output space. */
  readonly baseValue: number;
  /** Rows explained. */
  readonly rows: number;
  /** φ, row-major: values[r * features.length + j]. */
  readonly values: Float64Array;
  /** f(x) of each explained row, in the output space. */
  readonly outputs: Float64Array;
  /** max over rows of |baseValue + Σ_j φ_j − f(x)|. */
  readonly additivityError: number;
  /** Background rows used. */
  readonly backgroundRows: number;
}

/** Options every SHAP explainer takes. */
export interface ShapOptions {
  /** Background (reference) rows: the expectation the explanation is relative to. */
  background: ColumnBatch;
  /** Output space; default 'probability' (kernel, permutation) or 'log-odds' (linear). */
  output?: ShapOutput;
  /** Seed of sampling (kernel above the exact limit, permutation). Default 0. */
  seed?: number;
}

/** A SHAP explainer: explains `rows` of `model` against a background. */
export type ShapExplainer = (
  model: ExplainableModel,
  rows: ColumnBatch,
  options: ShapOptions,
) => Promise<ShapExplanation>;
