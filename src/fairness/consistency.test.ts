import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { consistency } from './consistency.js';

/** Brute force with a full sort per row (stable: ties keep the lower index), for comparison. */
function naive(x: number[][], y: number[], k: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const order = x
      .map((row, j) => ({ j, d: row.reduce((a, v, f) => a + (v - x[i][f]) ** 2, 0) }))
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, k);
    total += Math.abs(y[i] - order.reduce((a, o) => a + y[o.j], 0) / k);
  }
  return 1 - total / x.length;
}

describe('consistency (Zemel et al. 2013, AIF360 BinaryLabelDatasetMetric.consistency)', () => {
  it('matches a hand derivation: 5/9 for two clusters of three with k = 3', () => {
    // kNN means (the row itself included): 2/3, 2/3, 2/3, 1/3, 1/3, 1/3 → Σ|y − mean| = 8/3 over 6 rows.
    const value = consistency([0, 1, 2, 10, 11, 12], [1, 1, 0, 0, 0, 1], { k: 3 });
    expect(value).toBeCloseTo(5 / 9, 15);
  });

  it('equals a sort-based brute force on random data (k = 5), to 1e-15', () => {
    const rng = new Rng(7);
    const x = Array.from({ length: 60 }, () => [rng.next(), rng.next(), Math.round(rng.next() * 3)]);
    const y = x.map(() => (rng.next() < 0.4 ? 1 : 0));
    expect(Math.abs(consistency(x.flat(), y) - naive(x, y, 5))).toBeLessThan(1e-15);
  });

  it('is 1 when the outcome is constant and rejects bad k', () => {
    expect(consistency([0, 1, 2, 3, 4, 5], [1, 1, 1, 1, 1, 1])).toBe(1);
    expect(() => consistency([0, 1], [1, 0], { k: 3 })).toThrow(/at most the number of rows/);
    expect(() => consistency([0, 1], [1, 0], { k: 0 })).toThrow(/integer >= 1/);
  });
});
