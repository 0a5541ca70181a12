/** One thresholded classifier ŷ = 1[s > threshold] of a group and where it lands in a 2-D plane. */
export interface HullPoint {
  /** x coordinate (selection rate for demographic parity, FPR for equalized odds). */
  readonly x: number;
  /** y coordinate (the group's objective contribution, or TPR). */
  readonly y: number;
  /** The threshold: predict 1 iff score > threshold (-1 predicts 1 for every row). */
  readonly threshold: number;
}

/** Per-threshold counts of one group: rows, positives and negatives predicted 1 by ŷ = 1[s > θ]. */
export interface ThresholdSweep {
  /** Thresholds, descending: the group's distinct scores, then -1. */
  readonly thresholds: Float64Array;
  /** Positive-label rows with s > θ. */
  readonly truePositives: Float64Array;
  /** Negative-label rows with s > θ. */
  readonly falsePositives: Float64Array;
  /** Positive-label and negative-label rows of the group. */
  readonly positives: number;
  readonly negatives: number;
}

/** Sorts one group's scores once and sweeps every distinct threshold (ties move together). */
export function sweepThresholds(scores: Float64Array, labels: Uint8Array): ThresholdSweep {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  const thresholds: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let p = 0;
  let f = 0;
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i]];
    thresholds.push(s); // rows strictly above s are the ones counted so far
    tp.push(p);
    fp.push(f);
    while (i < order.length && scores[order[i]] === s) {
      if (labels[order[i]] === 1) p++;
      else f++;
      i++;
    }
  }
  thresholds.push(-1);
  tp.push(p);
  fp.push(f);
  return {
    thresholds: Float64Array.from(thresholds),
    truePositives: Float64Array.from(tp),
    falsePositives: Float64Array.from(fp),
    positives: p,
    negatives: f,
  };
}

/**
 * Upper concave hull (Andrew's monotone chain) of points given in ascending x; for equal x only the
 * highest y is kept and collinear middle points are dropped.
 */
export function upperHull(points: readonly HullPoint[]): HullPoint[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || b.y - a.y);
  const hull: HullPoint[] = [];
  for (const pt of sorted) {
    if (hull.length > 0 && hull[hull.length - 1].x === pt.x) continue;
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // Drop b unless a -> b -> pt turns clockwise (b strictly above the chord a-pt).
      const cross = (b.x - a.x) * (pt.y - a.y) - (b.y - a.y) * (pt.x - a.x);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(pt);
  }
  return hull;
}

/** Where x falls on a hull: the two vertices around it and the weight `lambda` of the upper one. */
export interface HullPosition {
  readonly low: HullPoint;
  readonly high: HullPoint;
  readonly lambda: number;
  /** Interpolated y at x. */
  readonly y: number;
}

/** Locates x on the hull (x must lie within its x range) and interpolates y linearly. */
export function locateOnHull(hull: readonly HullPoint[], x: number): HullPosition {
  let lo = 0;
  let hi = hull.length - 1;
  if (x <= hull[0].x) return { low: hull[0], high: hull[0], lambda: 0, y: hull[0].y };
  if (x >= hull[hi].x) return { low: hull[hi], high: hull[hi], lambda: 0, y: hull[hi].y };
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (hull[mid].x <= x) lo = mid;
    else hi = mid;
  }
  const a = hull[lo];
  const b = hull[hi];
  if (a.x === x) return { low: a, high: a, lambda: 0, y: a.y };
  const lambda = (x - a.x) / (b.x - a.x);
  return { low: a, high: b, lambda, y: a.y + lambda * (b.y - a.y) };
}
