import { describe, expect, it } from 'vitest';
import { type Matrix, matrix, Rng } from '../core/index.js';
import { evaluateNetwork, maxAbsDiff } from './conformance.test-suite.js';
import { MLPClassifier, type MLPClassifierOptions } from './mlp-classifier.js';

/** XOR of the signs of two features plus noise columns: not linearly separable. */
function xor(rows: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, 4);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 4; j++) X.data[i * 4 + j] = 2 * rng.next() - 1;
    y[i] = X.data[i * 4] * X.data[i * 4 + 1] > 0 ? 1 : 0;
  }
  return { X, y };
}

function bytes(model: MLPClassifier): Buffer[] {
  return model
    .toDenseNetwork()
    .layers.flatMap((l) => [Buffer.from(l.weights.buffer), Buffer.from(l.bias.buffer)]);
}

const data = xor(600, 7);
const quick: MLPClassifierOptions = {
  hiddenLayerSizes: [16],
  learningRate: 0.01,
  batchSize: 64,
  maxEpochs: 60,
};

describe('MLPClassifier', () => {
  it('learns XOR, which no linear model can (training accuracy > 0.95)', async () => {
    const model = await new MLPClassifier({ ...quick, maxEpochs: 200, earlyStopping: false }).fit(
      data.X,
      data.y,
    );
    const predicted = await model.predict(data.X);
    const accuracy = predicted.reduce((n, p, i) => n + (p === data.y[i] ? 1 : 0), 0) / data.y.length;
    expect(accuracy).toBeGreaterThan(0.95);
  });

  it('gives bit-identical weights for the same seed and data, different ones for another seed', async () => {
    const a = await new MLPClassifier({ ...quick, seed: 11 }).fit(data.X, data.y);
    const b = await new MLPClassifier({ ...quick, seed: 11 }).fit(data.X, data.y);
    const c = await new MLPClassifier({ ...quick, seed: 12 }).fit(data.X, data.y);
    expect(bytes(b)).toEqual(bytes(a));
    expect(bytes(c)).not.toEqual(bytes(a));
  });

  it('gives the same weights with 2 gradient shards as with 1 up to summation order (|Δ| <= 1e-9)', async () => {
    const options = { ...quick, maxEpochs: 5, earlyStopping: false };
    const one = (await new MLPClassifier(options).fit(data.X, data.y)).toDenseNetwork();
    const two = (await new MLPClassifier({ ...options, threads: 2 }).fit(data.X, data.y)).toDenseNetwork();
    one.layers.forEach((layer, l) => {
      expect(maxAbsDiff(two.layers[l].weights, layer.weights)).toBeLessThanOrEqual(1e-9);
      expect(maxAbsDiff(two.layers[l].bias, layer.bias)).toBeLessThanOrEqual(1e-9);
    });
  });

  it('exports layers [inputs][outputs] with ReLU between them that reproduce predictProba', async () => {
    const model = await new MLPClassifier({ ...quick, hiddenLayerSizes: [5, 3], maxEpochs: 3 }).fit(
      data.X,
      data.y,
    );
    const network = model.toDenseNetwork();
    expect(network.layers.map((l) => [l.inputs, l.outputs, l.weights.length, l.bias.length])).toEqual([
      [4, 5, 20, 5],
      [5, 3, 15, 3],
      [3, 1, 3, 1],
    ]);
    expect(evaluateNetwork(network, data.X)).toEqual(await model.predictProba(data.X));
  });

  it('stops early on a plateau and records one loss per epoch', async () => {
    const model = await new MLPClassifier({ ...quick, maxEpochs: 500, nIterNoChange: 3, tol: 1e-2 }).fit(
      data.X,
      data.y,
    );
    expect(model.nIter).toBeLessThan(500);
    expect(model.lossCurve).toHaveLength(model.nIter);
    expect(model.validationLossCurve).toHaveLength(model.nIter);
  });

  it('validates options in fit with actionable messages', async () => {
    await expect(new MLPClassifier({ hiddenLayerSizes: [0] }).fit(data.X, data.y)).rejects.toThrow(
      "The 'hiddenLayerSizes' option of MLPClassifier must be a non-empty array of integers >= 1. Got [0] instead.",
    );
    await expect(new MLPClassifier({ learningRate: -1 }).fit(data.X, data.y)).rejects.toThrow(
      "The 'learningRate' option of MLPClassifier must be > 0. Got -1 instead.",
    );
    await expect(new MLPClassifier({ validationFraction: 1 }).fit(data.X, data.y)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
    const tiny = matrix(3, 1, Float64Array.of(0, 1, 2));
    await expect(new MLPClassifier().fit(tiny, Uint8Array.of(0, 1, 1))).rejects.toThrow(/validation/);
  });

  it('checks the column count at predict time', async () => {
    const model = await new MLPClassifier({ ...quick, maxEpochs: 1 }).fit(data.X, data.y);
    await expect(model.predictProba(matrix(1, 3))).rejects.toMatchObject({ code: 'DATA_VALIDATION' });
  });
});
