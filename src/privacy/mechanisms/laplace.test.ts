import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import {
  chi2Critical,
  chiSquare,
  KS_CRITICAL_0999,
  ksStatistic,
  meanAndVariance,
} from './goodness-of-fit.test-suite.js';
import { laplaceCdf, laplaceMechanism, sampleLaplace, snappingParameters } from './laplace.js';
import { SeededRandom } from './random-source.js';

describe('sampleLaplace', () => {
  it('matches the Laplace(0, 2) CDF (KS, n = 20000, seed 1, critical value 1.9495 at α = 0.001)', () => {
    const r = new SeededRandom(1);
    const xs = Float64Array.from({ length: 20000 }, () => sampleLaplace(2, r));
    expect(ksStatistic(xs, (x) => laplaceCdf(x, 2))).toBeLessThan(KS_CRITICAL_0999);
  });

  it('has variance 2b² = 8 for b = 2 (within 5 standard errors, se = b²√(20/n) ≈ 0.13)', () => {
    // Hand derivation: Laplace μ4 = 24b⁴, σ⁴ = 4b⁴, so Var(s²) ≈ 20b⁴/n.
    const r = new SeededRandom(2);
    const { mean, variance } = meanAndVariance(
      Float64Array.from({ length: 20000 }, () => sampleLaplace(2, r)),
    );
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(8 / 20000));
    expect(Math.abs(variance - 8)).toBeLessThan(5 * 4 * Math.sqrt(20 / 20000));
  });
});

describe('snappingParameters', () => {
  it('solves 1/λ + 2^−49·B/λ = ε for λ and takes Λ = the next power of two (hand derivation)', () => {
    // ε = 1, Δ = 1, B = 8: λ = 1 + 2^-46, so Λ = 2.
    expect(snappingParameters(1, 1, 8)).toEqual({ lambda: 1 + 2 ** -46, step: 2, bound: 8 });
    // ε = 0.5, default B = 2^30/ε = 2^31: λ = (1 + 2^-18)/0.5 = 2 + 2^-17, so Λ = 4.
    expect(snappingParameters(0.5)).toEqual({ lambda: 2 + 2 ** -17, step: 4, bound: 2 ** 31 });
    // Δ = 3, B = 24 → B' = 8: the same λ and Λ as the first case, in units of Δ.
    expect(snappingParameters(1, 3, 24)).toEqual({ lambda: 1 + 2 ** -46, step: 2, bound: 8 });
    // The stated ε holds exactly (to rounding): 1/λ + 2^-49·B'/λ.
    const { lambda, bound } = snappingParameters(0.7, 2, 1000);
    expect(1 / lambda + (2 ** -49 * bound) / lambda).toBeCloseTo(0.7, 15);
  });

  it('rejects a bound outside (λΔ, 2^46·λΔ) and bad ε or sensitivity', () => {
    expect(() => snappingParameters(1, 1, 0.5)).toThrow(/'bound' option of laplaceMechanism/);
    expect(() => snappingParameters(1, 1, 2 ** 50)).toThrow(InvalidParameterError);
    for (const eps of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => snappingParameters(eps)).toThrow(
        /'epsilon' option of laplaceMechanism must be a finite number > 0/,
      );
    }
    expect(() => snappingParameters(1, 0)).toThrow(/'sensitivity'/);
    expect(() => snappingParameters(1, -2)).toThrow(InvalidParameterError);
  });
});

describe('laplaceMechanism (snapping)', () => {
  it('follows the exact pmf of the snapped output (chi-square, n = 20000, seed 3, α = 0.001)', () => {
    // ε = 1, Δ = 1, B = 8, x = 0.3: λ = 1 + 2^-46, Λ = 2. The output is 2k iff 0.3 + L ∈ [2k − 1, 2k + 1),
    // so P(2k) = F(2k + 0.7) − F(2k − 1.3) for |2k| < 8, with the tails clamped onto ±8 (hand derivation).
    const { lambda } = snappingParameters(1, 1, 8);
    const F = (x: number) => laplaceCdf(x, lambda);
    const outputs = [-8, -6, -4, -2, 0, 2, 4, 6, 8];
    const p = outputs.map((o) => {
      if (o === -8) return F(-7.3);
      if (o === 8) return 1 - F(6.7);
      return F(o + 0.7) - F(o - 1.3);
    });
    const r = new SeededRandom(3);
    const counts = new Array(outputs.length).fill(0);
    let offGrid = 0;
    for (let i = 0; i < 20000; i++) {
      const k = outputs.indexOf(laplaceMechanism(0.3, { epsilon: 1, bound: 8, random: r }));
      if (k < 0) offGrid++;
      else counts[k]++;
    }
    expect(offGrid).toBe(0);
    const { statistic, df } = chiSquare(counts, p);
    expect(df).toBe(outputs.length - 1);
    expect(statistic).toBeLessThan(chi2Critical(df));
  });

  it('puts outputs on the grid Δ·Λ·ℤ inside [−B, B], and clamps the input first', () => {
    const r = new SeededRandom(4);
    for (let i = 0; i < 500; i++) {
      const y = laplaceMechanism(1e9, { epsilon: 1, sensitivity: 3, bound: 24, random: r });
      expect(Number.isInteger(y / 6)).toBe(true); // Δ·Λ = 3·2
      expect(Math.abs(y)).toBeLessThanOrEqual(24);
    }
  });

  it('is reproducible with a seed and validates its input', () => {
    expect(laplaceMechanism(10, { epsilon: 1, seed: 9 })).toBe(laplaceMechanism(10, { epsilon: 1, seed: 9 }));
    expect(() => laplaceMechanism(Number.NaN, { epsilon: 1 })).toThrow(/'value' option of laplaceMechanism/);
    expect(() => laplaceMechanism(1, { epsilon: 0 })).toThrow(InvalidParameterError);
  });
});
