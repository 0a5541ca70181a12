import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError, Rng } from '../../core/index.js';
import { resampleCells } from './resampling.js';

/** 100 rows: group a has 60 rows (45 positive), group b 40 rows (10 positive). */
function skewed(): { labels: Uint8Array; groups: string[] } {
  const labels: number[] = [];
  const groups: string[] = [];
  const add = (g: string, y: number, count: number) => {
    for (let i = 0; i < count; i++) {
      labels.push(y);
      groups.push(g);
    }
  };
  add('a', 1, 45);
  add('a', 0, 15);
  add('b', 1, 10);
  add('b', 0, 30);
  return { labels: Uint8Array.from(labels), groups };
}

/** Base rate of each group in the resample. */
function baseRates(labels: ArrayLike<number>, groups: readonly string[], indices: Uint32Array) {
  const pos = new Map<string, number>();
  const all = new Map<string, number>();
  for (const i of indices) {
    all.set(groups[i], (all.get(groups[i]) ?? 0) + 1);
    pos.set(groups[i], (pos.get(groups[i]) ?? 0) + labels[i]);
  }
  return new Map([...all].map(([g, n]) => [g, (pos.get(g) ?? 0) / n]));
}

describe('resampleCells (Kamiran & Calders 2012 uniform sampling)', () => {
  it('sizes every cell n(g)·n(y)/n in independent mode, drawing each cell from its own rows', () => {
    const { labels, groups } = skewed();
    const r = resampleCells({ labels, groups, seed: 1 });
    // n(y=1) = 55, n(y=0) = 45; n(a) = 60, n(b) = 40.
    expect(r.cells.map((c) => [c.group, c.label, c.before, c.after])).toEqual([
      ['a', 0, 15, 27],
      ['a', 1, 45, 33],
      ['b', 0, 30, 18],
      ['b', 1, 10, 22],
    ]);
    expect(r.indices.length).toBe(100);
    let k = 0;
    for (const cell of r.cells) {
      for (let j = 0; j < cell.after; j++, k++) {
        const i = r.indices[k];
        expect([groups[i], labels[i]]).toEqual([cell.group, cell.label]);
      }
    }
    const rates = baseRates(labels, groups, r.indices);
    expect(rates.get('a')).toBeCloseTo(0.55, 12);
    expect(rates.get('b')).toBeCloseTo(0.55, 12);
  });

  it('gives every cell the same size in balanced mode', () => {
    const { labels, groups } = skewed();
    const r = resampleCells({ labels, groups, mode: 'balanced' });
    expect(r.cells.map((c) => c.after)).toEqual([25, 25, 25, 25]);
    const rates = baseRates(labels, groups, r.indices);
    expect([...rates.values()]).toEqual([0.5, 0.5]);
  });

  it('is deterministic with a seed and differs across seeds', () => {
    const { labels, groups } = skewed();
    const a = resampleCells({ labels, groups, seed: 7 });
    const b = resampleCells({ labels, groups, seed: 7 });
    const c = resampleCells({ labels, groups, seed: 8 });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.indices)).not.toEqual(Array.from(c.indices));
  });

  it('an empty cell is a clear error naming it', () => {
    const labels = Uint8Array.from([1, 0, 1, 1]);
    const groups = ['a', 'a', 'b', 'b'];
    expect(() => resampleCells({ labels, groups, source: 'toy.csv' })).toThrow(DataValidationError);
    expect(() => resampleCells({ labels, groups, source: 'toy.csv' })).toThrow(
      /cell group 'b' × label 0 in toy.csv: it has no rows/,
    );
  });

  it('rejects mismatched lengths, non-binary labels, one group and an unknown mode', () => {
    expect(() => resampleCells({ labels: [1, 0], groups: ['a'] })).toThrow(InvalidParameterError);
    expect(() => resampleCells({ labels: [1, 2], groups: ['a', 'b'] })).toThrow(/labels 0 or 1; row 1/);
    expect(() => resampleCells({ labels: [1, 0], groups: ['a', 'a'] })).toThrow(/at least two groups/);
    expect(() =>
      resampleCells({ labels: [1, 0], groups: ['a', 'b'], mode: 'magic' as unknown as 'balanced' }),
    ).toThrow(/'independent' or 'balanced'/);
  });

  it('property: on random data, every group has the same base rate in the resample (up to rounding)', () => {
    const rng = new Rng(42);
    for (let trial = 0; trial < 200; trial++) {
      const n = 20 + rng.int(400);
      const groupCount = 2 + rng.int(3);
      const bias = Array.from({ length: groupCount }, () => 0.1 + 0.8 * rng.next());
      const groups: string[] = [];
      const labels = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const g = i < 2 * groupCount ? Math.floor(i / 2) : rng.int(groupCount);
        groups.push(`g${g}`);
        labels[i] = i < 2 * groupCount ? i % 2 : rng.next() < bias[g] ? 1 : 0;
      }
      const overall = labels.reduce((a, y) => a + y, 0) / n;
      for (const mode of ['independent', 'balanced'] as const) {
        const r = resampleCells({ labels, groups, mode, seed: trial });
        const rates = baseRates(labels, groups, r.indices);
        expect(rates.size).toBe(groupCount);
        for (const [g, rate] of rates) {
          const size = r.cells.filter((c) => c.group === g).reduce((a, c) => a + c.after, 0);
          // Rounding each cell moves it by at most 1/2 row, so the rate by at most ~1/size.
          const target = mode === 'balanced' ? 0.5 : overall;
          expect(Math.abs(rate - target)).toBeLessThanOrEqual(1 / size + 1e-12);
        }
      }
    }
  });
});
