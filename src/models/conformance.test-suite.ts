import { describe, expect, it } from 'vitest';
import {
  type BinaryClassifier,
  type DenseNetwork,
  hasDenseNetwork,
  type Matrix,
  matrix,
  Rng,
  StewardError,
  sigmoid,
  takeRows,
} from '../core/index.js';

/** Options of `runClassifierConformance`. */
export interface ConformanceOptions {
  /** Largest |Δp| allowed between zero-weighting rows and dropping them; omit to skip (minibatch estimators). */
  zeroWeightTolerance?: number;
  /** Largest |Δp| allowed between all-one weights and no weights. Default 1e-12. */
  unitWeightTolerance?: number;
  /** Rows of the toy problems. Default 200. */
  rows?: number;
}

/** A toy binary problem: two Gaussian blobs in 3 features with centres ±`shift` on every axis. */
export function blobs(rows: number, shift: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, 3);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 3; j++) X.data[i * 3 + j] = (y[i] === 1 ? shift : -shift) + rng.normal();
  }
  return { X, y };
}

/**
 * Registers the checks every `BinaryClassifier` must pass (the TypeScript models and the ONNX adapter
 * alike, as scikit-learn's `check_estimator`): NotFittedError before fit, fit resolving to the same
 * instance without touching its inputs, probabilities in [0, 1], predict = (proba >= threshold),
 * boolean capabilities, sample weights honoured (or refused when not supported), determinism under
 * one seed, a separable problem learned, and `toDenseNetwork` agreeing with `predictProba`.
 */
