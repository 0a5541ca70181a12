/** Counts of favourable predictions per group and label for one (threshold, margin) candidate. */
export interface RocCandidateCounts {
  /** Unprivileged rows with label 1 / label 0 predicted favourable. */
  readonly unprivPos: number;
  readonly unprivNeg: number;
  /** Privileged rows with label 1 / label 0 predicted favourable. */
  readonly privPos: number;
  readonly privNeg: number;
}

/** Group and label totals of the training rows. */
export interface RocTotals {
  /** Unprivileged rows with label 1 / label 0. */
  readonly unprivPos: number;
  readonly unprivNeg: number;
  /** Privileged rows with label 1 / label 0. */
  readonly privPos: number;
  readonly privNeg: number;
}

/** The fairness metric RejectOptionClassification bounds (AIF360's three, unprivileged − privileged). */
export type RocMetric =
  | 'statistical_parity_difference'
  | 'average_odds_difference'
  | 'equal_opportunity_difference';

/** NumPy's `linspace(lo, hi, num)`: `lo + i * step` with the last point set to `hi` exactly. */
export function linspace(lo: number, hi: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = lo;
    return out;
  }
  const step = (hi - lo) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = lo + i * step;
  out[num - 1] = hi;
  return out;
}

/** Balanced accuracy `(TPR + TNR) / 2` of a candidate over all rows. */
export function rocBalancedAccuracy(c: RocCandidateCounts, t: RocTotals): number {
  const tpr = (c.unprivPos + c.privPos) / (t.unprivPos + t.privPos);
  const tnr = (t.unprivNeg + t.privNeg - (c.unprivNeg + c.privNeg)) / (t.unprivNeg + t.privNeg);
  return 0.5 * (tpr + tnr);
}

/**
 * AIF360's fairness metric of a candidate, unprivileged − privileged: SPD = P(ŷ=1|u) − P(ŷ=1|p),
 * EOD = TPR_u − TPR_p, AOD = ((FPR_u − FPR_p) + (TPR_u − TPR_p)) / 2. NaN where a rate is 0/0.
 */
export function rocFairnessMetric(metric: RocMetric, c: RocCandidateCounts, t: RocTotals): number {
  if (metric === 'statistical_parity_difference') {
    return (
      (c.unprivPos + c.unprivNeg) / (t.unprivPos + t.unprivNeg) -
      (c.privPos + c.privNeg) / (t.privPos + t.privNeg)
    );
  }
  const tprDiff = c.unprivPos / t.unprivPos - c.privPos / t.privPos;
  if (metric === 'equal_opportunity_difference') return tprDiff;
  const fprDiff = c.unprivNeg / t.unprivNeg - c.privNeg / t.privNeg;
  return 0.5 * (fprDiff + tprDiff);
}

/** Number of entries of ascending `sorted` that are strictly greater than `x` (binary search). */
export function countAbove(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/**
 * Scores of the training rows split by group and label, each sorted once, so that the favourable
 * counts of any (threshold t, margin m) candidate are four binary searches: a privileged row is
 * favourable iff s > t + m, an unprivileged row iff s > t − m (the critical region (t − m, t + m]
 * flips to unfavourable / favourable respectively).
 */
export class SortedGroupScores {
  private readonly cells: Float64Array[];
  /** Group and label totals. */
  readonly totals: RocTotals;

  /** Splits and sorts the scores; `privileged[i]` is 1 for privileged rows, 0 otherwise. */
  constructor(scores: Float64Array, labels: Uint8Array, privileged: Uint8Array) {
    const sizes = [0, 0, 0, 0];
    for (let i = 0; i < scores.length; i++) sizes[2 * privileged[i] + labels[i]]++;
    this.cells = sizes.map((s) => new Float64Array(s));
    const fill = [0, 0, 0, 0];
    for (let i = 0; i < scores.length; i++) {
      const k = 2 * privileged[i] + labels[i];
      this.cells[k][fill[k]++] = scores[i];
    }
    for (const cell of this.cells) cell.sort();
    this.totals = { unprivNeg: sizes[0], unprivPos: sizes[1], privNeg: sizes[2], privPos: sizes[3] };
  }

  /** Favourable counts of the candidate (threshold, margin). */
  counts(threshold: number, margin: number): RocCandidateCounts {
    const upper = threshold + margin;
    const lower = threshold - margin;
    return {
      unprivNeg: countAbove(this.cells[0], lower),
      unprivPos: countAbove(this.cells[1], lower),
      privNeg: countAbove(this.cells[2], upper),
      privPos: countAbove(this.cells[3], upper),
    };
  }
}
