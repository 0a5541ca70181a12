import { describe, expect, it } from 'vitest';
import { type BinaryClassifier, InvalidParameterError, NotFittedError } from '../../../core/index.js';
import { LogisticRegression } from '../../../models/index.js';
import { GridSearch, lambdaGrid } from './grid-search.js';
import { DemographicParity, EqualizedOdds } from './moments.js';
import { biasedProblem, logistic, meanWhere } from './reductions-fixture.test-suite.js';

const { X, y, groups } = biasedProblem(600, 7);

/** Net multiplier λ⁺ − λ⁻ per grid dimension (the cells listed). */
function net(lambda: Float64Array, cells: number[], K: number): number[] {
  return cells.map((k) => lambda[k] - lambda[K + k] + 0);
}

describe('lambdaGrid (Fairlearn _GridGenerator, hand-enumerated)', () => {
  it('one dimension, size 10, limit 2: −2, −1.6, ..., 1.6 on the first group', () => {
    const moment = new DemographicParity().load(y, groups);
    const grid = lambdaGrid(moment, 10, 2);
    const expected = [-2, -1.6, -1.2, -0.8, -0.4, 0, 0.4, 0.8, 1.2, 1.6];
    grid.forEach((l, p) => {
      expect(net(l, [0], 2)[0]).toBeCloseTo(expected[p], 12);
      expect(l[1]).toBe(0);
      expect(l[3]).toBe(0);
    });
  });

  it('two dimensions (equalized odds, two groups): the first 10 integer points of L1 norm ≤ 2', () => {
    const moment = new EqualizedOdds().load(y, groups);
    const grid = lambdaGrid(moment, 10, 2);
    // Cells: (label=e0, g0), (e0, g1), (e1, g0), (e1, g1); dimensions are cells 0 and 2; units = 2, scale 1.
    const expected = [
      [-2, 0],
      [-1, -1],
      [-1, 0],
      [-1, 1],
      [0, -2],
      [0, -1],
      [0, 0],
      [0, 1],
      [0, 2],
      [1, -1],
    ];
    expect(grid.map((l) => net(l, [0, 2], 4))).toEqual(expected);
  });
});

describe('GridSearch', () => {
  it('picks the grid point minimising 0.5·error + 0.5·max γ, with a smaller DP gap than the baseline', async () => {
    const gs = await new GridSearch({ estimator: logistic }).fit(X, y, groups);
    const s = gs.summary;
    expect(s.grid.length).toBe(10);
    const losses = s.grid.map((g) => g.loss);
    expect(s.bestIndex).toBe(losses.indexOf(Math.min(...losses)));
    for (const g of s.grid) expect(g.loss).toBeCloseTo(0.5 * g.error + 0.5 * g.maxGamma, 12);
    const pred = await gs.predict(X);
    const base = await (await new LogisticRegression().fit(X, y)).predict(X);
    const dp = (p: Uint8Array) =>
      Math.abs(meanWhere(p, (i) => groups[i] === 'a') - meanWhere(p, (i) => groups[i] === 'b'));
    expect(dp(pred)).toBeLessThan(dp(base));
    const proba = await gs.predictProba(X);
    expect(proba.length).toBe(X.rows);
  });

  it('with constraintWeight 0 picks the most accurate point (λ = 0 is the plain model)', async () => {
    const gs = await new GridSearch({ estimator: logistic, constraintWeight: 0 }).fit(X, y, groups);
    const errors = gs.summary.grid.map((g) => g.error);
    expect(gs.summary.grid[gs.summary.bestIndex].error).toBe(Math.min(...errors));
  });

  it('rejects estimators without sample weights and refuses to predict before fit', async () => {
    const noWeights = (): BinaryClassifier => {
      const m = new LogisticRegression();
      return Object.assign(Object.create(m), { capabilities: { ...m.capabilities, sampleWeight: false } });
    };
    await expect(new GridSearch({ estimator: noWeights }).fit(X, y, groups)).rejects.toThrow(
      InvalidParameterError,
    );
    await expect(new GridSearch({ estimator: logistic }).predict(X)).rejects.toThrow(NotFittedError);
  });
});
