import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError, matrix, NotFittedError, Rng } from '../../core/index.js';
import { DisparateImpactRemover } from './disparate-impact-remover.js';

// Properties that define Feldman et al. (2015)'s repair (hand derivations, no reference numbers):
// λ = 0 is the identity; λ = 1 gives every group the same marginal (exactly for equal group sizes
// without ties; within 1/n_g + 1/n_h in Kolmogorov-Smirnov distance otherwise); the target is the
// median of the groups' quantile functions; λ in between interpolates linearly.

/** n rows × 2 columns, column 0 normal with a shift per group, column 1 untouched noise. */
function sample(sizes: Record<string, number>, seed = 0) {
  const rng = new Rng(seed);
  const groups: string[] = [];
  const shifts = Object.keys(sizes);
  for (const g of shifts) for (let i = 0; i < sizes[g]; i++) groups.push(g);
  const X = matrix(groups.length, 2);
  groups.forEach((g, i) => {
    X.data[i * 2] = rng.normal() * (1 + shifts.indexOf(g)) + 3 * shifts.indexOf(g);
    X.data[i * 2 + 1] = rng.normal();
  });
  return { X, groups };
}

function column(X: { data: Float64Array; cols: number }, groups: string[], g: string, j = 0): number[] {
  return groups.flatMap((h, i) => (h === g ? [X.data[i * X.cols + j]] : [])).sort((a, b) => a - b);
}

function ks(a: number[], b: number[]): number {
  let worst = 0;
  for (const t of [...a, ...b]) {
    const fa = a.filter((v) => v <= t).length / a.length;
    const fb = b.filter((v) => v <= t).length / b.length;
    worst = Math.max(worst, Math.abs(fa - fb));
  }
  return worst;
}

describe('DisparateImpactRemover (Feldman et al. 2015)', () => {
  it('repair level 0 is the identity, bit for bit', () => {
    const { X, groups } = sample({ a: 50, b: 80 });
    const out = new DisparateImpactRemover({ repairLevel: 0 }).fitTransform(X, groups);
    expect(out.data).toEqual(X.data);
    expect(out.data).not.toBe(X.data);
  });

  it('repair level 1 gives equal-size groups identical marginals', () => {
    const { X, groups } = sample({ a: 200, b: 200, c: 200 }, 1);
    const out = new DisparateImpactRemover({ features: [0] }).fitTransform(X, groups);
    expect(column(out, groups, 'a')).toEqual(column(out, groups, 'b'));
    expect(column(out, groups, 'a')).toEqual(column(out, groups, 'c'));
    // Columns not listed in `features` stay as they were.
    expect(column(out, groups, 'a', 1)).toEqual(column(X, groups, 'a', 1));
  });

  it('repair level 1 with unequal groups: KS distance at most 1/n_a + 1/n_b (it was large before)', () => {
    const { X, groups } = sample({ a: 150, b: 400 }, 2);
    const out = new DisparateImpactRemover().fitTransform(X, groups);
    expect(ks(column(X, groups, 'a'), column(X, groups, 'b'))).toBeGreaterThan(0.5);
    expect(ks(column(out, groups, 'a'), column(out, groups, 'b'))).toBeLessThanOrEqual(1 / 150 + 1 / 400);
  });

  it('the target is the median quantile function: with three equal groups, the middle one is kept', () => {
    // Groups a < b < c at every rank, so median_h F_h⁻¹(u) = F_b⁻¹(u) and b is unchanged.
    const { X, groups } = sample({ a: 100, b: 100, c: 100 }, 3);
    for (let i = 0; i < X.rows; i++)
      X.data[i * 2] = X.data[i * 2] * 0.01 + 10 * ['a', 'b', 'c'].indexOf(groups[i]);
    const out = new DisparateImpactRemover({ features: [0] }).fitTransform(X, groups);
    expect(column(out, groups, 'b')).toEqual(column(X, groups, 'b'));
    expect(column(out, groups, 'a')).toEqual(column(X, groups, 'b'));
  });

  it('a partial repair interpolates linearly between the data and the full repair', () => {
    const { X, groups } = sample({ a: 60, b: 90 }, 4);
    const full = new DisparateImpactRemover({ repairLevel: 1 }).fitTransform(X, groups);
    const half = new DisparateImpactRemover({ repairLevel: 0.25 }).fitTransform(X, groups);
    for (let k = 0; k < X.data.length; k++) {
      expect(Math.abs(half.data[k] - (0.75 * X.data[k] + 0.25 * full.data[k]))).toBeLessThanOrEqual(1e-12);
    }
  });

  it('tied values of a group get the same repaired value', () => {
    const X = matrix(6, 1, Float64Array.from([1, 1, 2, 5, 6, 7]));
    const groups = ['a', 'a', 'a', 'b', 'b', 'b'];
    const out = new DisparateImpactRemover().fitTransform(X, groups);
    expect(out.data[0]).toBe(out.data[1]);
  });

  it('rejects a repair level outside [0, 1], an unseen group, and use before fit', () => {
    const { X, groups } = sample({ a: 5, b: 5 });
    expect(() => new DisparateImpactRemover({ repairLevel: 1.5 }).fit(X, groups)).toThrow(
      InvalidParameterError,
    );
    expect(() => new DisparateImpactRemover({ features: [7] }).fit(X, groups)).toThrow(InvalidParameterError);
    const fitted = new DisparateImpactRemover().fit(X, groups);
    expect(() =>
      fitted.transform(
        X,
        groups.map(() => 'z'),
      ),
    ).toThrow(DataValidationError);
    expect(() => new DisparateImpactRemover().transform(X, groups)).toThrow(NotFittedError);
  });
});
