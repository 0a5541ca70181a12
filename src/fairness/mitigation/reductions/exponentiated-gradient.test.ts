import { describe, expect, it } from 'vitest';
import {
  type BinaryClassifier,
  DataValidationError,
  InvalidParameterError,
  NotFittedError,
} from '../../../core/index.js';
import { LogisticRegression } from '../../../models/index.js';
import { ExponentiatedGradient } from './exponentiated-gradient.js';
import { DemographicParity, EqualizedOdds, ErrorRateParity, TruePositiveRateParity } from './moments.js';
import { biasedProblem, logistic, meanWhere } from './reductions-fixture.test-suite.js';

const { X, y, groups } = biasedProblem(600, 7);

/** max − min over groups of the mean of p among rows passing `keep`. */
function gapOver(p: ArrayLike<number>, keep: (i: number) => boolean): number {
  const a = meanWhere(p, (i) => keep(i) && groups[i] === 'a');
  const b = meanWhere(p, (i) => keep(i) && groups[i] === 'b');
  return Math.abs(a - b);
}

describe('ExponentiatedGradient', () => {
  it('the unconstrained model of the fixture has a large demographic parity difference', async () => {
    const model = await new LogisticRegression().fit(X, y);
    const pred = await model.predict(X);
    expect(gapOver(pred, () => true)).toBeGreaterThan(0.4);
  });

  it('DemographicParity: the expected selection rates of the mixture differ by at most eps + 0.01', async () => {
    const eg = await new ExponentiatedGradient({
      estimator: logistic,
      constraints: new DemographicParity(),
    }).fit(X, y, groups);
    const p = await eg.predictProba(X);
    // Each group's rate is within bound of the overall rate (Fairlearn's moment), so the gap is ≤ 2·bound;
    // EG's guarantee adds (1 + 2ν)/B = 0.01 more (Agarwal et al. 2018, Theorem 1).
    expect(gapOver(p, () => true)).toBeLessThan(0.02 + 0.01);
    const s = eg.summary;
    expect(s.bestGap).toBeLessThan(Math.max(s.nu, 1e-3) + 1e-9);
    expect(s.maxViolation).toBeLessThan(0.01 + 1e-3);
    expect(s.warnings).toEqual([]);
    const total = s.weights.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    // The mixture still beats the best constant classifier.
    expect(s.trainingError).toBeLessThan(
      Math.min(
        meanWhere(y, () => true),
        1 - meanWhere(y, () => true),
      ),
    );
  });

  it('EqualizedOdds: TPR and FPR gaps of the mixture within 2·bound + 0.01', async () => {
    const eg = await new ExponentiatedGradient({ estimator: logistic, constraints: new EqualizedOdds() }).fit(
      X,
      y,
      groups,
    );
    const p = await eg.predictProba(X);
    expect(gapOver(p, (i) => y[i] === 1)).toBeLessThan(0.03);
    expect(gapOver(p, (i) => y[i] === 0)).toBeLessThan(0.03);
    expect(eg.summary.bestGap).toBeLessThan(Math.max(eg.summary.nu, 1e-3) + 1e-9);
  });

  it('TruePositiveRateParity and ErrorRateParity meet their constraints on the training rows', async () => {
    const tpr = await new ExponentiatedGradient({
      estimator: logistic,
      constraints: new TruePositiveRateParity(),
    }).fit(X, y, groups);
    expect(gapOver(await tpr.predictProba(X), (i) => y[i] === 1)).toBeLessThan(0.03);
    const err = await new ExponentiatedGradient({
      estimator: logistic,
      constraints: new ErrorRateParity(),
    }).fit(X, y, groups);
    const p = await err.predictProba(X);
    const wrong = Float64Array.from(p, (v, i) => (y[i] === 1 ? 1 - v : v));
    expect(gapOver(wrong, () => true)).toBeLessThan(0.03);
  });

  it('is deterministic given the seed, and predict draws from predictProba', async () => {
    const fitOnce = () => new ExponentiatedGradient({ estimator: logistic, seed: 3 }).fit(X, y, groups);
    const [a, b] = await Promise.all([fitOnce(), fitOnce()]);
    expect(a.summary).toEqual(b.summary);
    const pa = await a.predict(X);
    expect(await b.predict(X)).toEqual(pa);
    const proba = await a.predictProba(X);
    // Rows with P = 0 or 1 are drawn exactly; the mean draw tracks the mean probability (n = 600, ±0.06).
    proba.forEach((v, i) => {
      if (v === 0 || v === 1) expect(pa[i]).toBe(v);
    });
    expect(Math.abs(meanWhere(pa, () => true) - meanWhere(proba, () => true))).toBeLessThan(0.06);
  });

  it('rejects an estimator without sample weights with a clear error', async () => {
    const noWeights = (): BinaryClassifier => {
      const m = new LogisticRegression();
      return Object.assign(Object.create(m), { capabilities: { ...m.capabilities, sampleWeight: false } });
    };
    await expect(new ExponentiatedGradient({ estimator: noWeights }).fit(X, y, groups)).rejects.toThrow(
      InvalidParameterError,
    );
    await expect(new ExponentiatedGradient({ estimator: noWeights }).fit(X, y, groups)).rejects.toThrow(
      /sample weights/,
    );
  });

  it('a group with no positives under TruePositiveRateParity is a clear data error', async () => {
    const y2 = Uint8Array.from(y, (v, i) => (groups[i] === 'a' ? 0 : v));
    await expect(
      new ExponentiatedGradient({ estimator: logistic, constraints: new TruePositiveRateParity() }).fit(
        X,
        y2,
        groups,
      ),
    ).rejects.toThrow(DataValidationError);
    await expect(
      new ExponentiatedGradient({ estimator: logistic, constraints: new EqualizedOdds() }).fit(X, y2, groups),
    ).rejects.toThrow(/group 'a': it has no rows with label=1/);
  });

  it('flags a constraint it could not meet within the iteration budget', async () => {
    const eg = await new ExponentiatedGradient({
      estimator: logistic,
      constraints: new DemographicParity({ differenceBound: 0 }),
      maxIter: 1,
    }).fit(X, y, groups);
    expect(eg.summary.warnings.length).toBe(1);
    expect(eg.summary.warnings[0]).toMatch(/did not meet demographic_parity/);
  });

  it('validates options and refuses to predict before fit', async () => {
    await expect(
      new ExponentiatedGradient({ estimator: logistic, eps: 0 }).fit(X, y, groups),
    ).rejects.toThrow(/'eps' option of ExponentiatedGradient must be > 0/);
    await expect(new ExponentiatedGradient({ estimator: logistic }).predictProba(X)).rejects.toThrow(
      NotFittedError,
    );
  });
});
