import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { clopperPearsonInterval } from './clopper-pearson.js';
import { inverseRegularizedIncompleteBeta, regularizedIncompleteBeta } from './incomplete-beta.js';

/** Brute force: P(Bin(n, p) >= k) by summing the pmf, log C(n, j) built term by term. */
function binomialUpperTail(n: number, p: number, k: number): number {
  let logC = 0;
  let total = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) logC += Math.log((n - j + 1) / j);
    if (j >= k) total += Math.exp(logC + j * Math.log(p) + (n - j) * Math.log1p(-p));
  }
  return total;
}

/** Brute force: ∫₀ˣ t^{a−1}(1−t)^{b−1} dt / ∫₀¹ … by composite Simpson with 200,000 intervals per integral. */
function simpsonBeta(x: number, a: number, b: number): number {
  const integral = (upper: number): number => {
    const m = 200_000;
    const h = upper / m;
    let s = 0;
    for (let i = 0; i <= m; i++) {
      const t = i * h;
      const f = t ** (a - 1) * (1 - t) ** (b - 1);
      s += (i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2) * f;
    }
    return (s * h) / 3;
  };
  return integral(x) / integral(1);
}

/** Brute force inverse: bisection (100 halvings) on the brute-force binomial tail, increasing in p. */
function bisect(f: (p: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('regularizedIncompleteBeta', () => {
  it('equals the binomial upper tail for integer parameters, I_x(k, n−k+1) = P(Bin(n, x) >= k), to 1e-10', () => {
    const cases: [number, number, number][] = [
      [10, 3, 0.2],
      [20, 15, 0.6],
      [50, 1, 0.01],
      [100, 37, 0.33],
      [1000, 12, 0.008],
      [1000, 990, 0.995],
      [2000, 1000, 0.5],
    ];
    for (const [n, k, x] of cases) {
      expect(Math.abs(regularizedIncompleteBeta(x, k, n - k + 1) - binomialUpperTail(n, x, k))).toBeLessThan(
        1e-10,
      );
    }
  });

  it('matches Simpson integration of the Beta density for non-integer parameters to 1e-10', () => {
    const cases: [number, number, number][] = [
      [0.3, 2.5, 3.5],
      [0.8, 4.25, 2.5],
      [0.35, 10.5, 20.5],
      [0.05, 3.5, 30.5],
    ];
    for (const [x, a, b] of cases) {
      expect(Math.abs(regularizedIncompleteBeta(x, a, b) - simpsonBeta(x, a, b))).toBeLessThan(1e-10);
    }
  });

  it('meets closed forms: I_x(1, b) = 1 − (1−x)^b, I_x(a, 1) = x^a, I_½(a, a) = ½ (1e-13)', () => {
    expect(Math.abs(regularizedIncompleteBeta(0.3, 1, 7.5) - (1 - 0.7 ** 7.5))).toBeLessThan(1e-13);
    expect(Math.abs(regularizedIncompleteBeta(0.3, 4.5, 1) - 0.3 ** 4.5)).toBeLessThan(1e-13);
    expect(Math.abs(regularizedIncompleteBeta(0.5, 123.5, 123.5) - 0.5)).toBeLessThan(1e-13);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('rejects parameters outside their range', () => {
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(InvalidParameterError);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/'x' option of regularizedIncompleteBeta/);
    expect(() => inverseRegularizedIncompleteBeta(-0.1, 1, 1)).toThrow(InvalidParameterError);
  });
});

describe('inverseRegularizedIncompleteBeta', () => {
  it('inverts I_x to 1e-12 and agrees with brute-force bisection on the binomial tail to 1e-10', () => {
    const cases: [number, number, number][] = [
      [0.025, 3, 8],
      [0.975, 13, 988],
      [0.5, 1000, 1001],
      [0.001, 1, 500],
      [0.999, 40, 2],
    ];
    for (const [p, a, b] of cases) {
      const x = inverseRegularizedIncompleteBeta(p, a, b);
      expect(Math.abs(regularizedIncompleteBeta(x, a, b) - p)).toBeLessThan(1e-12);
      const n = a + b - 1;
      expect(Math.abs(x - bisect((q) => binomialUpperTail(n, q, a), p))).toBeLessThan(1e-10);
    }
  });

  it('returns the ends for p = 0 and p = 1', () => {
    expect(inverseRegularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(inverseRegularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe('clopperPearsonInterval', () => {
  it('has the closed forms of k = 0 and k = n: upper = 1 − (α/2)^{1/n}, lower = (α/2)^{1/n} (1e-12)', () => {
    // Hand derivation: P(Bin(n, u) <= 0) = (1 − u)^n = α/2 and P(Bin(n, l) >= n) = l^n = α/2.
    const zero = clopperPearsonInterval(0, 250, 0.95);
    expect(zero.lower).toBe(0);
    expect(Math.abs(zero.upper - (1 - 0.025 ** (1 / 250)))).toBeLessThan(1e-12);
    const all = clopperPearsonInterval(40, 40, 0.9);
    expect(all.upper).toBe(1);
    expect(Math.abs(all.lower - 0.05 ** (1 / 40))).toBeLessThan(1e-12);
  });

  it('holds for n = 1e6: k = 0 to 1e-10 relative, k = n − 1 (upper = 0.975^{1/n}) to 4 ulps of 1', () => {
    // Hand derivation: P(Bin(n, u) <= n − 1) = 1 − u^n = α/2 gives u = (1 − α/2)^{1/n}.
    const tiny = clopperPearsonInterval(0, 1e6).upper;
    const expected = -Math.expm1(Math.log(0.025) / 1e6);
    expect(Math.abs(tiny - expected) / expected).toBeLessThan(1e-10);
    const nearOne = clopperPearsonInterval(999_999, 1e6).upper;
    expect(Math.abs(nearOne - Math.exp(Math.log(0.975) / 1e6))).toBeLessThan(4 * 2 ** -53);
  });

  it('puts α/2 in each binomial tail, checked by summing the pmf (1e-10)', () => {
    for (const [k, n] of [
      [1, 10],
      [5, 20],
      [37, 100],
      [3, 1000],
      [995, 1000],
    ]) {
      const { lower, upper } = clopperPearsonInterval(k, n, 0.95);
      expect(Math.abs(binomialUpperTail(n, lower, k) - 0.025)).toBeLessThan(1e-10);
      expect(Math.abs(1 - binomialUpperTail(n, upper, k + 1) - 0.025)).toBeLessThan(1e-10);
      expect(lower).toBeLessThan(k / n);
      expect(upper).toBeGreaterThan(k / n);
    }
  });

  it('rejects counts and confidences outside their range', () => {
    expect(() => clopperPearsonInterval(5, 4)).toThrow(
      /'successes' option of clopperPearsonInterval must be <= trials/,
    );
    expect(() => clopperPearsonInterval(1, 0)).toThrow(InvalidParameterError);
    expect(() => clopperPearsonInterval(1, 4, 1)).toThrow(/'confidence'/);
  });
});
