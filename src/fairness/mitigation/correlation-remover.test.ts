import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError, matrix, NotFittedError, Rng } from '../../core/index.js';
import { CorrelationRemover } from './correlation-remover.js';

// Properties that define Fairlearn's CorrelationRemover (hand derivations, no reference numbers):
// α = 0 is the identity; α = 1 leaves every column with zero sample correlation (covariance) with
// each one-hot sensitive indicator on the fitted rows; α in between interpolates linearly; a
// column uncorrelated with the groups by construction is moved only by its group-mean offsets.

/** n rows × 3 columns whose means depend on the group (3 groups of unequal sizes). */
function sample(seed: number, sizes = [120, 70, 40]) {
  const rng = new Rng(seed);
  const groups: string[] = [];
  sizes.forEach((n, g) => {
    for (let i = 0; i < n; i++) groups.push(`g${g}`);
  });
  const X = matrix(groups.length, 3);
  groups.forEach((g, i) => {
    const k = Number(g.slice(1));
    X.data[i * 3] = rng.normal() + 2 * k;
    X.data[i * 3 + 1] = rng.normal() * (1 + k) - k;
    X.data[i * 3 + 2] = rng.normal();
  });
  return { X, groups };
}

/** Sample covariance of column j of X with the indicator of group g. */
function covariance(
  X: { data: Float64Array; rows: number; cols: number },
  groups: string[],
  j: number,
  g: string,
) {
  let mx = 0;
  let ms = 0;
  for (let i = 0; i < X.rows; i++) {
    mx += X.data[i * X.cols + j];
    ms += groups[i] === g ? 1 : 0;
  }
  mx /= X.rows;
  ms /= X.rows;
  let c = 0;
  for (let i = 0; i < X.rows; i++) c += (X.data[i * X.cols + j] - mx) * ((groups[i] === g ? 1 : 0) - ms);
  return c / X.rows;
}

describe('CorrelationRemover', () => {
  it('alpha 0 is the identity', () => {
    for (const seed of [0, 1, 2]) {
      const { X, groups } = sample(seed);
      const out = new CorrelationRemover({ alpha: 0 }).fitTransform(X, groups);
      expect(Array.from(out.data)).toEqual(Array.from(X.data));
      expect(out.data).not.toBe(X.data);
    }
  });

  it('alpha 1 leaves zero sample correlation with every sensitive indicator (several seeds)', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const { X, groups } = sample(seed);
      expect(Math.abs(covariance(X, groups, 0, 'g2'))).toBeGreaterThan(0.1);
      const out = new CorrelationRemover().fitTransform(X, groups);
      for (let j = 0; j < 3; j++) {
        for (const g of ['g0', 'g1', 'g2']) {
          expect(Math.abs(covariance(out, groups, j, g)), `seed ${seed} column ${j} ${g}`).toBeLessThan(
            1e-10,
          );
        }
      }
      // The column means are kept (the correction is centred).
      for (let j = 0; j < 3; j++) {
        const mean = (M: typeof X) =>
          Array.from({ length: M.rows }, (_, i) => M.data[i * 3 + j]).reduce((a, b) => a + b) / M.rows;
        expect(mean(out)).toBeCloseTo(mean(X), 10);
      }
    }
  });

  it('alpha in between interpolates linearly between the input and the full projection', () => {
    const { X, groups } = sample(7);
    const full = new CorrelationRemover({ alpha: 1 }).fitTransform(X, groups);
    const half = new CorrelationRemover({ alpha: 0.3 }).fitTransform(X, groups);
    for (let i = 0; i < X.data.length; i++) {
      expect(half.data[i]).toBeCloseTo(0.3 * full.data[i] + 0.7 * X.data[i], 12);
    }
  });

  it('with two groups, alpha 1 equals subtracting each group mean and adding the overall mean', () => {
    const { X, groups } = sample(3, [50, 30]);
    const out = new CorrelationRemover().fitTransform(X, groups);
    for (let j = 0; j < 3; j++) {
      const all = Array.from({ length: X.rows }, (_, i) => X.data[i * 3 + j]);
      const mean = (g?: string) => {
        const v = all.filter((_, i) => g === undefined || groups[i] === g);
        return v.reduce((a, b) => a + b) / v.length;
      };
      for (let i = 0; i < X.rows; i++) {
        expect(out.data[i * 3 + j]).toBeCloseTo(all[i] - mean(groups[i]) + mean(), 10);
      }
    }
  });

  it('applies the training correction to new rows', () => {
    const train = sample(1);
    const test = sample(2, [10, 10, 10]);
    const cr = new CorrelationRemover().fit(train.X, train.groups);
    const out = cr.transform(test.X, test.groups);
    expect(out.rows).toBe(30);
    // Two rows of the same group and the same input are corrected by the same offset.
    const a = out.data[0] - test.X.data[0];
    const b = out.data[3] - test.X.data[3];
    expect(a).toBeCloseTo(b, 12);
  });

  it('rejects bad input with clear errors', () => {
    const { X, groups } = sample(0);
    expect(() => new CorrelationRemover({ alpha: 1.5 }).fit(X, groups)).toThrow(InvalidParameterError);
    expect(() => new CorrelationRemover({ alpha: Number.NaN }).fit(X, groups)).toThrow(/alpha/);
    expect(() => new CorrelationRemover().transform(X, groups)).toThrow(NotFittedError);
    expect(() => new CorrelationRemover().fit(X, groups.slice(1))).toThrow(/one group per row/);
    expect(() =>
      new CorrelationRemover().fit(
        X,
        groups.map(() => 'a'),
      ),
    ).toThrow(DataValidationError);
    const cr = new CorrelationRemover().fit(X, groups);
    expect(() =>
      cr.transform(
        X,
        groups.map(() => 'zz'),
      ),
    ).toThrow(/not seen during fit/);
    expect(() => cr.transform(matrix(X.rows, 2), groups)).toThrow(/3 columns/);
    const bad = matrix(X.rows, 3);
    bad.data[4] = Number.NaN;
    expect(() => new CorrelationRemover().fit(bad, groups)).toThrow(/finite/);
  });
});
