import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, type Objective } from './lbfgs.js';
import { MoreThuente } from './line-search.js';

/** Rosenbrock f = Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1) (hand derivation). */
const rosenbrock: Objective = (x, g) => {
  g.fill(0);
  let f = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
};

describe('minimizeLbfgs', () => {
  it('finds the Rosenbrock minimum (1, …, 1) to 1e-8 in 10 dimensions', async () => {
    const x0 = Float64Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = await minimizeLbfgs(rosenbrock, x0, { gtol: 1e-12 });
    expect(r.status).toBe('gtol');
    for (const v of r.x) expect(Math.abs(v - 1)).toBeLessThanOrEqual(1e-8);
    expect(r.f).toBeLessThanOrEqual(1e-16);
    expect(x0[0]).toBe(-1.2);
  });

  it('solves a quadratic ½xᵀAx − bᵀx with an async objective (x = A⁻¹b, hand-solved)', async () => {
    // A = [[4, 1], [1, 3]], b = [1, 2]: x = [1/11, 7/11].
    const quadratic: Objective = async (x, g) => {
      await Promise.resolve();
      g[0] = 4 * x[0] + x[1] - 1;
      g[1] = x[0] + 3 * x[1] - 2;
      return 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]) - x[0] - 2 * x[1];
    };
    const r = await minimizeLbfgs(quadratic, new Float64Array(2), { gtol: 1e-14 });
    expect(r.x[0]).toBeCloseTo(1 / 11, 13);
    expect(r.x[1]).toBeCloseTo(7 / 11, 13);
  });

  it('stops at maxIter and reports it', async () => {
    const r = await minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { maxIter: 3, gtol: 0 });
    expect(r.status).toBe('maxIter');
    expect(r.nIter).toBe(3);
  });

  it('stops on the relative reduction test when ftol is large', async () => {
    const r = await minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { ftol: 0.5, gtol: 0 });
    expect(r.status).toBe('ftol');
  });

  it('returns at once when the start is stationary', async () => {
    const r = await minimizeLbfgs(rosenbrock, Float64Array.of(1, 1));
    expect(r).toMatchObject({ status: 'gtol', nIter: 0, nEval: 1 });
  });
});

describe('MoreThuente', () => {
  it('returns a step satisfying the strong Wolfe conditions', () => {
    // φ(α) = (α − 3)² + 0.5·sin(3α): non-convex along the line, φ'(0) = −6 + 1.5 < 0.
    const phi = (a: number) => (a - 3) ** 2 + 0.5 * Math.sin(3 * a);
    const dphi = (a: number) => 2 * (a - 3) + 1.5 * Math.cos(3 * a);
    const c1 = 1e-3;
    const c2 = 0.9;
    for (const first of [0.01, 1, 50]) {
      const search = new MoreThuente({ ftol: c1, gtol: c2, xtol: 0.1, stpmin: 0, stpmax: 1e10 });
      let task = search.start(phi(0), dphi(0), first);
      let evals = 0;
      while (task === 'evaluate' && evals++ < 30) task = search.step(phi(search.stp), dphi(search.stp));
      expect(task).toBe('converged');
      const a = search.stp;
      expect(phi(a)).toBeLessThanOrEqual(phi(0) + c1 * a * dphi(0));
      expect(Math.abs(dphi(a))).toBeLessThanOrEqual(c2 * Math.abs(dphi(0)));
    }
  });

  it('refuses an ascent direction', () => {
    const search = new MoreThuente({ ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpmin: 0, stpmax: 1e10 });
    expect(search.start(0, 1, 1)).toBe('error');
  });
});