export function runClassifierConformance(
  name: string,
  make: () => BinaryClassifier | Promise<BinaryClassifier>,
  opts: ConformanceOptions = {},
): void {
  const rows = opts.rows ?? 200;
  const separable = blobs(rows, 2, 1);
  const noisy = blobs(rows, 0.5, 2);

  describe(`${name} conformance`, () => {
    it('rejects predict and predictProba before fit with NotFittedError', async () => {
      const model = await make();
      await expect(model.predictProba(separable.X)).rejects.toMatchObject({ code: 'NOT_FITTED' });
      await expect(model.predict(separable.X)).rejects.toMatchObject({ code: 'NOT_FITTED' });
      if (hasDenseNetwork(model))
        expect(() => model.toDenseNetwork()).toThrow(expect.objectContaining({ code: 'NOT_FITTED' }));
    });

    it('declares every capability as a boolean', async () => {
      const { capabilities } = await make();
      for (const key of ['sampleWeight', 'predictProba', 'perSampleGradients', 'denseNetwork'] as const) {
        expect(typeof capabilities[key], key).toBe('boolean');
      }
    });

    it('fit resolves to the same instance and leaves its inputs untouched', async () => {
      const model = await make();
      const X = matrix(noisy.X.rows, noisy.X.cols, noisy.X.data.slice());
      const y = noisy.y.slice();
      await expect(model.fit(X, y)).resolves.toBe(model);
      expect(X.data).toEqual(noisy.X.data);
      expect(y).toEqual(noisy.y);
    });

    it('predictProba gives one probability in [0, 1] per row; predict is proba >= threshold', async () => {
      const model = await (await make()).fit(noisy.X, noisy.y);
      const proba = await model.predictProba(noisy.X);
      expect(proba).toBeInstanceOf(Float64Array);
      expect(proba.length).toBe(rows);
      for (const p of proba) expect(p >= 0 && p <= 1).toBe(true);
      for (const threshold of [0.5, 0.3]) {
        const expected = Uint8Array.from(proba, (p) => (p >= threshold ? 1 : 0));
        const predicted =
          threshold === 0.5 ? await model.predict(noisy.X) : await model.predict(noisy.X, threshold);
        expect(predicted).toBeInstanceOf(Uint8Array);
        expect(predicted).toEqual(expected);
      }
    });

    it('learns a separable problem (training accuracy > 0.9)', async () => {
      const model = await (await make()).fit(separable.X, separable.y);
      const predicted = await model.predict(separable.X);
      const correct = predicted.reduce((n, p, i) => n + (p === separable.y[i] ? 1 : 0), 0);
      expect(correct / rows).toBeGreaterThan(0.9);
    });

    it('is deterministic: two fits with the same options give identical probabilities', async () => {
      const a = await (await make()).fit(noisy.X, noisy.y);
      const b = await (await make()).fit(noisy.X, noisy.y);
      expect(await b.predictProba(noisy.X)).toEqual(await a.predictProba(noisy.X));
    });

    it('honours sampleWeight when it declares it, and refuses it otherwise', async () => {
      const model = await make();
      if (!model.capabilities.sampleWeight) {
        const weights = new Float64Array(rows).fill(1);
        await expect(model.fit(noisy.X, noisy.y, { sampleWeight: weights })).rejects.toBeInstanceOf(
          StewardError,
        );
        return;
      }
      const plain = await (await make()).fit(noisy.X, noisy.y);
      const ones = await model.fit(noisy.X, noisy.y, { sampleWeight: new Float64Array(rows).fill(1) });
      expectClose(
        await ones.predictProba(noisy.X),
        await plain.predictProba(noisy.X),
        opts.unitWeightTolerance ?? 1e-12,
      );
      // Up-weighting the positive class must raise the mean predicted probability.
      const heavy = Float64Array.from(noisy.y, (label) => (label === 1 ? 5 : 1));
      const up = await (await make()).fit(noisy.X, noisy.y, { sampleWeight: heavy });
      expect(mean(await up.predictProba(noisy.X))).toBeGreaterThan(mean(await plain.predictProba(noisy.X)));
    });

    if (opts.zeroWeightTolerance !== undefined) {
      const tolerance = opts.zeroWeightTolerance;
      it(`zero weight on a row equals dropping it (|Δp| <= ${tolerance})`, async () => {
        const keep = Array.from({ length: rows }, (_, i) => i).filter((i) => i % 3 !== 0);
        const weights = Float64Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 0 : 1));
        const weighted = await (await make()).fit(noisy.X, noisy.y, { sampleWeight: weights });
        const dropped = await (await make()).fit(
          takeRows(noisy.X, keep),
          Uint8Array.from(keep, (i) => noisy.y[i]),
        );
        expectClose(await weighted.predictProba(noisy.X), await dropped.predictProba(noisy.X), tolerance);
      });
    }

    it('toDenseNetwork, when declared, reproduces predictProba (|Δp| <= 1e-12)', async () => {
      const model = await (await make()).fit(noisy.X, noisy.y);
      expect(hasDenseNetwork(model)).toBe(model.capabilities.denseNetwork);
      if (!hasDenseNetwork(model)) return;
      const network = model.toDenseNetwork();
      expect(network.layers.at(-1)?.outputs).toBe(1);
      expectClose(evaluateNetwork(network, noisy.X), await model.predictProba(noisy.X), 1e-12);
    });
  });
}

/** Evaluates a `DenseNetwork` directly from its definition: ReLU between layers, sigmoid at the end. */
export function evaluateNetwork(network: DenseNetwork, X: Matrix): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let a: number[] = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    network.layers.forEach((layer, l) => {
      const next = Array.from(layer.bias);
      for (let j = 0; j < layer.inputs; j++) {
        for (let o = 0; o < layer.outputs; o++) next[o] += a[j] * layer.weights[j * layer.outputs + o];
      }
      a = l < network.layers.length - 1 ? next.map((v) => Math.max(0, v)) : next;
    });
    out[i] = sigmoid(a[0]);
  }
  return out;
}

/** max_i |a_i − b_i| of two equal-length vectors (Infinity when the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function expectClose(actual: Float64Array, expected: Float64Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(tolerance);
}

function mean(a: Float64Array): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}
