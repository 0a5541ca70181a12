import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../../core/index.js';
import { dpQuantile, quantileIntervalLogWeights } from './dp-quantile.js';
import { chi2Critical, chiSquare } from './goodness-of-fit.test-suite.js';
import { SeededRandom } from './random-source.js';

describe('dpQuantile (Smith 2011)', () => {
  it('weights interval i by width·exp(−ε|i − qn|/2) (hand derivation)', () => {
    // Values 3, 1, 4, 2 in [0, 10], q = 1/2, n = 4: intervals [0,1], [1,2], [2,3], [3,4], [4,10].
    const { ends, logWeights } = quantileIntervalLogWeights([3, 1, 4, 2], 0.5, 1, 0, 10);
    expect(Array.from(ends)).toEqual([0, 1, 2, 3, 4, 10]);
    const expected = [1, 1, 1, 1, 6].map((w, i) => Math.log(w) - Math.abs(i - 2) / 2);
    Array.from(logWeights).forEach((lw, i) => {
      expect(lw).toBeCloseTo(expected[i], 14);
    });
  });

  it('follows that interval pmf, uniform inside each interval (chi-square, n = 20000, seed 51, α = 0.001)', () => {
    const weights = [1, 1, 1, 1, 6].map((w, i) => w * Math.exp(-Math.abs(i - 2) / 2));
    const total = weights.reduce((a, b) => a + b, 0);
    // Split each interval into halves: the pmf of the 10 half-intervals is weight/2 each (uniform inside).
    const p = weights.flatMap((w) => [w / total / 2, w / total / 2]);
    const cuts = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 7, 10];
    const r = new SeededRandom(51);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      const y = dpQuantile([3, 1, 4, 2], { epsilon: 1, q: 0.5, lower: 0, upper: 10, random: r }).value;
      let k = 0;
      while (k < 9 && y >= cuts[k + 1]) k++;
      counts[k]++;
    }
    const { statistic, df } = chiSquare(counts, p);
    expect(df).toBe(9);
    expect(statistic).toBeLessThan(chi2Critical(df));
  });

  it('lands near the true median for many rows and clamps to the bounds', () => {
    const values = Array.from({ length: 2001 }, (_, i) => i / 2); // 0, 0.5, …, 1000; median 500
    const r = new SeededRandom(52);
    for (let i = 0; i < 20; i++) {
      // P(|rank error| > 40) ≤ 2001·e^(−20)·(widths) — negligible (hand bound).
      const m = dpQuantile(values, { epsilon: 1, q: 0.5, lower: 0, upper: 1000, random: r });
      expect(Math.abs(m.value - 500)).toBeLessThan(20);
      expect(m).toMatchObject({ epsilon: 1, delta: 0, mechanism: 'exponential' });
    }
    const high = dpQuantile([1e9, 2e9], { epsilon: 5, q: 0.9, lower: 0, upper: 10, seed: 3 }).value;
    expect(high >= 0 && high <= 10).toBe(true);
  });

  it('rejects q outside [0, 1], bad bounds and missing values', () => {
    expect(() => dpQuantile([1], { epsilon: 1, q: 1.5, lower: 0, upper: 1 })).toThrow(
      /'q' option of dpQuantile must be in \[0, 1\]/,
    );
    expect(() => dpQuantile([1], { epsilon: 1, q: -0.1, lower: 0, upper: 1 })).toThrow(/'q'/);
    expect(() => dpQuantile([1], { epsilon: 1, q: 0.5, lower: 1, upper: 1 })).toThrow(/'upper'/);
    expect(() => dpQuantile([1], { epsilon: 0, q: 0.5, lower: 0, upper: 1 })).toThrow(/'epsilon'/);
    expect(() => dpQuantile([Number.NaN], { epsilon: 1, q: 0.5, lower: 0, upper: 1 })).toThrow(
      DataValidationError,
    );
  });
});
