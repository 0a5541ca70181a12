import type { ColumnBatch } from '../data/index.js';
import {
  type ClassificationMetrics,
  classificationMetrics,
  confusionCounts,
  rocCurve,
  threshold,
} from '../models/index.js';
import type { EvaluationResult } from '../report/index.js';

/** Inputs of `evaluatePredictions`: labels, scores and the protected columns of the same rows. */
export interface EvaluationInput {
  /** Name of the model, for the report. */
  model: string;
  /** 0/1 labels. */
  labels: Uint8Array;
  /** P(y = 1) per row. */
  proba: Float64Array;
  /** Decision threshold. */
  threshold: number;
  /** Protected attribute columns of the same rows. */
  groups: ColumnBatch;
  /** Seconds spent in `fit`. */
  trainingSeconds: number;
}

/**
 * Evaluates scores on held-out rows: headline metrics, confusion counts, ROC curve, and per group of
 * each protected attribute the count, selection rate, accuracy, TPR and FPR (null when undefined).
 */
export function evaluatePredictions(input: EvaluationInput): EvaluationResult {
  const { labels, proba } = input;
  const pred = threshold(proba, input.threshold);
  const metrics: ClassificationMetrics = classificationMetrics(labels, proba, input.threshold);
  const roc = rocCurve(labels, proba);
  const byGroup: EvaluationResult['byGroup'] = [];
  for (const [attribute, column] of Object.entries(input.groups.columns)) {
    const index = new Map<string, number[]>();
    for (let i = 0; i < column.length; i++) {
      const g = String(column[i]);
      const list = index.get(g) ?? [];
      list.push(i);
      index.set(g, list);
    }
    const ordered = [...index.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    for (const [group, rows] of ordered) {
      const y = Uint8Array.from(rows, (i) => labels[i]);
      const c = confusionCounts(
        y,
        Uint8Array.from(rows, (i) => pred[i]),
      );
      byGroup.push({
        attribute,
        group,
        count: rows.length,
        selectionRate: (c.tp + c.fp) / rows.length,
        accuracy: (c.tp + c.tn) / rows.length,
        tpr: c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : null,
        fpr: c.fp + c.tn > 0 ? c.fp / (c.fp + c.tn) : null,
      });
    }
  }
  return {
    model: input.model,
    threshold: input.threshold,
    metrics,
    confusion: confusionCounts(labels, pred),
    roc: { fpr: roc.fpr, tpr: roc.tpr },
    byGroup,
    trainingSeconds: input.trainingSeconds,
  };
}
