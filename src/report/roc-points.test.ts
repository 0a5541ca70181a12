import { describe, expect, it } from 'vitest';
import { downsampleCurve } from './roc-points.js';

/** Linear interpolation of a polyline with ascending x at `x`. */
function interpolate(xs: number[], ys: number[], x: number): number {
  let k = 1;
  while (k < xs.length - 1 && xs[k] < x) k++;
  const t = xs[k] === xs[k - 1] ? 1 : (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
  return ys[k - 1] + t * (ys[k] - ys[k - 1]);
}

describe('downsampleCurve', () => {
  it('returns the curve unchanged (as plain arrays) when it is short enough', () => {
    const out = downsampleCurve(new Float64Array([0, 0.5, 1]), new Float64Array([0, 0.8, 1]), 3);
    expect(out).toEqual({ fpr: [0, 0.5, 1], tpr: [0, 0.8, 1] });
  });

  it('keeps exactly the corners of a staircase sampled with many collinear points', () => {
    // Hand derivation: every interior point of each straight run lies on the chord between the
    // run's corners, so after the 5 corners are kept the remaining distance is 0 and RDP stops.
    const corners = [
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ];
    const fpr: number[] = [];
    const tpr: number[] = [];
    for (let c = 0; c < corners.length - 1; c++) {
      for (let i = 0; i < 100; i++) {
        const t = i / 100;
        fpr.push(corners[c][0] + t * (corners[c + 1][0] - corners[c][0]));
        tpr.push(corners[c][1] + t * (corners[c + 1][1] - corners[c][1]));
      }
    }
    fpr.push(1);
    tpr.push(1);
    const out = downsampleCurve(fpr, tpr, 200);
    expect(out.fpr).toEqual(corners.map((p) => p[0]));
    expect(out.tpr).toEqual(corners.map((p) => p[1]));
  });

  it('keeps endpoints, respects maxPoints and stays within 0.01 of a smooth curve', () => {
    const n = 20001;
    const fpr = new Float64Array(n);
    const tpr = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      fpr[i] = i / (n - 1);
      tpr[i] = Math.sqrt(fpr[i]);
    }
    const out = downsampleCurve(fpr, tpr, 100);
    expect(out.fpr.length).toBeLessThanOrEqual(100);
    expect([out.fpr[0], out.tpr[0]]).toEqual([0, 0]);
    expect([out.fpr.at(-1), out.tpr.at(-1)]).toEqual([1, 1]);
    // Tolerance 0.01 in TPR: generous bound for 100 points on sqrt (chord error ~ 1e-3 away from 0).
    let worst = 0;
    for (let i = 0; i < n; i += 7)
      worst = Math.max(worst, Math.abs(interpolate(out.fpr, out.tpr, fpr[i]) - tpr[i]));
    expect(worst).toBeLessThan(0.01);
  });

  it('rejects mismatched lengths and too small maxPoints', () => {
    expect(() => downsampleCurve([0, 1], [0], 10)).toThrow(/same length/);
    expect(() => downsampleCurve([0, 0.5, 1], [0, 0.5, 1], 1)).toThrow(/maxPoints/);
  });
});
