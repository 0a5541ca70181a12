import { InvalidParameterError } from '../core/index.js';

/** Options of `consistency`. */
export interface ConsistencyOptions {
  /** Neighbours per row, the row itself included (as scikit-learn's `kneighbors(X)` returns it); default 5. */
  k?: number;
}

/**
 * Individual fairness as consistency (Zemel et al. 2013, "Learning Fair Representations"; AIF360's
 * `BinaryLabelDatasetMetric.consistency`): 1 − (1/n) Σ_i |ŷ_i − mean_{j ∈ kNN(x_i)} ŷ_j|, where
 * kNN(x_i) are the k rows nearest to x_i in Euclidean distance over the feature matrix, x_i itself
 * included (AIF360 fits `NearestNeighbors` on X and queries X). Ties in distance go to the lower row
 * index. Brute force: O(n² · d) time and O(n + k) memory, fine up to ~10⁴ rows; sample larger data.
 *
 * `features` is row-major (row i is features[i·d … i·d + d − 1]); `outcomes` are 0/1 labels or
 * predictions, one per row.
 */
export function consistency(
  features: ArrayLike<number>,
  outcomes: ArrayLike<number>,
  options: ConsistencyOptions = {},
): number {
  const n = outcomes.length;
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidParameterError(
      `The 'k' option of consistency must be an integer >= 1. Got ${k} instead.`,
    );
  }
  if (n === 0) {
    throw new InvalidParameterError(
      'The outcomes given to consistency must not be empty. Got 0 rows instead.',
    );
  }
  if (features.length % n !== 0) {
    throw new InvalidParameterError(
      `The features given to consistency must hold d values per row (${n} rows). Got ${features.length} values instead.`,
    );
  }
  if (k > n) {
    throw new InvalidParameterError(
      `The 'k' option of consistency must be at most the number of rows (${n}). Got ${k} instead.`,
    );
  }
  const d = features.length / n;
  const nearestIdx = new Int32Array(k);
  const nearestDist = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let filled = 0;
    for (let j = 0; j < n; j++) {
      let dist = 0;
      for (let f = 0; f < d; f++) {
        const diff = features[i * d + f] - features[j * d + f];
        dist += diff * diff;
      }
      if (filled === k && dist >= nearestDist[k - 1]) continue;
      // Insertion into the sorted k-best list; equal distances keep the earlier (lower) index first.
      let pos = filled < k ? filled++ : k - 1;
      while (pos > 0 && nearestDist[pos - 1] > dist) {
        nearestDist[pos] = nearestDist[pos - 1];
        nearestIdx[pos] = nearestIdx[pos - 1];
        pos--;
      }
      nearestDist[pos] = dist;
      nearestIdx[pos] = j;
    }
    let mean = 0;
    for (let m = 0; m < k; m++) mean += outcomes[nearestIdx[m]];
    total += Math.abs(outcomes[i] - mean / k);
  }
  return 1 - total / n;
}
