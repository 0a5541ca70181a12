import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { logNdtr, ndtr } from '../accountant/index.js';
import {
  analyticGaussianSigma,
  classicGaussianSigma,
  gaussianMechanism,
  gaussianMechanismDelta,
  sampleGaussian,
} from './gaussian.js';
import { KS_CRITICAL_0999, ksStatistic, meanAndVariance } from './goodness-of-fit.test-suite.js';
import { SeededRandom } from './random-source.js';

/** Balle & Wang (2018) Algorithm 1, written out separately: the v/u parametrisation, bisected. */
function balleWangAlgorithm1(epsilon: number, delta: number, sensitivity: number): number {
  const delta0 = ndtr(0) - Math.exp(epsilon) * ndtr(-Math.sqrt(2 * epsilon));
  const e = (x: number) => Math.exp(epsilon + logNdtr(x));
  const plus = delta >= delta0;
  const b = plus
    ? (v: number) => ndtr(Math.sqrt(epsilon * v)) - e(-Math.sqrt(epsilon * (v + 2)))
    : (u: number) => ndtr(-Math.sqrt(epsilon * u)) - e(-Math.sqrt(epsilon * (u + 2)));
  // B+ increases in v (want sup{v: B+ ≤ δ}); B− decreases in u (want inf{u: B− ≤ δ}).
  const inside = (w: number) => (plus ? b(w) <= delta : b(w) > delta);
  let lo = 0;
  let hi = 1;
  while (inside(hi)) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (inside(mid)) lo = mid;
    else hi = mid;
  }
  const alpha = plus ? Math.sqrt(1 + lo / 2) - Math.sqrt(lo / 2) : Math.sqrt(1 + hi / 2) + Math.sqrt(hi / 2);
  return (alpha * sensitivity) / Math.sqrt(2 * epsilon);
}

describe('analyticGaussianSigma', () => {
  // Reference σ: mpmath (50 digits) bisection on the exact condition of Balle & Wang (2018, Thm 8), and
  // independently scipy 1.17 brentq on Algorithm 1 (v/u form, norm.cdf); the two agree to 3e-15.
  const cases: [number, number, number, number][] = [
    [1, 1e-5, 1, 3.730631634815942],
    [0.1, 1e-5, 1, 30.74956613197745],
    [0.5, 1e-6, 2, 16.11523696145009],
    [3, 1e-5, 1, 1.3905934566745366],
    [10, 1e-10, 1, 0.6830439672274812],
    [0.01, 1e-3, 1, 93.90741983985157],
    [50, 1e-8, 1, 0.16902906109367016],
  ];

  it('matches the mpmath/scipy reference σ to 1e-10 relative', () => {
    for (const [eps, delta, sens, sigma] of cases) {
      expect(Math.abs(analyticGaussianSigma(eps, delta, sens) / sigma - 1)).toBeLessThan(1e-10);
    }
  });

  it('agrees with a separate implementation of Algorithm 1 (v/u form) to 1e-9 relative', () => {
    for (const [eps, delta, sens] of cases) {
      const a = analyticGaussianSigma(eps, delta, sens);
      expect(Math.abs(balleWangAlgorithm1(eps, delta, sens) / a - 1)).toBeLessThan(1e-9);
    }
  });

  it('satisfies the exact condition at σ and violates it at 0.99σ', () => {
    for (const [eps, delta, sens] of cases) {
      const sigma = analyticGaussianSigma(eps, delta, sens);
      expect(gaussianMechanismDelta(sigma, eps, sens)).toBeLessThanOrEqual(delta);
      expect(gaussianMechanismDelta(0.99 * sigma, eps, sens)).toBeGreaterThan(delta);
    }
  });

  it('needs less noise than the classic calibration for ε < 1 (Balle & Wang 2018, Fig. 2)', () => {
    expect(analyticGaussianSigma(0.5, 1e-5)).toBeLessThan(classicGaussianSigma(0.5, 1e-5));
  });

  it('rejects ε ≤ 0, δ outside (0, 1) and sensitivity ≤ 0', () => {
    expect(() => analyticGaussianSigma(0, 1e-5)).toThrow(/'epsilon' option of analyticGaussianSigma/);
    expect(() => analyticGaussianSigma(Number.POSITIVE_INFINITY, 1e-5)).toThrow(InvalidParameterError);
    for (const d of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => analyticGaussianSigma(1, d)).toThrow(
        /'delta' option of analyticGaussianSigma must be in \(0, 1\)/,
      );
    }
    expect(() => analyticGaussianSigma(1, 1e-5, 0)).toThrow(/'sensitivity'/);
  });
});

describe('classicGaussianSigma', () => {
  it('is Δ·√(2 ln(1.25/δ))/ε (values from Python math) and only for ε < 1', () => {
    expect(classicGaussianSigma(0.5, 1e-5)).toBeCloseTo(9.689610525210778, 12);
    expect(classicGaussianSigma(0.5, 1e-6, 2)).toBeCloseTo(21.195210107401895, 12);
    expect(() => classicGaussianSigma(1, 1e-5)).toThrow(/must be in \(0, 1\)/);
    expect(() => classicGaussianSigma(0.5, 0)).toThrow(InvalidParameterError);
  });
});

describe('sampleGaussian and gaussianMechanism', () => {
  it('matches the N(0, 3²) CDF (KS, n = 20000, seed 8, critical 1.9495 at α = 0.001) and its variance', () => {
    const r = new SeededRandom(8);
    const xs = Float64Array.from({ length: 20000 }, () => sampleGaussian(3, r));
    expect(ksStatistic(xs, (x) => ndtr(x / 3))).toBeLessThan(KS_CRITICAL_0999);
    // Hand derivation: Var(s²) ≈ 2σ⁴/n, so se = 9·√(2/n) ≈ 0.09; 5 se.
    expect(Math.abs(meanAndVariance(xs).variance - 9)).toBeLessThan(5 * 9 * Math.sqrt(2 / 20000));
  });

  it('adds noise of the calibrated σ around the value', () => {
    const r = new SeededRandom(10);
    const sigma = analyticGaussianSigma(1, 1e-5, 2);
    const ys = Float64Array.from({ length: 2000 }, () =>
      gaussianMechanism(100, { epsilon: 1, delta: 1e-5, sensitivity: 2, random: r }),
    );
    const { mean, variance } = meanAndVariance(ys);
    expect(Math.abs(mean - 100)).toBeLessThan(5 * sigma * Math.sqrt(1 / 2000));
    expect(Math.abs(variance / sigma ** 2 - 1)).toBeLessThan(5 * Math.sqrt(2 / 2000));
    expect(() => gaussianMechanism(1, { epsilon: 2, delta: 1e-5, calibration: 'classic' })).toThrow(
      InvalidParameterError,
    );
    expect(() => gaussianMechanism(Number.NaN, { epsilon: 1, delta: 1e-5 })).toThrow(/'value'/);
  });
});
