import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { solveBoxLp } from './linear-program.js';

describe('solveBoxLp', () => {
  it('solves hand-derived cases', () => {
    // min -x0 - 2 x1, x0 + x1 = 1: put all weight on x1 → (0, 1), value -2.
    const a = solveBoxLp([-1, -2], [[1, 1]], [1]);
    expect(Array.from(a?.x ?? [])).toEqual([0, 1]);
    expect(a?.value).toBe(-2);
    // min -x0 - x1 - x2, x0 + x1 + x2 = 1.5: any split reaches -1.5.
    expect(solveBoxLp([-1, -1, -1], [[1, 1, 1]], [1.5])?.value).toBeCloseTo(-1.5, 12);
    // min x0 - x1, x0 = 0.25 (a single free variable fixed by the equality) → (0.25, 1), value -0.75.
    const c = solveBoxLp([1, -1], [[1, 0]], [0.25]);
    expect(Array.from(c?.x ?? [])).toEqual([0.25, 1]);
    // x0 + x1 = 3 has no solution in the unit box.
    expect(solveBoxLp([1, 1], [[1, 1]], [3])).toBeUndefined();
  });

  it('is never beaten by a brute-force grid over the two free directions (random 4-variable LPs)', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const c = Array.from({ length: 4 }, () => rng.next() - 0.5);
      const A = [0, 1].map(() => Array.from({ length: 4 }, () => rng.next() - 0.5));
      const b = [0, 0]; // x = 0 is feasible, as in the equalized-odds LP
      const lp = solveBoxLp(c, A, b);
      expect(lp).toBeDefined();
      // Grid over (x0, x1); (x2, x3) from the 2x2 system; keep points inside the box.
      const det = A[0][2] * A[1][3] - A[0][3] * A[1][2];
      for (let i = 0; i <= 100; i++) {
        for (let j = 0; j <= 100; j++) {
          const x0 = i / 100;
          const x1 = j / 100;
          const r0 = b[0] - A[0][0] * x0 - A[0][1] * x1;
          const r1 = b[1] - A[1][0] * x0 - A[1][1] * x1;
          const x2 = (r0 * A[1][3] - A[0][3] * r1) / det;
          const x3 = (A[0][2] * r1 - r0 * A[1][2]) / det;
          if (x2 < 0 || x2 > 1 || x3 < 0 || x3 > 1) continue;
          const v = c[0] * x0 + c[1] * x1 + c[2] * x2 + c[3] * x3;
          expect(lp?.value).toBeLessThanOrEqual(v + 1e-9);
        }
      }
    }
  });
});
