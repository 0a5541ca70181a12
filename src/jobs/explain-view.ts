import type { ExplainSectionInput } from '../report/index.js';
import type { ExplainRunResult } from './explain-analysis.js';

/** The report's view of a run's explanations. */
export function explainView(result: ExplainRunResult, threshold: number): ExplainSectionInput {
  const e = result.example;
  return {
    output: result.importance.output,
    method: result.importance.method,
    rows: result.importance.rows,
    backgroundRows: result.backgroundRows,
    importance: result.importance.features.map((f) => ({ feature: f.feature, meanAbs: f.meanAbs })),
    permutation: result.permutation.features.map((f) => ({
      feature: f.feature,
      mean: f.importanceMean,
      std: f.importanceStd,
    })),
    ...(e
      ? {
          example: {
            row: e.row,
            probability: e.probability,
            threshold,
            baseValue: e.shap.baseValue,
            contributions: e.shap.features.map((feature, j) => ({
              feature,
              value: String(e.values[feature] ?? 'missing'),
              contribution: e.shap.values[j],
            })),
            reasons: e.reasons.reasons.map((r) => ({ feature: r.feature, text: r.text })),
            counterfactuals: {
              found: e.counterfactuals.found,
              ...(e.counterfactuals.reason ? { reason: e.counterfactuals.reason } : {}),
              items: e.counterfactuals.counterfactuals.map((c) => ({
                probability: c.probability,
                changes: c.changes.map((d) => ({
                  feature: d.feature,
                  from: String(d.from),
                  to: String(d.to),
                })),
              })),
            },
          },
        }
      : {}),
    warnings: result.warnings,
  };
}
