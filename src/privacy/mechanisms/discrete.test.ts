import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import {
  bernoulliExp,
  discreteGaussianMechanism,
  discreteGaussianRho,
  discreteLaplaceMechanism,
  sampleDiscreteGaussian,
  sampleDiscreteLaplace,
  zcdpEpsilon,
} from './discrete.js';
import { chi2Critical, chiSquare, meanAndVariance } from './goodness-of-fit.test-suite.js';
import { toRational } from './parameters.js';
import { SeededRandom } from './random-source.js';

/** Brute-force pmf on −R..R of an integer distribution with unnormalised pmf w, normalised over −K..K (K ≫ R). */
function pmfTable(w: (y: number) => number, radius: number, support = 200): number[] {
  let total = 0;
  for (let y = -support; y <= support; y++) total += w(y);
  const p = [];
  for (let y = -radius; y <= radius; y++) p.push(w(y) / total);
  // Fold the tails into the end cells so the table sums to 1.
  const tail = (1 - p.reduce((a, b) => a + b, 0)) / 2;
  p[0] += tail;
  p[p.length - 1] += tail;
  return p;
}

function histogram(samples: number[], radius: number): number[] {
  const counts = new Array(2 * radius + 1).fill(0);
  for (const y of samples) counts[Math.min(radius, Math.max(-radius, y)) + radius]++;
  return counts;
}

describe('toRational', () => {
  it('gives the exact value of a double (Python fractions.Fraction agrees)', () => {
    expect(toRational('t', 'x', 0.1)).toEqual({
      numerator: 3602879701896397n,
      denominator: 36028797018963968n,
    });
    expect(toRational('t', 'x', 2.5)).toEqual({ numerator: 5n, denominator: 2n });
    expect(toRational('t', 'x', { numerator: 6n, denominator: 4n })).toEqual({
      numerator: 3n,
      denominator: 2n,
    });
    expect(() => toRational('t', 'x', -1)).toThrow(InvalidParameterError);
    expect(() => toRational('t', 'x', Number.NaN)).toThrow(InvalidParameterError);
    expect(() => toRational('t', 'x', { numerator: 1n, denominator: 0n })).toThrow(InvalidParameterError);
  });
});

describe('bernoulliExp (CKS 2020, Alg. 1)', () => {
  it('returns 1 with probability exp(−γ) for γ = 0, 1/2, 3/2 and 7/3 (n = 20000 each, 5 standard errors)', () => {
    const r = new SeededRandom(21);
    expect(bernoulliExp({ numerator: 0n, denominator: 1n }, r)).toBe(1);
    expect(() => bernoulliExp({ numerator: 1n, denominator: 0n }, r)).toThrow(
      /'gamma' option of bernoulliExp/,
    );
    expect(() => bernoulliExp({ numerator: -1n, denominator: 2n }, r)).toThrow(InvalidParameterError);
    for (const [n, d] of [
      [1n, 2n],
      [3n, 2n],
      [7n, 3n],
    ]) {
      const p = Math.exp(-Number(n) / Number(d));
      let ones = 0;
      for (let i = 0; i < 20000; i++) ones += bernoulliExp({ numerator: n, denominator: d }, r);
      expect(Math.abs(ones / 20000 - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / 20000));
    }
  });
});

describe('sampleDiscreteLaplace (CKS 2020, Alg. 2)', () => {
  it('follows pmf ∝ exp(−|y|/b) for b = 3/2 (chi-square on −12..12, n = 20000, seed 22, α = 0.001)', () => {
    const r = new SeededRandom(22);
    const samples = Array.from({ length: 20000 }, () =>
      Number(sampleDiscreteLaplace({ numerator: 3n, denominator: 2n }, r)),
    );
    const p = pmfTable((y) => Math.exp(-Math.abs(y) / 1.5), 12);
    const { statistic, df } = chiSquare(histogram(samples, 12), p);
    expect(statistic).toBeLessThan(chi2Critical(df));
    // Hand derivation: with q = e^(−1/b), Var = 2q/(1 − q)².
    const q = Math.exp(-1 / 1.5);
    const variance = (2 * q) / (1 - q) ** 2;
    // se of s²/σ² is √((κ − 1)/n); κ = 6.23 for this pmf (brute force over −400..400): 5 se.
    expect(Math.abs(meanAndVariance(samples).variance / variance - 1)).toBeLessThan(
      5 * Math.sqrt(5.23 / 20000),
    );
  });

  it('takes a number scale exactly (b = 0.1: P(0) = tanh(5), hand derivation) and rejects scale 0', () => {
    const r = new SeededRandom(23);
    let zeros = 0;
    for (let i = 0; i < 5000; i++) if (sampleDiscreteLaplace(0.1, r) === 0n) zeros++;
    const p0 = Math.tanh(5); // (1 − q)/(1 + q) with q = e^−10
    expect(Math.abs(zeros / 5000 - p0)).toBeLessThan(5 * Math.sqrt((p0 * (1 - p0)) / 5000) + 1e-3);
    expect(() => sampleDiscreteLaplace(0, r)).toThrow(/'scale' option of sampleDiscreteLaplace must be > 0/);
  });
});

