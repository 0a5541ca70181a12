import { InvalidParameterError } from '../../core/index.js';
import type { ShapExplanation, ShapMethod, ShapOutput } from '../shap-result.js';

/** Global SHAP importance of one original feature. */
export interface ShapImportanceEntry {
  /** Original column name. */
  readonly feature: string;
  /** (1/n) Σᵣ |φᵣⱼ|: how much the feature moves predictions, in either direction. */
  readonly meanAbs: number;
  /** (1/n) Σᵣ φᵣⱼ: the average signed push relative to the base value. */
  readonly mean: number;
}

/** Features ranked by mean |SHAP| (plain JSON). */
export interface ShapImportance {
  /** Space of the SHAP values (probability or log-odds). */
  readonly output: ShapOutput;
  /** How the SHAP values were computed. */
  readonly method: ShapMethod;
  /** Rows averaged over. */
  readonly rows: number;
  /** Features by decreasing meanAbs (ties by name, code-unit order). */
  readonly features: ShapImportanceEntry[];
}

/**
 * Global importance from local SHAP values (Lundberg et al. 2020, "From local explanations to global
 * understanding with explainable AI for trees", the SHAP summary): I_j = (1/n) Σᵣ |φᵣⱼ|, with the signed
 * mean (1/n) Σᵣ φᵣⱼ beside it. Deterministic order: meanAbs decreasing, then feature name.
 */
export function meanAbsShapImportance(explanation: ShapExplanation): ShapImportance {
  const { features, rows, values } = explanation;
  const m = features.length;
  if (rows < 1) {
    throw new InvalidParameterError(
      'meanAbsShapImportance needs an explanation of at least one row. Got 0 rows instead.',
    );
  }
  if (values.length !== rows * m) {
    throw new InvalidParameterError(
      `meanAbsShapImportance: the explanation holds ${values.length} values, expected rows × features = ${rows} × ${m}.`,
    );
  }
  const entries: ShapImportanceEntry[] = features.map((feature, j) => {
    let abs = 0;
    let signed = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * m + j];
      abs += Math.abs(v);
      signed += v;
    }
    return { feature, meanAbs: abs / rows, mean: signed / rows };
  });
  entries.sort(
    (a, b) => b.meanAbs - a.meanAbs || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
  );
  return { output: explanation.output, method: explanation.method, rows, features: entries };
}
