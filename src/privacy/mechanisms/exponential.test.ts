import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { exponentialMechanism, exponentialMechanismProbabilities, sampleLogWeights } from './exponential.js';
import { chi2Critical, chiSquare } from './goodness-of-fit.test-suite.js';
import { SeededRandom } from './random-source.js';

/** Hand derivation: P(i) = exp(ε u_i/(2Δu)) / Σ_j exp(ε u_j/(2Δu)), computed directly. */
function expectedPmf(utilities: number[], epsilon: number, sensitivity: number): number[] {
  const w = utilities.map((u) => Math.exp((epsilon * u) / (2 * sensitivity)));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

describe('exponentialMechanism (McSherry & Talwar 2007)', () => {
  const utilities = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -3];

  it('follows P(r) ∝ exp(ε·u(r)/(2Δu)) (chi-square, n = 20000, seed 31, α = 0.001)', () => {
    const r = new SeededRandom(31);
    const counts = new Array(utilities.length).fill(0);
    for (let i = 0; i < 20000; i++) counts[exponentialMechanism(utilities, { epsilon: 1, random: r })]++;
    const { statistic, df } = chiSquare(counts, expectedPmf(utilities, 1, 1));
    expect(statistic).toBeLessThan(chi2Critical(df));
  });

  it('divides by 2Δu: Δu = 2 at ε = 2 gives the same pmf as Δu = 1 at ε = 1', () => {
    const a = exponentialMechanismProbabilities(utilities, 2, 2);
    const b = expectedPmf(utilities, 1, 1);
    a.forEach((p, i) => {
      expect(p).toBeCloseTo(b[i], 14);
    });
    const r = new SeededRandom(32);
    const counts = new Array(utilities.length).fill(0);
    for (let i = 0; i < 20000; i++)
      counts[exponentialMechanism(utilities, { epsilon: 2, sensitivity: 2, random: r })]++;
    const { statistic, df } = chiSquare(counts, b);
    expect(statistic).toBeLessThan(chi2Critical(df));
  });

  it('handles large utilities without overflow and is reproducible with a seed', () => {
    const big = [1e6, 1e6 + 2, 1e6 + 1];
    const p = exponentialMechanismProbabilities(big, 1);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(exponentialMechanism(big, { epsilon: 1, seed: 4 })).toBe(
      exponentialMechanism(big, { epsilon: 1, seed: 4 }),
    );
  });

  it('rejects an empty candidate set, a non-finite utility and bad ε or Δu', () => {
    expect(() => exponentialMechanism([], { epsilon: 1 })).toThrow(/at least one candidate/);
    expect(() => exponentialMechanism([1, Number.NaN], { epsilon: 1 })).toThrow(/'utilities\[1\]'/);
    expect(() => exponentialMechanism([1], { epsilon: 0 })).toThrow(
      /'epsilon' option of exponentialMechanism/,
    );
    expect(() => exponentialMechanism([1], { epsilon: 1, sensitivity: 0 })).toThrow(/'sensitivity'/);
  });
});

describe('sampleLogWeights', () => {
  it('never picks a −Infinity (zero-weight) entry and follows the weights', () => {
    const r = new SeededRandom(33);
    const logW = [Math.log(1), Number.NEGATIVE_INFINITY, Math.log(3), Number.NEGATIVE_INFINITY];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[sampleLogWeights(logW, r)]++;
    expect(counts[1] + counts[3]).toBe(0);
    expect(Math.abs(counts[2] / 8000 - 0.75)).toBeLessThan(5 * Math.sqrt((0.75 * 0.25) / 8000));
  });

  it('rejects all-zero or invalid weights', () => {
    const r = new SeededRandom(1);
    expect(() => sampleLogWeights([Number.NEGATIVE_INFINITY], r)).toThrow(InvalidParameterError);
    expect(() => sampleLogWeights([0, Number.POSITIVE_INFINITY], r)).toThrow(/index 1/);
  });
});
