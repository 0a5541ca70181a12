import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import { buildDomains, type NumericDomain, roundToDomain, sampleGene } from './feature-domains.js';

const features: ExplainableModel['features'] = [
  { name: 'x', kind: 'numeric' },
  { name: 'k', kind: 'numeric' },
  { name: 'c', kind: 'categorical' },
];
const data = {
  rows: 5,
  columns: {
    x: Float64Array.of(1, 2, 3, 4, 100.25),
    k: Float64Array.of(5, 5, 5, 5, 5),
    c: ['b', 'a', null, 'b', 'c'],
  },
};
const row = { rows: 1, columns: { x: Float64Array.of(3), k: Float64Array.of(5), c: ['b'] } };

describe('buildDomains', () => {
  it('takes range, precision and MAD from the training rows (hand computed)', () => {
    const [x, k, c] = buildDomains(features, row, data, {});
    // x: range [1, 100.25], 2 decimals; median 3, |x − 3| = 2, 1, 0, 1, 97.25 → MAD = 1; span 99.25.
    expect(x).toMatchObject({ lo: 1, hi: 100.25, precision: 2, mad: 1, span: 99.25, fixed: false });
    // k is constant: MAD 0 → 1 (dice-ml's get_valid_mads), span 0 → 1, and no room to move.
    expect(k).toMatchObject({ lo: 5, hi: 5, precision: 0, mad: 1, span: 1, fixed: true });
    // c: the original first, then the other categories seen in the data (sorted, missing left out).
    expect(c).toMatchObject({ values: ['b', 'a', 'c'], fixed: false });
  });

  it('cuts the interval at the row value for monotone features and applies ranges and allowed categories', () => {
    const [x, , c] = buildDomains(features, row, data, {
      increaseOnly: ['x'],
      ranges: { x: [0, 10] },
      allowedCategories: { c: ['b'] },
    });
    expect(x).toMatchObject({ lo: 3, hi: 10 });
    expect(c).toMatchObject({ values: ['b'], fixed: true }); // only the original is allowed
    const [xd] = buildDomains(features, row, data, { decreaseOnly: ['x'], immutable: ['c'] });
    expect(xd).toMatchObject({ lo: 1, hi: 3 });
  });
});

describe('sampling and rounding', () => {
  const d: NumericDomain = {
    kind: 'numeric',
    name: 'x',
    original: 3,
    fixed: false,
    lo: 0.25,
    hi: 0.75,
    precision: 1,
    mad: 1,
    span: 1,
  };

  it('draws only grid values inside [lo, hi]: {0.3, ..., 0.7} for lo 0.25, hi 0.75 at 1 decimal', () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(sampleGene(d, rng));
    expect([...seen].sort()).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('rounds to the grid and clamps into the interval', () => {
    expect([roundToDomain(d, 0.44), roundToDomain(d, 0.1), roundToDomain(d, 9)]).toEqual([0.4, 0.3, 0.7]);
  });
});
