import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, logGamma, regularizedGammaQ } from './representativeness-chi-square.js';

/** Relative difference |a − b| / |b|. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Even df = 2m: P(χ² >= x) = e^{−x/2} Σ_{k<m} (x/2)^k / k! (the Poisson sum, hand derivation). */
function evenSurvival(x: number, df: number): number {
  let term = Math.exp(-x / 2);
  let sum = term;
  for (let k = 1; k < df / 2; k++) {
    term *= x / 2 / k;
    sum += term;
  }
  return sum;
}

/** erf(z) = 2/√π ∫₀^z e^{−t²} dt by composite Simpson's rule with 20 000 panels (error < 1e-15 here). */
function erf(z: number): number {
  const n = 20_000;
  const h = z / n;
  let s = 1 + Math.exp(-z * z);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}

/** Odd df: P(χ²₁ >= x) = 1 − erf(√(x/2)) and P(χ²₃ >= x) = P(χ²₁ >= x) + √(2x/π) e^{−x/2} (hand derivation). */
function oddSurvival(x: number, df: 1 | 3): number {
  const one = 1 - erf(Math.sqrt(x / 2));
  return df === 1 ? one : one + Math.sqrt((2 * x) / Math.PI) * Math.exp(-x / 2);
}

describe('chiSquareSurvival', () => {
  it.each([
    [10, 4],
    [100, 50],
    [3, 2],
    [0.01, 6],
    [250, 200],
  ])('matches the closed form for even degrees of freedom: sf(%d, %d), to 1e-12 relative', (x, df) => {
    expect(rel(chiSquareSurvival(x, df), evenSurvival(x, df))).toBeLessThan(1e-12);
  });

  it('gives the quoted values', () => {
    // 6 e^{−5} (closed form) = 0.040427681994512805.
    expect(rel(chiSquareSurvival(10, 4), 0.040427681994512805)).toBeLessThan(1e-13);
    // scipy 1.17 chi2.sf: (3.84, 1), (0.5, 3), (100, 50), (50, 7), (1000, 900), (3000, 2500).
    const scipy: [number, number, number][] = [
      [3.84, 1, 0.05004352124870519],
      [0.5, 3, 0.9188914116546758],
      [100, 50, 3.454931382984871e-5],
      [50, 7, 1.4444852779215397e-8],
      [1000, 900, 0.010994608942135844],
      [3000, 2500, 1.394560659466454e-11],
    ];
    for (const [x, df, want] of scipy) expect(rel(chiSquareSurvival(x, df), want)).toBeLessThan(1e-10);
  });

  it.each([
    [3.84, 1],
    [0.5, 3],
    [0.02, 1],
    [7.5, 3],
  ])('matches numerically integrated erf for odd degrees of freedom: sf(%d, %d), to 1e-11', (x, df) => {
    expect(Math.abs(chiSquareSurvival(x, df) - oddSurvival(x, df as 1 | 3))).toBeLessThan(1e-11);
  });

  it('handles the ends of the range and rejects bad arguments', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(chiSquareSurvival(Number.NaN, 3)).toBeNaN();
    expect(() => chiSquareSurvival(1, 0)).toThrow(/degrees of freedom/);
    expect(() => regularizedGammaQ(-1, 1)).toThrow(/a > 0/);
  });
});

describe('logGamma', () => {
  it('gives ln((n − 1)!) and ln √π to 1e-14 relative', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      if (n > 1) factorial *= n - 1;
      expect(Math.abs(logGamma(n) - Math.log(factorial))).toBeLessThan(
        1e-14 * Math.max(1, Math.log(factorial)),
      );
    }
    expect(rel(logGamma(0.5), Math.log(Math.sqrt(Math.PI)))).toBeLessThan(1e-14);
  });
});
