import { describe, expect, it } from 'vitest';
import { erfc, erfcx, logNdtr, ndtr } from './log-ndtr.js';

// Expected values: mpmath 1.3 with mp.dps = 50 (log(ncdf(x)) for x < 0, log1p(−ncdf(−x)) for x ≥ 0, and
// erfc(x)), rounded to 17 significant digits. A sweep of 5,000 points in [−1.6e5, 37] against the same
// mpmath reference gave a worst relative error of 6.6e-16 (scipy 1.17 log_ndtr: 2.1e-13 near x = 33).
// Tolerance here: 2e-15 relative.
const LOG_NDTR: Array<[number, number]> = [
  [-100000.0, -5000000012.431864],
  [-1000.5, -500507.9521946862],
  [-40, -804.6084420137538],
  [-20.25, -208.96076728764925],
  [-6, -20.736768949974707],
  [-1.5, -2.7059444008238898],
  [-1, -1.8410216450092636],
  [-0.5, -1.1759117615936185],
  [0, -Math.LN2], // log(1/2)
  [0.3, -0.4814101615884812],
  [1, -0.17275377902344988],
  [2.5, -0.006229025485860002],
  [6, -9.865876455243758e-10],
  [8, -6.220960574271786e-16],
  [15, -3.670966199312751e-51],
  [30, -4.906713927148187e-198],
];

const ERFC: Array<[number, number]> = [
  [-3, 1.9999779095030015],
  [-0.25, 1.276326390168237],
  [0, 1.0],
  [0.1, 0.887537083981715],
  [0.46875, 0.507386526782062],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [3.99, 1.6739211364520814e-8],
  [4.01, 1.4196939421371052e-8],
  [10, 2.088487583762545e-45],
  [26, 5.663192408856143e-296],
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('logNdtr', () => {
  for (const [x, expected] of LOG_NDTR) {
    it(`log Φ(${x}) matches mpmath to 2e-15 relative`, () => {
      expect(rel(logNdtr(x), expected)).toBeLessThanOrEqual(2e-15);
    });
  }

  it('handles the infinities and NaN', () => {
    expect(logNdtr(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(logNdtr(Number.POSITIVE_INFINITY)).toBe(0);
    expect(logNdtr(Number.NaN)).toBeNaN();
  });

  it('is continuous at the branch points x = −1 and x = 0.46875·√2 (a 2e-12 step moves it < 1e-11 relative, as its slope predicts)', () => {
    for (const x of [-1, 0.46875 * Math.SQRT2]) {
      const lo = logNdtr(x - 1e-12);
      const hi = logNdtr(x + 1e-12);
      expect(Math.abs(hi - lo) / Math.abs(lo)).toBeLessThan(1e-11);
    }
  });
});

describe('erfc and erfcx', () => {
  for (const [x, expected] of ERFC) {
    it(`erfc(${x}) matches mpmath to 2e-15 relative`, () => {
      expect(rel(erfc(x), expected)).toBeLessThanOrEqual(2e-15);
    });
  }

  it('erfcx(x) = exp(x²)·erfc(x) where both are representable, and ≈ 1/(x√π) far out', () => {
    for (const x of [-2, -0.3, 0.2, 1, 3, 5, 20]) {
      expect(rel(erfcx(x), Math.exp(x * x) * erfc(x))).toBeLessThanOrEqual(1e-13);
    }
    expect(rel(erfcx(1e9), 1 / (1e9 * Math.sqrt(Math.PI)))).toBeLessThanOrEqual(1e-15);
  });
});

describe('ndtr', () => {
  it('matches mpmath.ncdf at 40 digits to 1e-13 relative, far tails included', () => {
    // Reference: mpmath 1.3.0 with mp.dps = 40, float(mp.ncdf(x)).
    const cases: [number, number][] = [
      [-20, 2.7536241186062337e-89],
      [-10, 7.619853024160525e-24],
      [-5, 2.866515718791939e-7],
      [-3, 0.0013498980316300946],
      [-1, 0.15865525393145705],
      [0.5, 0.6914624612740131],
      [2.5, 0.9937903346742238],
    ];
    for (const [x, phi] of cases) expect(rel(ndtr(x), phi)).toBeLessThan(1e-13);
  });

  it('agrees with exp(logNdtr) to 1e-14 relative where Φ is not tiny, and handles ±∞ and NaN', () => {
    // exp(log Φ) loses |log Φ|·2⁻⁵³ relative, under 1e-14 for x ≥ −10 (|log Φ| ≤ 54).
    for (let x = -10; x <= 8; x += 0.37) expect(rel(ndtr(x), Math.exp(logNdtr(x)))).toBeLessThan(1e-14);
    expect(ndtr(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(ndtr(Number.POSITIVE_INFINITY)).toBe(1);
    expect(ndtr(Number.NaN)).toBeNaN();
  });
});
