import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { bootstrapIntervals, type CountsMetric, quantile } from './bootstrap.js';
import { jackknifeAcceleration, normalCdf, normalQuantile } from './bootstrap-bca.js';
import { toBuckets } from './bootstrap-buckets.js';
import type { CellCounts, DisaggregatedCounts } from './group-counts.js';

type Outcomes = [tp: number, fp: number, tn: number, fn: number];

function audit(groups: Record<string, Outcomes>, weight = 1): DisaggregatedCounts {
  const cells: CellCounts[] = Object.entries(groups).map(([g, [tp, fp, tn, fn]]) => ({
    group: { g },
    rows: tp + fp + tn + fn,
    tp: tp * weight,
    fp: fp * weight,
    tn: tn * weight,
    fn: fn * weight,
    ...(weight !== 1 ? { tpRows: tp, fpRows: fp, tnRows: tn, fnRows: fn } : {}),
  }));
  return { protectedColumns: ['g'], cells, hasPredictions: true };
}

const selection = (c: CellCounts) => (c.tp + c.fp) / (c.tp + c.fp + c.tn + c.fn);

/** Selection rate of each group and their difference a − b; NaN for a group the resample missed. */
const rates: CountsMetric = (counts) => {
  const out: Record<string, number> = {};
  for (const g of ['a', 'b']) {
    const cell = counts.cells.find((c) => c.group.g === g);
    out[`selection_${g}`] = cell ? selection(cell) : Number.NaN;
  }
  out.difference = out.selection_a - out.selection_b;
  return out;
};

/** Brute-force row-level bootstrap: draw n row indices with replacement and tally the buckets. */
function rowBootstrap(
  groups: Record<string, Outcomes>,
  replicates: number,
  seed: number,
  stratified: boolean,
) {
  const rows: [string, number][] = [];
  for (const [g, outcomes] of Object.entries(groups))
    outcomes.forEach((count, j) => {
      for (let i = 0; i < count; i++) rows.push([g, j]);
    });
  const rng = new Rng(seed);
  const values: Record<string, number>[] = [];
  for (let r = 0; r < replicates; r++) {
    const tally: Record<string, Outcomes> = {};
    const draw = (pool: [string, number][]) => {
      for (let i = 0; i < pool.length; i++) {
        const [g, j] = pool[rng.int(pool.length)];
        tally[g] ??= [0, 0, 0, 0];
        tally[g][j]++;
      }
    };
    if (stratified) for (const g of Object.keys(groups)) draw(rows.filter((row) => row[0] === g));
    else draw(rows);
    values.push(rates(audit(tally)));
  }
  return values;
}

