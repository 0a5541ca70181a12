import type { ClassificationMetrics, ConfusionCounts } from '../models/index.js';
import { confusionMatrixChart } from './confusion-matrix-chart.js';
import { SMALL_GROUP_ROWS } from './dataset-section.js';
import { formatCount, formatDuration, formatMetric } from './format.js';
import type { ReportBlock, ReportSection, SectionOptions } from './model.js';
import { rocChart } from './roc-chart.js';

/** Threshold-free and thresholded metrics of a binary classifier: the models layer's `ClassificationMetrics`. */
export type EvaluationMetrics = ClassificationMetrics;

/** Confusion-matrix counts at the decision threshold (the models layer's type). */
export type { ConfusionCounts };

/** Metrics of one group of one protected attribute at the decision threshold. */
export interface GroupEvaluation {
  /** Protected attribute name. */
  attribute: string;
  /** Group value. */
  group: string;
  /** Evaluation rows in the group. */
  count: number;
  /** Share of the group predicted positive. */
  selectionRate: number;
  /** Accuracy within the group. */
  accuracy: number;
  /** True positive rate; null when the group has no positive labels. */
  tpr: number | null;
  /** False positive rate; null when the group has no negative labels. */
  fpr: number | null;
}

/** What evaluating one model produced: the report's input contract for `evaluationSection`. */
export interface EvaluationResult {
  /** Model name (e.g. "logistic-regression"). */
  model: string;
  /** Decision threshold on P(y = 1 | x). */
  threshold: number;
  /** Overall metrics. */
  metrics: EvaluationMetrics;
  /** Confusion matrix at `threshold`. */
  confusion: ConfusionCounts;
  /** Full ROC curve (threshold descending, from (0, 0) to (1, 1)); downsampled only for drawing. */
  roc: { fpr: number[]; tpr: number[] };
  /** Metrics per protected group. */
  byGroup: GroupEvaluation[];
  /** Wall-clock training time in seconds. */
  trainingSeconds: number;
  /** Largest |P_onnx - P_ts| over the evaluation rows, when the model was exported to ONNX. */
  onnxMaxAbsDiff?: number;
}

/** Options of `evaluationSection`. */
export interface EvaluationSectionOptions extends SectionOptions {
  /** Class names as [negative, positive] for the confusion matrix; default ['Negative', 'Positive']. */
  labels?: [string, string];
  /** ONNX/TypeScript probability differences above this are warned about; default 1e-4. */
  onnxTolerance?: number;
}

const METRICS: [keyof EvaluationMetrics, string, string][] = [
  ['accuracy', 'Accuracy', 'Share of rows classified correctly: (TP + TN) / n.'],
  [
    'balancedAccuracy',
    'Balanced accuracy',
    'Mean of true positive and true negative rates; robust to class imbalance.',
  ],
  ['precision', 'Precision', 'Share of positive predictions that are correct: TP / (TP + FP).'],
  ['recall', 'Recall (TPR)', 'Share of actual positives found: TP / (TP + FN).'],
  ['f1', 'F1 score', 'Harmonic mean of precision and recall.'],
  ['rocAuc', 'ROC AUC', 'Probability that a random positive scores above a random negative; 0.5 is chance.'],
  ['logLoss', 'Log loss', 'Mean negative log-likelihood of the true labels; lower is better.'],
  ['brierScore', 'Brier score', 'Mean squared error of predicted probabilities; lower is better.'],
];

/**
 * The evaluation section of one model: headline metrics, confusion matrix, ROC curve and metrics
 * per protected group, with warnings for undefined metrics, small groups and ONNX mismatches.
 */
