import type { DisaggregatedCounts } from './group-counts.js';
import { type PrivilegedGroup, splitPrivileged } from './privileged.js';
import { Divider } from './zero-division.js';

/** Metrics of the labels alone (no model), named like the references' `aif360_label_metrics`. */
export interface DatasetMetrics {
  /** P(y = 1 | privileged). */
  base_rate_privileged: number;
  /** P(y = 1 | unprivileged). */
  base_rate_unprivileged: number;
  /** P(y = 1 | unprivileged) − P(y = 1 | privileged) (AIF360 `BinaryLabelDatasetMetric`). */
  label_statistical_parity_difference: number;
  /** P(y = 1 | unprivileged) / P(y = 1 | privileged) (Feldman et al. 2015, on the labels). */
  label_disparate_impact: number;
  /** AIF360's `consistency` (Zemel et al. 2013), when a feature matrix was given. */
  consistency?: number;
}

/**
 * AIF360's `BinaryLabelDatasetMetric` on the true labels: base rates of both sides, their
 * difference (unprivileged − privileged) and ratio (unprivileged / privileged), weighted.
 */
export function datasetMetrics(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
  divider = new Divider(),
): DatasetMetrics {
  const sides = splitPrivileged(counts, privileged);
  const rate = (c: { tp: number; fp: number; tn: number; fn: number }, side: string) =>
    divider.div(c.tp + c.fn, c.tp + c.fp + c.tn + c.fn, 'numpy', `label base_rate of ${side}`, 'no rows');
  const p = rate(sides.privileged, 'the privileged group');
  const u = rate(sides.unprivileged, 'the unprivileged group');
  return {
    base_rate_privileged: p,
    base_rate_unprivileged: u,
    label_statistical_parity_difference: u - p,
    label_disparate_impact: divider.div(
      u,
      p,
      'numpy',
      'label_disparate_impact',
      'the privileged group has no favourable labels',
    ),
  };
}
