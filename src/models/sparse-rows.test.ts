import { describe, expect, it } from 'vitest';
import { type Matrix, matrix, Rng } from '../core/index.js';
import { maxAbsDiff } from './conformance.test-suite.js';
import { createKernel, type GradientTask, parameterCount } from './gradient-kernels.js';
import { LogisticRegression } from './logistic-regression.js';
import { MLPClassifier } from './mlp-classifier.js';
import { logisticHessian } from './newton.js';
import { density, SPARSE_DENSITY, sparseDesign, toCsr } from './sparse-rows.js';

/** A one-hot-like design: two numeric columns, then `groups` one-hot groups of `levels` columns. */
function oneHot(rows: number, groups: number, levels: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const cols = 2 + groups * levels;
  const X = matrix(rows, cols);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    X.data[base] = rng.normal();
    X.data[base + 1] = rng.next() < 0.3 ? 0 : rng.normal();
    let z = X.data[base] - 0.5 * X.data[base + 1];
    for (let g = 0; g < groups; g++) {
      const level = rng.int(levels);
      X.data[base + 2 + g * levels + level] = 1;
      z += ((level % 3) - 1) * 0.7;
    }
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X, y };
}

function bytes(arrays: Float64Array[]): Buffer[] {
  return arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

describe('toCsr', () => {
  it('keeps the non-zeros row by row, columns ascending (hand-checked 3 × 4 example)', () => {
    const X = matrix(3, 4, Float64Array.of(0, 2, 0, -1, 0, 0, 0, 0, 5, -0, 0, 3));
    const csr = toCsr(X);
    expect(Array.from(csr.indptr)).toEqual([0, 2, 2, 4]);
    expect(Array.from(csr.indices)).toEqual([1, 3, 0, 3]);
    expect(Array.from(csr.values)).toEqual([2, -1, 5, 3]);
    expect(density(X)).toBe(4 / 12);
  });

  it("uses CSR under 'auto' only below SPARSE_DENSITY; true and false force the choice", () => {
    const sparse = oneHot(50, 3, 10, 1).X; // 4-5 non-zeros of 32
    const dense = matrix(2, 2, Float64Array.of(1, 2, 0, 3));
    expect(density(sparse)).toBeLessThan(SPARSE_DENSITY);
    expect(sparseDesign('auto', sparse)).toBeDefined();
    expect(sparseDesign('auto', dense)).toBeUndefined();
    expect(sparseDesign(true, dense)).toBeDefined();
    expect(sparseDesign(false, sparse)).toBeUndefined();
  });
});

describe('CSR kernels', () => {
  const { X, y } = oneHot(300, 4, 6, 2);
  const csr = toCsr(X);
  const rng = new Rng(3);
  const weights = Float64Array.from({ length: X.rows }, (_, i) => (i % 9 === 0 ? 0 : 0.5 + rng.next()));
  const order = Uint32Array.from({ length: X.rows }, (_, i) => (i * 7) % X.rows);
  const tasks: GradientTask[] = [
    { kind: 'logistic', fitIntercept: true },
    { kind: 'logistic', fitIntercept: false },
    { kind: 'mlp', sizes: [X.cols, 5, 3, 1] },
    { kind: 'mlp', sizes: [X.cols, 7, 1] },
  ];
  for (const task of tasks) {
    it(`${JSON.stringify(task)}: the same loss and gradient bits as the dense kernel`, () => {
      const params = Float64Array.from({ length: parameterCount(task, X.cols) }, () => 0.5 * rng.normal());
      const arrays = { X: X.data, rows: X.rows, cols: X.cols, y, weights, order, params };
      const dense = createKernel(task, arrays);
      const sparse = createKernel(task, { ...arrays, X: new Float64Array(0), csr });
      const gDense = new Float64Array(params.length);
      const gSparse = new Float64Array(params.length);
      expect(sparse.evaluate(11, 287, gSparse)).toBe(dense.evaluate(11, 287, gDense));
      expect(bytes([gSparse])).toEqual(bytes([gDense]));
    });
  }

  it('logisticHessian from CSR equals the dense one bit for bit', () => {
    const params = Float64Array.from({ length: X.cols + 1 }, () => rng.normal());
    const dense = logisticHessian(X, weights, params, 2.5, true);
    expect(bytes([logisticHessian(csr, weights, params, 2.5, true)])).toEqual(bytes([dense]));
  });
});

describe('sparse fits', () => {
  const { X, y } = oneHot(800, 5, 8, 4);

  for (const threads of [1, 2]) {
    it(`LogisticRegression: sparse and dense reach the same optimum (threads ${threads}, |Δ| <= 1e-9)`, async () => {
      for (const options of [
        { C: 10 },
        { C: 0.1, fitIntercept: false },
        { C: 1, solver: 'lbfgs' as const },
      ]) {
        const sampleWeight = Float64Array.from({ length: X.rows }, (_, i) => 1 + (i % 4));
        const dense = await new LogisticRegression({ ...options, threads, sparse: false }).fit(X, y, {
          sampleWeight,
        });
        const sparse = await new LogisticRegression({ ...options, threads, sparse: true }).fit(X, y, {
          sampleWeight,
        });
        expect(Math.abs(sparse.intercept - dense.intercept)).toBeLessThanOrEqual(1e-9);
        expect(maxAbsDiff(sparse.coef!, dense.coef!)).toBeLessThanOrEqual(1e-9);
        expect(sparse.gradientNorm).toBeLessThanOrEqual(options.solver ? 1e-5 : 1e-10);
      }
    });

    it(`MLPClassifier: sparse and dense give the same weights for a seed (threads ${threads}, bit for bit)`, async () => {
      const options = { hiddenLayerSizes: [6, 4], maxEpochs: 4, batchSize: 50, seed: 5, threads };
      const dense = await new MLPClassifier({ ...options, sparse: false }).fit(X, y);
      const sparse = await new MLPClassifier({ ...options, sparse: 'auto' }).fit(X, y);
      const flat = (m: MLPClassifier) => m.toDenseNetwork().layers.flatMap((l) => [l.weights, l.bias]);
      expect(bytes(flat(sparse))).toEqual(bytes(flat(dense)));
      expect(sparse.validationLossCurve).toEqual(dense.validationLossCurve);
    });
  }

  it("rejects a 'sparse' option other than 'auto', true or false", async () => {
    const bad = { sparse: 'yes' as unknown as boolean };
    await expect(new LogisticRegression(bad).fit(X, y)).rejects.toThrow(
      "The 'sparse' option of LogisticRegression must be 'auto', true or false. Got 'yes' instead.",
    );
    await expect(new MLPClassifier(bad).fit(X, y)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});
