import { benefits, betweenGroupEntropyOfCounts, generalizedEntropyIndex } from './entropy-indices.js';
import type { DisaggregatedCounts } from './group-counts.js';
import { type Confusion, type PrivilegedGroup, splitPrivileged, sumCells } from './privileged.js';
import { Divider } from './zero-division.js';

/** The AIF360-convention metrics of an audit, in the reference files' order and spelling. */
export const AIF360_METRIC_NAMES = [
  'base_rate_privileged',
  'base_rate_unprivileged',
  'statistical_parity_difference',
  'disparate_impact',
  'equal_opportunity_difference',
  'average_odds_difference',
  'average_abs_odds_difference',
  'false_positive_rate_difference',
  'false_negative_rate_difference',
  'false_discovery_rate_difference',
  'false_omission_rate_difference',
  'error_rate_difference',
  'error_rate_ratio',
  'theil_index',
  'generalized_entropy_index',
  'between_group_theil_index',
  'accuracy',
  'balanced_accuracy',
] as const;

/** Name of an AIF360-convention metric. */
export type Aif360MetricName = (typeof AIF360_METRIC_NAMES)[number];

/** AIF360's rates of one side (privileged, unprivileged or all rows), from `ClassificationMetric`. */
export interface SideRates {
  /** Weighted rows. */
  count: number;
  /** P(y = 1). */
  base_rate: number;
  /** P(ŷ = 1). */
  selection_rate: number;
  /** TP / P. */
  true_positive_rate: number;
  /** FP / N. */
  false_positive_rate: number;
  /** FN / P. */
  false_negative_rate: number;
  /** TN / N. */
  true_negative_rate: number;
  /** TP / (TP + FP), guarded. */
  positive_predictive_value: number;
  /** FP / (TP + FP), guarded. */
  false_discovery_rate: number;
  /** FN / (TN + FN), guarded. */
  false_omission_rate: number;
  /** TN / (TN + FN), guarded. */
  negative_predictive_value: number;
  /** (TP + TN) / n, guarded. */
  accuracy: number;
  /** 1 − accuracy (AIF360 computes it so, which can differ from (FP + FN)/n in the last digit). */
  error_rate: number;
}

/** AIF360's per-side rates (`ClassificationMetric.performance_measures`) under a zero-division rule. */
export function sideRates(c: Confusion, side: string, divider = new Divider()): SideRates {
  const p = c.tp + c.fn;
  const n = c.tn + c.fp;
  const all = p + n;
  const d = (num: number, den: number, guarded: boolean, metric: string, why: string) =>
    divider.div(num, den, guarded ? 'guarded' : 'numpy', `${metric} of ${side}`, why);
  const accuracy = d(c.tp + c.tn, all, true, 'accuracy', 'no rows');
  return {
    count: all,
    base_rate: d(p, all, false, 'base_rate', 'no rows'),
    selection_rate: d(c.tp + c.fp, all, false, 'selection_rate', 'no rows'),
    true_positive_rate: d(c.tp, p, false, 'true_positive_rate', 'no positive labels'),
    false_positive_rate: d(c.fp, n, false, 'false_positive_rate', 'no negative labels'),
    false_negative_rate: d(c.fn, p, false, 'false_negative_rate', 'no positive labels'),
    true_negative_rate: d(c.tn, n, false, 'true_negative_rate', 'no negative labels'),
    positive_predictive_value: d(
      c.tp,
      c.tp + c.fp,
      true,
      'positive_predictive_value',
      'no positive predictions',
    ),
    false_discovery_rate: d(c.fp, c.tp + c.fp, true, 'false_discovery_rate', 'no positive predictions'),
    false_omission_rate: d(c.fn, c.tn + c.fn, true, 'false_omission_rate', 'no negative predictions'),
    negative_predictive_value: d(
      c.tn,
      c.tn + c.fn,
      true,
      'negative_predictive_value',
      'no negative predictions',
    ),
    accuracy,
    error_rate: 1 - accuracy,
  };
}

/**
 * AIF360's `ClassificationMetric` values for a privileged group (rows matching every pair) against
 * all other rows: differences are unprivileged − privileged, ratios unprivileged / privileged.
 * - statistical parity difference = P(ŷ=1|u) − P(ŷ=1|p); disparate impact = P(ŷ=1|u) / P(ŷ=1|p)
 *   (Feldman et al. 2015, "Certifying and Removing Disparate Impact");
 * - equal opportunity difference = TPR_u − TPR_p (Hardt et al. 2016, "Equality of Opportunity in
 *   Supervised Learning"); average (absolute) odds difference = ½[(FPR_u − FPR_p) + (TPR_u − TPR_p)];
 * - theil_index, generalized_entropy_index (α = 2), between_group_theil_index (Speicher et al. 2018)
 *   of b = ŷ − y + 1; with instance weights each row counts with its weight (AIF360 ignores weights
 *   in these three).
 * Accuracy and balanced accuracy = ½(TPR + TNR) are over all rows.
 */
export function aif360Metrics(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
  divider = new Divider(),
): Record<Aif360MetricName, number> {
  const sides = splitPrivileged(counts, privileged);
  const p = sideRates(sides.privileged, 'the privileged group', divider);
  const u = sideRates(sides.unprivileged, 'the unprivileged group', divider);
  const all = sideRates(sumCells(counts.cells), 'all rows', divider);
  const ratio = (metric: string, a: number, b: number) =>
    divider.div(a, b, 'numpy', metric, `the privileged group's value is 0`);
  const dTpr = u.true_positive_rate - p.true_positive_rate;
  const dFpr = u.false_positive_rate - p.false_positive_rate;
  const [values, weights] = benefits(sumCells(counts.cells));
  return {
    base_rate_privileged: p.base_rate,
    base_rate_unprivileged: u.base_rate,
    statistical_parity_difference: u.selection_rate - p.selection_rate,
    disparate_impact: ratio('disparate_impact', u.selection_rate, p.selection_rate),
    equal_opportunity_difference: dTpr,
    average_odds_difference: 0.5 * (dFpr + dTpr),
    average_abs_odds_difference: 0.5 * (Math.abs(dFpr) + Math.abs(dTpr)),
    false_positive_rate_difference: dFpr,
    false_negative_rate_difference: u.false_negative_rate - p.false_negative_rate,
    false_discovery_rate_difference: u.false_discovery_rate - p.false_discovery_rate,
    false_omission_rate_difference: u.false_omission_rate - p.false_omission_rate,
    error_rate_difference: u.error_rate - p.error_rate,
    error_rate_ratio: ratio('error_rate_ratio', u.error_rate, p.error_rate),
    theil_index: generalizedEntropyIndex(values, weights, 1),
    generalized_entropy_index: generalizedEntropyIndex(values, weights, 2),
    between_group_theil_index: betweenGroupEntropyOfCounts(counts, privileged, 1),
    accuracy: all.accuracy,
    balanced_accuracy: 0.5 * (all.true_positive_rate + all.true_negative_rate),
  };
}
