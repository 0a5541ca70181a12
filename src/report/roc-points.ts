import { checkInteger, InvalidParameterError } from '../core/index.js';

/** Points of a curve in the unit square, as plain arrays (JSON-serialisable). */
export interface CurvePoints {
  /** x coordinates (false positive rate for ROC). */
  fpr: number[];
  /** y coordinates (true positive rate for ROC). */
  tpr: number[];
}

/**
 * Reduces a curve to at most `maxPoints` points for display, keeping both endpoints and the
 * points that carry its shape. Greedy Ramer-Douglas-Peucker (Douglas & Peucker 1973): starting from
 * the chord between the endpoints, repeatedly keep the point farthest from the current polyline
 * until `maxPoints` are kept or every remaining point lies on it. Only for drawing: compute AUC
 * and other metrics from the full curve.
 */
export function downsampleCurve(
  fpr: ArrayLike<number>,
  tpr: ArrayLike<number>,
  maxPoints = 200,
): CurvePoints {
  if (fpr.length !== tpr.length) {
    throw new InvalidParameterError(
      `The 'fpr' and 'tpr' arguments of downsampleCurve must have the same length. Got ${fpr.length} and ${tpr.length} instead.`,
    );
  }
  checkInteger('downsampleCurve', 'maxPoints', maxPoints, 2);
  const n = fpr.length;
  if (n <= maxPoints) return { fpr: Array.from(fpr), tpr: Array.from(tpr) };

  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  let kept = 2;
  const open: Segment[] = [farthest(fpr, tpr, 0, n - 1)];
  while (kept < maxPoints && open.length > 0) {
    let best = 0;
    for (let s = 1; s < open.length; s++) if (open[s].distance > open[best].distance) best = s;
    const seg = open[best];
    if (seg.distance <= 0) break;
    open.splice(best, 1);
    keep[seg.index] = 1;
    kept++;
    if (seg.index - seg.start > 1) open.push(farthest(fpr, tpr, seg.start, seg.index));
    if (seg.end - seg.index > 1) open.push(farthest(fpr, tpr, seg.index, seg.end));
  }

  const out: CurvePoints = { fpr: [], tpr: [] };
  for (let i = 0; i < n; i++) {
    if (keep[i] === 1) {
      out.fpr.push(fpr[i]);
      out.tpr.push(tpr[i]);
    }
  }
  return out;
}

interface Segment {
  start: number;
  end: number;
  /** Index of the interior point farthest from the chord start-end. */
  index: number;
  /** Its distance to the chord (0 when every interior point is on it). */
  distance: number;
}

function farthest(x: ArrayLike<number>, y: ArrayLike<number>, start: number, end: number): Segment {
  const ax = x[start];
  const ay = y[start];
  const dx = x[end] - ax;
  const dy = y[end] - ay;
  const len2 = dx * dx + dy * dy;
  let index = start + 1;
  let distance = -1;
  for (let i = start + 1; i < end; i++) {
    // Distance from point i to the closed segment (not the infinite line) start-end.
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((x[i] - ax) * dx + (y[i] - ay) * dy) / len2)) : 0;
    const ex = x[i] - (ax + t * dx);
    const ey = y[i] - (ay + t * dy);
    const d = ex * ex + ey * ey;
    if (d > distance) {
      distance = d;
      index = i;
    }
  }
  return { start, end, index, distance: Math.max(0, distance) };
}
