import { type GroupMetrics, groupDifference, groupRatio, metricValues } from './group-metrics.js';
import { Divider } from './zero-division.js';

/** The Fairlearn-convention metrics of an audit, in the reference files' order and spelling. */
export const FAIRLEARN_METRIC_NAMES = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
] as const;

/** Name of a Fairlearn-convention metric. */
export type FairlearnMetricName = (typeof FAIRLEARN_METRIC_NAMES)[number];

/** Python's built-in `max(a, b)`: keeps `a` unless `b > a` (so a NaN first argument wins). */
export function pythonMax(a: number, b: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.max returns NaN for any NaN; Python's max does not.
  return b > a ? b : a;
}

/** Python's built-in `min(a, b)`: keeps `a` unless `b < a` (so a NaN first argument wins). */
export function pythonMin(a: number, b: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.min returns NaN for any NaN; Python's min does not.
  return b < a ? b : a;
}

/**
 * Fairlearn's aggregate disparities over every observed group (Fairlearn v0.12):
 * - DPD = max_a P(ŷ=1|A=a) − min_a P(ŷ=1|A=a); DPR = min_a P(ŷ=1|A=a) / max_a P(ŷ=1|A=a);
 * - EOD = max(TPR difference, FPR difference), EOR = min(TPR ratio, FPR ratio), the pair taken in the
 *   order (TPR, FPR) by Python's built-in max/min (Hardt et al. 2016's equalized odds as a number).
 */
export function fairlearnMetrics(
  groups: readonly GroupMetrics[],
  divider = new Divider(),
): Record<FairlearnMetricName, number> {
  const selection = metricValues(groups, 'selection_rate');
  const tpr = metricValues(groups, 'true_positive_rate');
  const fpr = metricValues(groups, 'false_positive_rate');
  return {
    demographic_parity_difference: groupDifference(selection),
    demographic_parity_ratio: groupRatio(selection, divider, 'demographic_parity_ratio'),
    equalized_odds_difference: pythonMax(groupDifference(tpr), groupDifference(fpr)),
    equalized_odds_ratio: pythonMin(
      groupRatio(tpr, divider, 'true_positive_rate ratio (equalized_odds_ratio)'),
      groupRatio(fpr, divider, 'false_positive_rate ratio (equalized_odds_ratio)'),
    ),
  };
}