describe('sampleDiscreteGaussian (CKS 2020, Alg. 3)', () => {
  for (const [sigma, seed, radius, n] of [
    [2, 24, 8, 20000],
    [0.7, 25, 3, 10000],
  ] as const) {
    it(`follows pmf ∝ exp(−y²/(2σ²)) for σ = ${sigma} (chi-square, n = ${n}, α = 0.001) and its variance`, () => {
      const r = new SeededRandom(seed);
      const samples = Array.from({ length: n }, () => Number(sampleDiscreteGaussian(sigma, r)));
      const w = (y: number) => Math.exp(-(y * y) / (2 * sigma * sigma));
      const p = pmfTable(w, radius);
      const { statistic, df } = chiSquare(histogram(samples, radius), p);
      expect(statistic).toBeLessThan(chi2Critical(df));
      // Brute-force moments Σ y^k p(y) over −200..200.
      let z = 0;
      let m2 = 0;
      let m4 = 0;
      for (let y = -200; y <= 200; y++) {
        z += w(y);
        m2 += y * y * w(y);
        m4 += y ** 4 * w(y);
      }
      const kurtosis = m4 / z / (m2 / z) ** 2;
      const { mean, variance } = meanAndVariance(samples);
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(m2 / z / n));
      // se of s²/σ² is √((κ − 1)/n): 5 se.
      expect(Math.abs(variance / (m2 / z) - 1)).toBeLessThan(5 * Math.sqrt((kurtosis - 1) / n));
    });
  }
});

describe('discrete mechanisms', () => {
  it('add integer noise around the value, reproducibly with a seed', () => {
    const a = discreteLaplaceMechanism(40, { epsilon: 0.5, seed: 3 });
    expect(Number.isInteger(a)).toBe(true);
    expect(discreteLaplaceMechanism(40, { epsilon: 0.5, seed: 3 })).toBe(a);
    const r = new SeededRandom(26);
    const ys = Array.from({ length: 4000 }, () =>
      discreteLaplaceMechanism(40, { epsilon: 1, sensitivity: 2, random: r }),
    );
    // Scale Δ/ε = 2: Var = 2q/(1 − q)² with q = e^(−1/2) (hand derivation).
    const q = Math.exp(-0.5);
    expect(Math.abs(meanAndVariance(ys).mean - 40)).toBeLessThan(
      5 * Math.sqrt((2 * q) / (1 - q) ** 2 / 4000),
    );
    expect(Number.isInteger(discreteGaussianMechanism(-7, { sigma: 3, seed: 1 }))).toBe(true);
  });

  it('reject non-integer values, bad ε, sensitivity and σ', () => {
    expect(() => discreteLaplaceMechanism(1.5, { epsilon: 1 })).toThrow(
      /'value' option of discreteLaplaceMechanism/,
    );
    expect(() => discreteLaplaceMechanism(1, { epsilon: 0 })).toThrow(/'epsilon'/);
    expect(() => discreteLaplaceMechanism(1, { epsilon: Number.POSITIVE_INFINITY })).toThrow(
      InvalidParameterError,
    );
    expect(() => discreteLaplaceMechanism(1, { epsilon: 1, sensitivity: 0.5 })).toThrow(/'sensitivity'/);
    expect(() => discreteGaussianMechanism(1, { sigma: 0 })).toThrow(/'sigma'/);
    expect(() => discreteGaussianMechanism(1, { sigma: -1 })).toThrow(InvalidParameterError);
  });

  it('report ρ = Δ²/(2σ²) and the zCDP → (ε, δ) conversion (hand derivation / Python math)', () => {
    expect(discreteGaussianRho(2)).toBe(0.125);
    expect(discreteGaussianRho(2, 3)).toBe(9 / 8);
    expect(zcdpEpsilon(0.125, 1e-5)).toBeCloseTo(2.5242629560940406, 13);
    expect(() => zcdpEpsilon(0.1, 1)).toThrow(/'delta'/);
    expect(() => discreteGaussianRho(0)).toThrow(/'sigma'/);
  });
});
