import type { CellCounts, DisaggregatedCounts } from './group-counts.js';
import { groupLabel } from './privileged.js';
import { Divider } from './zero-division.js';

/** The per-group metric fields of an audit, in the reference files' order and spelling. */
export const GROUP_METRIC_NAMES = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'false_negative_rate',
  'true_negative_rate',
  'precision',
  'accuracy',
  'base_rate',
] as const;

/** Name of a per-group metric. */
export type GroupMetricName = (typeof GROUP_METRIC_NAMES)[number];

/** Fairlearn's `MetricFrame.by_group` row for one observed combination of the protected columns. */
export interface GroupMetrics {
  /** The group's value of each protected column. */
  group: Record<string, string>;
  /** Rows in the group (unweighted). */
  count: number;
  /** P(ŷ = 1 | group), weighted. */
  selection_rate: number;
  /** TP / (TP + FN). */
  true_positive_rate: number;
  /** FP / (FP + TN). */
  false_positive_rate: number;
  /** FN / (TP + FN). */
  false_negative_rate: number;
  /** TN / (FP + TN). */
  true_negative_rate: number;
  /** TP / (TP + FP) (scikit-learn's `precision_score`). */
  precision: number;
  /** (TP + TN) / n. */
  accuracy: number;
  /** P(y = 1 | group): share of favourable labels. */
  base_rate: number;
}

/**
 * Fairlearn's per-group metrics of one cell. Rates follow scikit-learn under the `'reference'` rule:
 * `confusion_matrix(normalize="true")` and `precision_score` turn 0/0 into 0.
 */
export function cellMetrics(cell: CellCounts, divider = new Divider()): GroupMetrics {
  const { tp, fp, tn, fn } = cell;
  const n = tp + fp + tn + fn;
  const label = `group ${groupLabel(cell.group)}`;
  const d = (num: number, den: number, metric: string, why: string) =>
    divider.div(num, den, 'sklearn', `${metric} of ${label}`, why);
  return {
    group: { ...cell.group },
    count: cell.rows,
    selection_rate: d(tp + fp, n, 'selection_rate', 'no weight'),
    true_positive_rate: d(tp, fn + tp, 'true_positive_rate', 'no positive labels'),
    false_positive_rate: d(fp, tn + fp, 'false_positive_rate', 'no negative labels'),
    false_negative_rate: d(fn, fn + tp, 'false_negative_rate', 'no positive labels'),
    true_negative_rate: d(tn, tn + fp, 'true_negative_rate', 'no negative labels'),
    precision: d(tp, tp + fp, 'precision', 'no positive predictions'),
    accuracy: d(tp + tn, n, 'accuracy', 'no weight'),
    base_rate: d(tp + fn, n, 'base_rate', 'no weight'),
  };
}

/** Fairlearn's `MetricFrame.by_group`: one row per observed cell, in the engine's cell order. */
export function groupMetrics(counts: DisaggregatedCounts, divider = new Divider()): GroupMetrics[] {
  return counts.cells.map((c) => cellMetrics(c, divider));
}

/** Largest value over groups, skipping NaN (pandas' `max`); NaN when every value is NaN. */
export function groupMax(values: readonly number[]): number {
  let best = Number.NaN;
  for (const v of values) if (!Number.isNaN(v) && !(v <= best)) best = v;
  return best;
}

/** Smallest value over groups, skipping NaN (pandas' `min`, Fairlearn's `group_min`). */
export function groupMin(values: readonly number[]): number {
  let best = Number.NaN;
  for (const v of values) if (!Number.isNaN(v) && !(v >= best)) best = v;
  return best;
}

/** Fairlearn's between-groups difference: max − min over groups (`MetricFrame.difference()`). */
export function groupDifference(values: readonly number[]): number {
  return groupMax(values) - groupMin(values);
}

/**
 * Fairlearn's between-groups ratio: min / max over groups (`MetricFrame.ratio()`); a maximum of 0
 * is 0/0 (NaN under the `'reference'` rule).
 */
export function groupRatio(values: readonly number[], divider = new Divider(), what = 'ratio'): number {
  return divider.div(groupMin(values), groupMax(values), 'fairlearn-ratio', what, 'every group has 0');
}

/** One per-group metric across groups, ready for the `group…` helpers. */
export function metricValues(groups: readonly GroupMetrics[], metric: GroupMetricName): number[] {
  return groups.map((g) => g[metric]);
}
