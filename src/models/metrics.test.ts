import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { classificationMetrics, rocAuc, rocCurve } from './metrics.js';

/** Brute-force AUC: P(score₊ > score₋) + ½ P(score₊ = score₋) over all positive/negative pairs. */
function pairwiseAuc(y: Uint8Array, s: Float64Array): number {
  let num = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    }
  }
  return num / pairs;
}

describe('classification metrics', () => {
  it('ROC AUC equals the pairwise (Mann-Whitney) count, ties included (tolerance 1e-12)', () => {
    const rng = new Rng(3);
    const n = 300;
    const y = new Uint8Array(n);
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.next() < 0.3 ? 1 : 0;
      s[i] = Math.round((rng.next() + y[i] * 0.4) * 20) / 20; // coarse scores force ties
    }
    expect(Math.abs(rocAuc(y, s) - pairwiseAuc(y, s))).toBeLessThan(1e-12);
  });

  it('roc_curve on the scikit-learn docs example (y = [1,1,2,2] as 0,0,1,1; scores .1 .4 .35 .8)', () => {
    const { fpr, tpr } = rocCurve(Uint8Array.from([0, 0, 1, 1]), Float64Array.from([0.1, 0.4, 0.35, 0.8]));
    // scikit-learn with drop_intermediate=False: fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1]
    expect(fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(rocAuc(Uint8Array.from([0, 0, 1, 1]), Float64Array.from([0.1, 0.4, 0.35, 0.8]))).toBe(0.75);
  });

  it('headline metrics by hand derivation', () => {
    const y = Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0]);
    const p = Float64Array.from([0.9, 0.6, 0.2, 0.7, 0.1, 0.1, 0.3, 0.4]);
    const m = classificationMetrics(y, p);
    // TP 2, FN 1, FP 1, TN 4
    expect(m.accuracy).toBe(6 / 8);
    expect(m.precision).toBe(2 / 3);
    expect(m.recall).toBe(2 / 3);
    expect(m.balancedAccuracy).toBeCloseTo((2 / 3 + 4 / 5) / 2, 15);
    expect(m.f1).toBeCloseTo(2 / 3, 15);
    const ll =
      -(
        Math.log(0.9) +
        Math.log(0.6) +
        Math.log(0.2) +
        Math.log(0.3) +
        2 * Math.log(0.9) +
        Math.log(0.7) +
        Math.log(0.6)
      ) / 8;
    expect(m.logLoss).toBeCloseTo(ll, 14);
  });
});
