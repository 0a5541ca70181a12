import { describe, expect, it } from 'vitest';
import { type Matrix, matrix, Rng } from '../../core/index.js';
import { createKernel, parameterCount, toCsr } from '../../models/index.js';
import { DpSgdPerSampleBackprop, dpSgdPerSampleGradients } from './per-sample-backprop.js';

/** A small problem with some exact zeros (so the sparse paths are exercised) and random parameters. */
function problem(rows: number, cols: number, sizes: number[], seed: number) {
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  for (let k = 0; k < X.data.length; k++) X.data[k] = rng.next() < 0.3 ? 0 : rng.normal();
  const y = Uint8Array.from({ length: rows }, () => (rng.next() < 0.5 ? 1 : 0));
  const params = Float64Array.from({ length: parameterCount({ kind: 'mlp', sizes }, cols) }, () =>
    rng.normal(),
  );
  return { X, y, params };
}

/** The gradient of row i from models' mean-gradient kernel, run over that one row with weight 1. */
function kernelGradient(sizes: number[], X: Matrix, y: Uint8Array, params: Float64Array, rowsOf: number[]) {
  const grad = new Float64Array(params.length);
  const kernel = createKernel(
    { kind: 'mlp', sizes },
    {
      X: X.data,
      rows: X.rows,
      cols: X.cols,
      y,
      weights: new Float64Array(X.rows).fill(1),
      order: Uint32Array.from(rowsOf),
      params,
    },
  );
  kernel.evaluate(0, rowsOf.length, grad);
  return grad;
}

const CASES: [string, number[]][] = [
  ['logistic regression', [5, 1]],
  ['MLP [4]', [5, 4, 1]],
  ['MLP [4, 3]', [5, 4, 3, 1]],
];

describe.each(CASES)('per-sample gradients of %s', (_name, sizes) => {
  const { X, y, params } = problem(12, 5, sizes, 7);
  const G = dpSgdPerSampleGradients(sizes, params, X, y);
  const p = params.length;

  it("equal models' gradient kernel run on each row alone (relative 1e-12; the same products)", () => {
    for (let i = 0; i < X.rows; i++) {
      const expected = kernelGradient(sizes, X, y, params, [i]);
      for (let j = 0; j < p; j++) {
        expect(Math.abs(G.data[i * p + j] - expected[j])).toBeLessThanOrEqual(1e-12 * Math.abs(expected[j]));
      }
    }
  });

  it('sum to the full-batch kernel gradient (absolute 1e-9: only the summation order differs)', () => {
    const full = kernelGradient(sizes, X, y, params, [...y.keys()]);
    for (let j = 0; j < p; j++) {
      let sum = 0;
      for (let i = 0; i < X.rows; i++) sum += G.data[i * p + j];
      expect(Math.abs(sum - full[j])).toBeLessThan(1e-9);
    }
  });

  it('equal Richardson-extrapolated central differences of the log-loss (absolute 1e-9)', () => {
    // D(h) = (ℓ(θ + h·e_j) − ℓ(θ − h·e_j)) / 2h has error c₂h² + c₄h⁴ + …; (4·D(h/2) − D(h)) / 3 cancels
    // the h² term, leaving O(h⁴) ≈ 1e-12 at h = 1e-3 and rounding of about 1e-16 / h = 1e-13.
    const bp = new DpSgdPerSampleBackprop(sizes);
    const loss = (theta: Float64Array, i: number) => bp.evaluate(theta, X, undefined, i, y[i]);
    const central = (i: number, j: number, h: number) => {
      const up = params.slice();
      up[j] += h;
      const down = params.slice();
      down[j] -= h;
      return (loss(up, i) - loss(down, i)) / (2 * h);
    };
    for (const i of [0, 5, 11]) {
      for (let j = 0; j < p; j++) {
        const fd = (4 * central(i, j, 5e-4) - central(i, j, 1e-3)) / 3;
        expect(Math.abs(G.data[i * p + j] - fd)).toBeLessThan(1e-9);
      }
    }
  });

  it('report ‖g_i‖² without materialising g_i, dense and CSR alike (relative 1e-12)', () => {
    const bp = new DpSgdPerSampleBackprop(sizes);
    const csr = toCsr(X);
    for (let i = 0; i < X.rows; i++) {
      let direct = 0;
      for (let j = 0; j < p; j++) direct += G.data[i * p + j] ** 2;
      const loss = bp.evaluate(params, X, undefined, i, y[i]);
      expect(Math.abs(bp.squaredNorm() - direct) / direct).toBeLessThan(1e-12);
      const lossCsr = bp.evaluate(params, X, csr, i, y[i]);
      expect(lossCsr).toBe(loss);
      expect(Math.abs(bp.squaredNorm() - direct) / direct).toBeLessThan(1e-12);
    }
  });
});

describe('clipping', () => {
  it('bounds each row’s contribution c·g_i, c = min(1, C/‖g_i‖), to norm <= C (200 random draws, relative 1e-12)', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 200; trial++) {
      const sizes = trial % 2 === 0 ? [4, 1] : [4, 3, 1];
      const { X, y, params } = problem(1, 4, sizes, 100 + trial);
      for (let k = 0; k < params.length; k++) params[k] *= 1 + 5 * rng.next();
      const C = 10 ** (4 * rng.next() - 3);
      const bp = new DpSgdPerSampleBackprop(sizes);
      bp.evaluate(params, X, undefined, 0, y[0]);
      const norm = Math.sqrt(bp.squaredNorm());
      const contribution = new Float64Array(bp.size);
      bp.accumulate(contribution, norm > C ? C / norm : 1);
      let sq = 0;
      for (const v of contribution) sq += v * v;
      const clippedNorm = Math.sqrt(sq);
      expect(clippedNorm).toBeLessThanOrEqual(C * (1 + 1e-12));
      if (norm > C) expect(Math.abs(clippedNorm - C) / C).toBeLessThan(1e-12);
      else expect(Math.abs(clippedNorm - norm)).toBeLessThanOrEqual(norm * 1e-12);
    }
  });
});
