import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import {
  chi2Critical,
  chiSquare,
  KS_CRITICAL_0999,
  ksStatistic,
  meanAndVariance,
} from './goodness-of-fit.test-suite.js';
import { RandomSource, randomSource, SecureRandom, SeededRandom } from './random-source.js';

describe('SecureRandom', () => {
  it('gives uniform doubles in [0, 1): mean 1/2 and variance 1/12 within 5 standard errors (n = 20000)', () => {
    const r = new SecureRandom();
    const xs = Float64Array.from({ length: 20000 }, () => r.double());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const { mean, variance } = meanAndVariance(xs);
    // hand derivation: se(mean) = √(1/12/n) ≈ 0.0020; se(var) = √((μ4 − σ⁴)/n) = √((1/80 − 1/144)/n) ≈ 0.00053
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0102);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0027);
  });

  it('gives fair bits and integers in range', () => {
    const r = new SecureRandom();
    let ones = 0;
    for (let i = 0; i < 20000; i++) ones += r.bit();
    expect(Math.abs(ones / 20000 - 0.5)).toBeLessThan(0.018); // 5·√(1/4/n)
    for (let i = 0; i < 1000; i++) {
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    const big = (1n << 70n) + 5n;
    for (let i = 0; i < 200; i++) expect(r.bigInt(big) < big).toBe(true);
  });

  it('is not seedable, and is the default source', () => {
    expect(randomSource()).toBeInstanceOf(SecureRandom);
    expect(randomSource(undefined, 3)).toBeInstanceOf(SeededRandom);
  });
});

describe('SeededRandom', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(sa);
  });

  it('int(6) passes a chi-square test against the uniform pmf (60000 draws, df = 5, α = 0.001)', () => {
    const r = new SeededRandom(7);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[r.int(6)]++;
    const { statistic, df } = chiSquare(counts, new Array(6).fill(1 / 6));
    expect(df).toBe(5);
    expect(statistic).toBeLessThan(chi2Critical(5));
  });

  it('bigInt(n) for n = 3·2^40 is uniform over its three thirds (chi-square, df = 2)', () => {
    const r = new SeededRandom(11);
    const n = 3n << 40n;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[Number(r.bigInt(n) >> 40n)]++;
    expect(chiSquare(counts, [1 / 3, 1 / 3, 1 / 3]).statistic).toBeLessThan(chi2Critical(2));
  });

  it('fullPrecisionDouble is uniform (KS, n = 20000) and has bits below 2^−53 for small values', () => {
    const r = new SeededRandom(5);
    const xs = Float64Array.from({ length: 20000 }, () => r.fullPrecisionDouble());
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
    expect(ksStatistic(xs, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(KS_CRITICAL_0999);
    // A 53-bit grid draw below 1/4 is a multiple of 2^-53; a full-precision one has 52 fresh bits below its
    // leading bit, so (hand derivation) it is off the grid with probability 1 − 2^-(k) for x in [2^-k-1, 2^-k).
    const small = Array.from(xs).filter((x) => x < 0.25);
    const offGrid = small.filter((x) => !Number.isInteger(x * 2 ** 53)).length;
    expect(offGrid / small.length).toBeGreaterThan(0.7);
  });
});

describe('randomSource', () => {
  it('wraps a bare RandomBits so the derived draws work', () => {
    let state = 1;
    const bare = { uint32: () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) };
    const src = randomSource(bare);
    expect(src).toBeInstanceOf(RandomSource);
    const x = src.double();
    expect(x >= 0 && x < 1).toBe(true);
  });

  it('rejects bad ranges with InvalidParameterError', () => {
    const r = new SeededRandom(1);
    expect(() => r.int(0)).toThrow(InvalidParameterError);
    expect(() => r.int(1.5)).toThrow(InvalidParameterError);
    expect(() => r.bigInt(0n)).toThrow(InvalidParameterError);
  });
});
