/**
 * The report's input contract for a fairness audit: plain JSON-serialisable data, so the report layer
 * never imports steward/fairness and can be tested from fixtures. A metric that is undefined (0/0, a
 * group without positives) is `null` (what JSON makes of NaN); ±Infinity may also appear in memory.
 */

/** A two-sided confidence interval (e.g. a bootstrap percentile interval). */
export interface ValueInterval {
  /** Lower end. */
  lower: number;
  /** Upper end. */
  upper: number;
}

/** The per-group metrics a fairness report shows. */
export type FairnessGroupMetric = 'selectionRate' | 'tpr' | 'fpr' | 'precision' | 'accuracy' | 'baseRate';

/** Metrics of one group: an observed combination of the protected columns' values. */
export interface FairnessGroupView {
  /** Group label, e.g. "sex=Female, race=Black". */
  label: string;
  /** Rows in the group. */
  count: number;
  /** Share predicted positive: P(ŷ = 1 | group). */
  selectionRate: number | null;
  /** True positive rate TP / (TP + FN). */
  tpr: number | null;
  /** False positive rate FP / (FP + TN). */
  fpr: number | null;
  /** Precision TP / (TP + FP). */
  precision: number | null;
  /** Accuracy (TP + TN) / n. */
  accuracy: number | null;
  /** Share of positive labels: P(y = 1 | group). */
  baseRate: number | null;
  /** Confidence intervals of any of the metrics above. */
  intervals?: Partial<Record<FairnessGroupMetric, ValueInterval>>;
}

/** One headline fairness metric (statistical parity difference, equalized odds ratio, ...). */
export interface FairnessHeadlineMetric {
  /** Display name, e.g. "Disparate impact". */
  name: string;
  /** The value; null when undefined. */
  value: number | null;
  /** Confidence interval of the value. */
  interval?: ValueInterval;
  /** Convention or formula, e.g. "unprivileged / privileged (AIF360)". */
  description?: string;
}

/** One cell of an intersection grid: a pair of values of two protected columns. */
export interface IntersectionCellView {
  /** Value of the row column. */
  row: string;
  /** Value of the column column. */
  column: string;
  /** The metric in this intersection; null when undefined. */
  value: number | null;
  /** Rows in the intersection (0 or absent cell: not observed). */
  count: number;
}

/** A metric over the intersections of two protected columns, drawn as a heat map. */
export interface FairnessIntersectionView {
  /** Protected column whose values are the grid's rows. */
  rowColumn: string;
  /** Protected column whose values are the grid's columns. */
  columnColumn: string;
  /** What the cells show, e.g. "Selection rate" or "Selection rate / highest group". */
  metric: string;
  /** How cell values are written; default 'percent'. */
  format?: 'percent' | 'metric';
  /** Neutral value of a disparity (1 for a ratio, 0 for a difference): colours diverge around it. */
  center?: number;
  /** Observed intersections; missing pairs are drawn as "no rows". */
  cells: IntersectionCellView[];
}

/** Observed against expected share of one group. */
export interface RepresentativenessRowView {
  /** Group label, e.g. "sex=Female". */
  group: string;
  /** Rows in the group. */
  rows: number;
  /** Share of the audit's rows. */
  observedShare: number;
  /** Share in the reference population. */
  expectedShare: number;
  /** observedShare / expectedShare; null when the expected share is 0. */
  ratio: number | null;
}

/** Representativeness of the audit's rows against a reference population. */
export interface RepresentativenessView {
  /** Where the expected shares came from (file name). */
  source: string;
  /** One row per group. */
  rows: RepresentativenessRowView[];
  /** Pearson's chi-square goodness-of-fit test; statistic or p-value null when undefined. */
  chiSquare?: { statistic: number | null; degreesOfFreedom: number; pValue: number | null };
}

/** Everything the fairness section shows: the report's input contract for `fairnessSection`. */
export interface FairnessAuditView {
  /** Protected columns audited, in order. */
  protectedColumns: string[];
  /** Privileged group definition (AIF360): column → value; rows matching all are privileged. */
  privileged: Record<string, string>;
  /** Rows audited. */
  rows: number;
  /** Label column and its favourable value, when known. */
  label?: { column: string; positive: string };
  /** Confidence level of every interval, e.g. 0.95. */
  confidence?: number;
  /** How intervals were computed, e.g. "percentile bootstrap, 1000 replicates, seed 0". */
  intervalMethod?: string;
  /** The zero-division rule used, shown when given. */
  zeroDivision?: string;
  /** Headline metrics, in display order. */
  metrics: FairnessHeadlineMetric[];
  /** Metrics per group. */
  groups: FairnessGroupView[];
  /** Heat maps over pairs of protected columns. */
  intersections?: FairnessIntersectionView[];
  /** Group shares against a reference population. */
  representativeness?: RepresentativenessView;
  /** Warnings from the audit (undefined metrics, small groups, zero-division cases, ...). */
  warnings: string[];
}