export function evaluationSection(
  result: EvaluationResult,
  options: EvaluationSectionOptions = {},
): ReportSection {
  const { tp, fp, tn, fn } = result.confusion;
  const n = tp + fp + tn + fn;
  const labels = options.labels ?? ['Negative', 'Positive'];
  const blocks: ReportBlock[] = [];

  const facts: [string, string | number][] = [
    ['Model', result.model],
    ['Decision threshold', String(result.threshold)],
    ['Evaluation rows', formatCount(n)],
    ['Training time', formatDuration(result.trainingSeconds)],
  ];
  if (result.onnxMaxAbsDiff !== undefined) facts.push(['ONNX max |Δp|', formatMetric(result.onnxMaxAbsDiff)]);
  blocks.push({ kind: 'keyValue', items: facts });

  const warnings = evaluationWarnings(result, options.onnxTolerance ?? 1e-4);
  if (warnings.length > 0) blocks.push({ kind: 'warnings', items: warnings });

  blocks.push({
    kind: 'table',
    caption: 'Metrics',
    columns: ['Metric', 'Value', 'What it measures'],
    rows: METRICS.map(([key, name, meaning]) => [name, result.metrics[key], meaning]),
    numberFormat: 'metric',
  });
  blocks.push({
    kind: 'chart',
    caption: `Confusion matrix at threshold ${result.threshold}: rows are actual classes, columns predicted classes.`,
    svg: confusionMatrixChart({ tp, fp, tn, fn, labels }),
  });
  if (result.roc.fpr.length >= 2) {
    blocks.push({
      kind: 'chart',
      caption: `ROC curve of ${result.model} (AUC ${formatMetric(result.metrics.rocAuc)}); the dashed diagonal is a random classifier.`,
      svg: rocChart({
        curves: [
          { name: result.model, fpr: result.roc.fpr, tpr: result.roc.tpr, auc: result.metrics.rocAuc },
        ],
      }),
    });
  }
  if (result.byGroup.length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'Metrics by group',
      columns: ['Attribute', 'Group', 'Rows', 'Selection rate', 'Accuracy', 'TPR', 'FPR'],
      rows: result.byGroup.map((g) => [
        g.attribute,
        g.group,
        g.count,
        g.selectionRate,
        g.accuracy,
        g.tpr,
        g.fpr,
      ]),
      numberFormat: ['auto', 'auto', 'count', 'metric', 'metric', 'metric', 'metric'],
    });
  }

  const m = result.metrics;
  return {
    id: options.id ?? 'evaluation',
    title: options.title ?? `Evaluation: ${result.model}`,
    summary: `${result.model} on ${formatCount(n)} evaluation rows at threshold ${result.threshold}: accuracy ${formatMetric(
      m.accuracy,
    )}, balanced accuracy ${formatMetric(m.balancedAccuracy)}, ROC AUC ${formatMetric(m.rocAuc)}.`,
    blocks,
  };
}

function evaluationWarnings(result: EvaluationResult, onnxTolerance: number): string[] {
  const out: string[] = [];
  const { tp, fp, tn, fn } = result.confusion;
  if (tp + fp + tn + fn === 0) out.push('The confusion matrix is empty: no evaluation rows were scored.');
  for (const [key, name] of METRICS) {
    if (!Number.isFinite(result.metrics[key])) {
      out.push(`${name} is undefined (${result.metrics[key]}) on the evaluation rows.`);
    }
  }
  if (result.roc.fpr.length !== result.roc.tpr.length) {
    out.push(
      `The ROC curve has ${result.roc.fpr.length} false positive rates but ${result.roc.tpr.length} true positive rates; it is not drawn.`,
    );
  }
  if (result.onnxMaxAbsDiff !== undefined && !(result.onnxMaxAbsDiff <= onnxTolerance)) {
    out.push(
      `ONNX and TypeScript probabilities differ by up to ${formatMetric(result.onnxMaxAbsDiff)} (tolerance ${onnxTolerance}); check the exported model before serving it.`,
    );
  }
  for (const g of result.byGroup) {
    const name = `'${g.attribute} = ${g.group}'`;
    if (g.count < SMALL_GROUP_ROWS) {
      out.push(
        `Group ${name} has only ${formatCount(g.count)} evaluation rows (fewer than ${SMALL_GROUP_ROWS}); its metrics are too noisy to compare.`,
      );
    }
    if (g.tpr === null)
      out.push(`TPR is undefined for group ${name}: it has no positive labels in the evaluation rows.`);
    if (g.fpr === null)
      out.push(`FPR is undefined for group ${name}: it has no negative labels in the evaluation rows.`);
  }
  return out;
}
