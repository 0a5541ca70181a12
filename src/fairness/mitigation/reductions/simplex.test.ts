import { describe, expect, it } from 'vitest';
import { simplexMax } from './simplex.js';

describe('simplexMax', () => {
  it('solves the Wyndor Glass LP (Hillier & Lieberman, §3.1) with its dual prices', () => {
    // max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18: optimum (2, 6), value 36, shadow prices (0, 1.5, 1).
    const s = simplexMax(
      [3, 5],
      [
        [1, 0],
        [0, 2],
        [3, 2],
      ],
      [4, 12, 18],
    );
    expect(s).toBeDefined();
    expect(Array.from(s?.x ?? [])).toEqual([2, 6].map((v) => expect.closeTo(v, 12)));
    expect(s?.value).toBeCloseTo(36, 12);
    expect(Array.from(s?.dual ?? [])).toEqual([0, 1.5, 1].map((v) => expect.closeTo(v, 12)));
  });

  it('reports an unbounded LP as undefined', () => {
    expect(simplexMax([1, 1], [[1, -1]], [1])).toBeUndefined();
  });
});