/** Two-sample Kolmogorov-Smirnov statistic D = sup |F₁ − F₂|. */
function ksStatistic(x: number[], y: number[]): number {
  const a = [...x].sort((p, q) => p - q);
  const b = [...y].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const v = Math.min(a[i], b[j]);
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** Replicate values of a count-level bootstrap, recovered by capturing what the metric sees. */
function countBootstrap(groups: Record<string, Outcomes>, replicates: number, stratified: boolean) {
  const seen: Record<string, number>[] = [];
  bootstrapIntervals(
    audit(groups),
    (c) => {
      const v = rates(c);
      seen.push(v);
      return v;
    },
    { replicates, seed: 3, stratified },
  );
  return seen.slice(1); // the first call is the estimate on the original counts
}

const small: Record<string, Outcomes> = { a: [8, 4, 20, 8], b: [3, 2, 15, 5] };

describe('bootstrapIntervals', () => {
  it.each([false, true])(
    'matches a brute-force row-level bootstrap in distribution (stratified %s)',
    (stratified) => {
      const B = 4000;
      const fast = countBootstrap(small, B, stratified);
      const slow = rowBootstrap(small, B, 99, stratified);
      for (const key of ['selection_a', 'difference']) {
        const x = fast.map((v) => v[key]).filter(Number.isFinite);
        const y = slow.map((v) => v[key]).filter(Number.isFinite);
        // Both are draws from the same distribution: KS critical value at α = 0.01 is 1.63·sqrt(2/B).
        expect(ksStatistic(x, y)).toBeLessThan(1.63 * Math.sqrt(2 / B));
        const sx = x.sort((p, q) => p - q);
        const sy = y.sort((p, q) => p - q);
        // Percentile bounds agree to Monte-Carlo error (about 0.01 here); tolerance 0.03.
        expect(Math.abs(quantile(sx, 0.025) - quantile(sy, 0.025))).toBeLessThan(0.03);
        expect(Math.abs(quantile(sx, 0.975) - quantile(sy, 0.975))).toBeLessThan(0.03);
      }
    },
  );

  it('is close to the Wilson and Clopper-Pearson intervals for one proportion', () => {
    // 60 of 200 selected: Wilson 95% (hand formula below, z = 1.959964) and Clopper-Pearson
    // [0.237390, 0.368650] (scipy 1.17 beta.ppf(0.025, 60, 141), beta.ppf(0.975, 61, 140)); the
    // percentile bootstrap is close to both: tolerance 0.02.
    const result = bootstrapIntervals(audit({ a: [40, 20, 100, 40] }), rates, { replicates: 4000, seed: 1 });
    const n = 200;
    const p = 0.3;
    const z = 1.959963984540054;
    const center = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    const { estimate, lower, upper, undefinedShare, replicates } = result.selection_a;
    expect(estimate).toBe(0.3);
    expect(Math.abs(lower - (center - half))).toBeLessThan(0.02);
    expect(Math.abs(upper - (center + half))).toBeLessThan(0.02);
    expect(Math.abs(lower - 0.23739)).toBeLessThan(0.02);
    expect(Math.abs(upper - 0.36865)).toBeLessThan(0.02);
    expect(undefinedShare).toBe(0);
    expect(replicates).toBe(4000);
    // Group b is absent everywhere: all replicates undefined, interval NaN.
    expect(result.selection_b).toMatchObject({ replicates: 0, undefinedShare: 1 });
    expect(result.selection_b.lower).toBeNaN();
  });

  it('gives identical intervals for the same seed and different ones for another seed', () => {
    const run = (seed: number) => bootstrapIntervals(audit(small), rates, { replicates: 300, seed });
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('counts replicates where a tiny group drew no rows as undefined', () => {
    // Group b has 2 of 50 rows: P(no b rows in a plain resample) = (48/50)^50 = 0.1299 (hand
    // derivation); 2000 replicates give a Monte-Carlo SE of 0.0075, tolerance 4 SE = 0.03.
    const counts = audit({ a: [10, 10, 20, 8], b: [1, 0, 1, 0] });
    const plain = bootstrapIntervals(counts, rates, { replicates: 2000, seed: 2 });
    expect(Math.abs(plain.selection_b.undefinedShare - (48 / 50) ** 50)).toBeLessThan(0.03);
    expect(plain.selection_b.replicates).toBe(Math.round(2000 * (1 - plain.selection_b.undefinedShare)));
    const stratified = bootstrapIntervals(counts, rates, { replicates: 2000, seed: 2, stratified: true });
    expect(stratified.selection_b.undefinedShare).toBe(0);
  });

  it('keeps every group size fixed when stratified', () => {
    const sizes: CountsMetric = (c) => Object.fromEntries(c.cells.map((cell) => [cell.group.g, cell.rows]));
    const result = bootstrapIntervals(audit(small), sizes, { replicates: 200, stratified: true });
    expect(result.a).toMatchObject({ estimate: 40, lower: 40, upper: 40 });
    expect(result.b).toMatchObject({ estimate: 25, lower: 25, upper: 25 });
  });

  it('scales drawn rows by the mean weight of their bucket', () => {
    const unweighted = bootstrapIntervals(audit(small), rates, { replicates: 300, seed: 4 });
    const weighted = bootstrapIntervals(audit(small, 2.5), rates, { replicates: 300, seed: 4 });
    for (const key of Object.keys(unweighted)) {
      expect(weighted[key].lower).toBeCloseTo(unweighted[key].lower, 12);
      expect(weighted[key].upper).toBeCloseTo(unweighted[key].upper, 12);
    }
    // Without per-bucket rows, rows are apportioned by weight (each row gets the cell's mean weight).
    const { tpRows, fpRows, tnRows, fnRows, ...bare } = audit(small, 2.5).cells[0];
    const table = toBuckets({ protectedColumns: ['g'], cells: [bare], hasPredictions: true });
    expect(table.apportioned).toBe(true);
    expect([...table.rows]).toEqual([tpRows, fpRows, tnRows, fnRows]);
  });

  it('computes BCa intervals with the jackknife acceleration of a proportion', () => {
    // For a sample mean of Bernoulli(p) rows the jackknife acceleration is skewness / (6√n)
    // = (1 − 2p) / (6 sqrt(n p (1 − p))) (hand derivation from Efron & Tibshirani eq. 14.15).
    const counts = audit({ a: [10, 10, 160, 20] });
    const table = toBuckets(counts);
    const a = jackknifeAcceleration(counts, table, rates, ['selection_a']).selection_a;
    expect(a).toBeCloseTo((1 - 2 * 0.1) / (6 * Math.sqrt(200 * 0.1 * 0.9)), 12);
    const bca = bootstrapIntervals(counts, rates, { replicates: 2000, method: 'bca', seed: 8 }).selection_a;
    const pct = bootstrapIntervals(counts, rates, { replicates: 2000, seed: 8 }).selection_a;
    expect(bca.method).toBe('bca');
    expect(pct.method).toBe('percentile');
    // Right-skewed statistic: BCa shifts both ends up relative to the percentile interval.
    expect(bca.lower).toBeGreaterThanOrEqual(pct.lower);
    expect(bca.upper).toBeGreaterThanOrEqual(pct.upper);
    expect(bca.lower).toBeLessThan(0.1);
    expect(bca.upper).toBeGreaterThan(0.1);
  });

  it('rejects bad options and counts with messages naming them', () => {
    expect(() => bootstrapIntervals(audit(small), rates, { replicates: 0 })).toThrow(/'replicates'/);
    expect(() => bootstrapIntervals(audit(small), rates, { confidence: 1 })).toThrow(/'confidence'/);
    expect(() => bootstrapIntervals(audit(small), rates, { seed: -1 })).toThrow(/'seed'/);
    const bad = { ...audit(small), cells: [{ ...audit(small).cells[0], tp: -1 }] };
    expect(() => bootstrapIntervals(bad, rates)).toThrow(/'tp' count of cell/);
    const mismatch = {
      ...audit(small),
      cells: [{ ...audit(small).cells[0], tpRows: 1, fpRows: 1, tnRows: 1, fnRows: 1 }],
    };
    expect(() => bootstrapIntervals(mismatch, rates)).toThrow(/summing to its rows/);
  });
});

describe('quantile', () => {
  it('interpolates linearly between order statistics (R type 7)', () => {
    // R: quantile(c(1, 2, 4, 8), c(0, 0.25, 0.5, 1), type = 7) = 1, 1.75, 3, 8 (hand computation).
    expect([0, 0.25, 0.5, 1].map((q) => quantile([1, 2, 4, 8], q))).toEqual([1, 1.75, 3, 8]);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('normalCdf and normalQuantile', () => {
  it('give the textbook values and invert each other', () => {
    // Φ⁻¹(0.975) = 1.959963984540054 and Φ(−1) = 0.15865525393145707 (scipy 1.17 norm.ppf / norm.cdf).
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 15);
    for (const p of [1e-10, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999]) {
      expect(Math.abs(normalCdf(normalQuantile(p)) / p - 1)).toBeLessThan(1e-12);
    }
  });
});
