import type { DisaggregatedCounts } from './group-counts.js';
import { type Confusion, isPrivileged, type PrivilegedGroup, sumCells } from './privileged.js';

/**
 * Generalized entropy index of benefits b_i with (frequency) weights w_i (Speicher et al. 2018,
 * "A Unified Approach to Quantifying Algorithmic Unfairness", eq. 5), written as AIF360 computes it:
 * with μ = mean(b),
 *   GE(α) = mean((b/μ)^α − 1) / (α(α − 1))      for α ∉ {0, 1},
 *   GE(1) = mean(ln((b/μ)^b) / μ)                  (the Theil index),
 *   GE(0) = −mean(ln(b/μ)).
 * Values are distinct benefits and weights how many rows (or how much weight) carry each, so an
 * index over millions of rows costs O(distinct values).
 */
export function generalizedEntropyIndex(
  values: readonly number[],
  weights: readonly number[],
  alpha: number,
): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    total += weights[i];
    sum += weights[i] * values[i];
  }
  const mu = sum / total;
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    if (weights[i] === 0) continue;
    const r = values[i] / mu;
    const term =
      alpha === 1
        ? Math.log(r ** values[i]) / mu
        : alpha === 0
          ? -Math.log(r)
          : (r ** alpha - 1) / (alpha * (alpha - 1));
    acc += weights[i] * term;
  }
  return acc / total;
}

/**
 * Benefit counts of AIF360's individual fairness indices: b_i = ŷ_i − y_i + 1, so false negatives
 * have b = 0, correct predictions b = 1 and false positives b = 2. Returns [values, weights].
 */
export function benefits(c: Confusion): [number[], number[]] {
  return [
    [0, 1, 2],
    [c.fn, c.tp + c.tn, c.fp],
  ];
}

/** Generalized entropy index (Speicher et al. 2018) of b = ŷ − y + 1 over all rows; α = 2 by default. */
export function generalizedEntropyOfCounts(counts: DisaggregatedCounts, alpha = 2): number {
  const [values, weights] = benefits(sumCells(counts.cells));
  return generalizedEntropyIndex(values, weights, alpha);
}

/** Theil index (GE with α = 1; Speicher et al. 2018) of b = ŷ − y + 1 over all rows. */
export function theilIndexOfCounts(counts: DisaggregatedCounts): number {
  return generalizedEntropyOfCounts(counts, 1);
}

/**
 * Between-group generalized entropy index (Speicher et al. 2018, eq. 8) over the privileged and
 * unprivileged sides: every b_i is replaced by the mean benefit of its side, then GE(α) is taken.
 * α = 1 gives AIF360's `between_group_theil_index`.
 */
export function betweenGroupEntropyOfCounts(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
  alpha = 1,
): number {
  const values: number[] = [];
  const weights: number[] = [];
  for (const side of [true, false]) {
    const c = sumCells(counts.cells, (cell) => isPrivileged(cell, privileged) === side);
    const n = c.tp + c.fp + c.tn + c.fn;
    if (n === 0) continue;
    values.push((c.tp + c.tn + 2 * c.fp) / n);
    weights.push(n);
  }
  return generalizedEntropyIndex(values, weights, alpha);
}
