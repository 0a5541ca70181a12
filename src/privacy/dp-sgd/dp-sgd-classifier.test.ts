import { describe, expect, it } from 'vitest';
import { InvalidParameterError, type Matrix, matrix, Rng, sigmoid } from '../../core/index.js';
import { applyEncoder, fitEncoder, openDataset, presetSpec } from '../../data/index.js';
import { LogisticRegression } from '../../models/index.js';
import { epsilonForSgm } from '../accountant/index.js';
import { DpSgdClassifier } from './dp-sgd-classifier.js';
import { type DpSgdClassifierOptions, defaultDpSgdDelta } from './dp-sgd-options.js';
import { dpSgdPoissonLot, seededDpSgdRandom } from './dp-sgd-random.js';

/** Two Gaussian blobs in `cols` features, labels alternating (as models' conformance blobs). */
function blobs(rows: number, cols: number, shift: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 2;
    for (let j = 0; j < cols; j++) X.data[i * cols + j] = (y[i] === 1 ? shift : -shift) + rng.normal();
  }
  return { X, y };
}

const seeded: DpSgdClassifierOptions = { noiseMultiplier: 1, batchSize: 20, epochs: 3, secureNoise: false };
const data = blobs(200, 3, 1, 1);

describe('DpSgdClassifier', () => {
  it('with σ = 0 and C huge is plain minibatch SGD on Poisson lots (hand loop; relative 1e-12)', async () => {
    const [n, cols, L, lr, epochs, seed] = [200, 3, 20, 0.5, 2, 4];
    const model = await new DpSgdClassifier({
      noiseMultiplier: 0,
      maxGradNorm: 1e300,
      optimizer: 'sgd',
      learningRate: lr,
      batchSize: L,
      epochs,
      seed,
      secureNoise: false,
    }).fit(data.X, data.y);
    // Replay: the lots come from the second fork of Rng(seed) (documented on DpSgdClassifier).
    const rng = new Rng(seed);
    rng.fork();
    const random = seededDpSgdRandom(rng.fork());
    const w = new Float64Array(cols + 1);
    const lot = new Uint32Array(n);
    for (let t = 0; t < epochs * Math.round(n / L); t++) {
      const count = dpSgdPoissonLot(random, n, L / n, lot);
      const g = new Float64Array(cols + 1);
      for (let k = 0; k < count; k++) {
        const i = lot[k];
        let z = w[cols];
        for (let j = 0; j < cols; j++) z += data.X.data[i * cols + j] * w[j];
        const r = sigmoid(z) - data.y[i];
        for (let j = 0; j < cols; j++) g[j] += r * data.X.data[i * cols + j];
        g[cols] += r;
      }
      for (let j = 0; j <= cols; j++) w[j] -= lr * (g[j] / L);
    }
    const fitted = model.parameters();
    for (let j = 0; j <= cols; j++)
      expect(Math.abs(fitted[j] - w[j])).toBeLessThanOrEqual(1e-12 * Math.abs(w[j]));
    expect(model.epsilon).toBe(Number.POSITIVE_INFINITY);
  });

  it('reports after each epoch the ε that epsilonForSgm gives for the steps taken (relative 1e-12)', async () => {
    const seen: number[] = [];
    const model = await new DpSgdClassifier({ ...seeded, noiseMultiplier: 1.1, delta: 1e-4 }).fit(
      data.X,
      data.y,
      { onEpoch: (e) => seen.push(e.epsilon) },
    );
    expect(model.history).toHaveLength(3);
    model.history.forEach((e, k) => {
      expect(e.steps).toBe((k + 1) * 10);
      const { epsilon } = epsilonForSgm({
        noiseMultiplier: 1.1,
        sampleRate: 0.1,
        steps: e.steps,
        delta: 1e-4,
      });
      expect(Math.abs(e.epsilon - epsilon)).toBeLessThanOrEqual(1e-12 * epsilon);
      expect(seen[k]).toBe(e.epsilon);
    });
  });

  it('picks σ from targetEpsilon so that the final ε is at most the target', async () => {
    for (const target of [0.5, 2, 8]) {
      const model = await new DpSgdClassifier({
        ...seeded,
        noiseMultiplier: undefined,
        targetEpsilon: target,
      }).fit(data.X, data.y);
      // Opacus's search stops once target − ε(σ) <= 0.01 with ε(σ) <= target.
      expect(model.epsilon).toBeLessThanOrEqual(target);
      expect(model.epsilon).toBeGreaterThanOrEqual(target - 0.01);
    }
  });

  it('is bit-identical for one seed with secureNoise false, and differs with secure noise', async () => {
    const mlp = { ...seeded, hiddenLayerSizes: [4] };
    const a = await new DpSgdClassifier(mlp).fit(data.X, data.y);
    const b = await new DpSgdClassifier(mlp).fit(data.X, data.y);
    expect(b.parameters()).toEqual(a.parameters());
    const c = await new DpSgdClassifier({ ...mlp, secureNoise: true }).fit(data.X, data.y);
    expect(c.parameters()).not.toEqual(a.parameters());
  });

  it('learns a separable problem privately and its dense network reproduces predictProba (1e-12)', async () => {
    const easy = blobs(400, 3, 2, 2);
    for (const hidden of [[], [8]]) {
      const model = await new DpSgdClassifier({ ...seeded, hiddenLayerSizes: hidden, epochs: 5 }).fit(
        easy.X,
        easy.y,
      );
      const p = await model.predictProba(easy.X);
      const pred = await model.predict(easy.X);
      expect(pred.reduce((s, v, i) => s + (v === easy.y[i] ? 1 : 0), 0) / easy.y.length).toBeGreaterThan(0.9);
      const net = model.toDenseNetwork();
      expect(net.layers.map((l) => [l.inputs, l.outputs])).toEqual(
        hidden.length === 0
          ? [[3, 1]]
          : [
              [3, 8],
              [8, 1],
            ],
      );
      for (let i = 0; i < 20; i++) {
        let a = Float64Array.from(easy.X.data.subarray(i * 3, i * 3 + 3));
        net.layers.forEach((layer, l) => {
          const out = Float64Array.from(layer.bias);
          for (let j = 0; j < layer.inputs; j++)
            for (let o = 0; o < layer.outputs; o++) out[o] += a[j] * layer.weights[j * layer.outputs + o];
          a = l + 1 < net.layers.length ? out.map((v) => Math.max(0, v)) : out;
        });
        expect(Math.abs(sigmoid(a[0]) - p[i])).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('rejects bad options, sample weights and use before fit with errors naming the option and range', async () => {
    const fitWith = (o: DpSgdClassifierOptions) => new DpSgdClassifier(o).fit(data.X, data.y);
    const cases: [DpSgdClassifierOptions, RegExp][] = [
      [{ noiseMultiplier: 1, maxGradNorm: 0 }, /'maxGradNorm' option of DpSgdClassifier must be > 0\. Got 0/],
      [{ noiseMultiplier: -1 }, /'noiseMultiplier' option of DpSgdClassifier must be >= 0\. Got -1/],
      [{ targetEpsilon: 0 }, /'targetEpsilon' option of DpSgdClassifier must be > 0\. Got 0/],
      [{ noiseMultiplier: 1, delta: 1 }, /'delta' option of DpSgdClassifier must be in \(0, 1\)\. Got 1/],
      [{ noiseMultiplier: 1, delta: 0 }, /'delta' option .* in \(0, 1\)\. Got 0/],
      [
        { noiseMultiplier: 1, batchSize: 201 },
        /'batchSize' option .*sample rate batchSize \/ n is in \(0, 1\]/,
      ],
      [{ noiseMultiplier: 1, targetEpsilon: 1 }, /either the 'noiseMultiplier' or the 'targetEpsilon'/],
      [{}, /needs the 'noiseMultiplier' option/],
      [
        { noiseMultiplier: 1, hiddenLayerSizes: 32 as unknown as number[] },
        /'hiddenLayerSizes' option .* Got 32/,
      ],
      [
        { noiseMultiplier: 1, optimizer: 'sgdm' as 'sgd' },
        /'optimizer' option .* 'sgd' or 'adam'\. Got 'sgdm'/,
      ],
    ];
    for (const [o, message] of cases) {
      const error = await fitWith(o).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect((error as Error).message).toMatch(message);
    }
    const weighted = new DpSgdClassifier(seeded).fit(data.X, data.y, { sampleWeight: new Float64Array(200) });
    await expect(weighted).rejects.toThrow(/'sampleWeight' option of DpSgdClassifier.fit is not supported/);
    await expect(new DpSgdClassifier(seeded).predictProba(data.X)).rejects.toMatchObject({
      code: 'NOT_FITTED',
    });
  });

  it('defaults δ to the largest power of ten below 1/n', () => {
    expect([defaultDpSgdDelta(750), defaultDpSgdDelta(1000), defaultDpSgdDelta(36_631)]).toEqual([
      1e-3, 1e-4, 1e-5,
    ]);
  });

  it('reaches a sensible held-out accuracy on German credit at ε = 8', async () => {
    const ds = await openDataset(presetSpec('german'));
    try {
      await ds.split({ testFraction: 0.25, seed: 0 });
      const { numeric, categorical } = ds.featureColumns();
      const columns = [...numeric, ...categorical];
      const train = await ds.read(columns, 'train');
      const encoder = fitEncoder(train, { numeric, categorical, source: ds.source });
      const Xtrain = applyEncoder(encoder, train, ds.source);
      const Xtest = applyEncoder(encoder, await ds.read(columns, 'test'), ds.source);
      const ytrain = await ds.labels('train');
      const ytest = await ds.labels('test');
      const model = await new DpSgdClassifier({
        targetEpsilon: 8,
        batchSize: 64,
        epochs: 20,
        seed: 1,
        secureNoise: false,
      }).fit(Xtrain, ytrain);
      expect(model.epsilon).toBeLessThanOrEqual(8);
      const pred = await model.predict(Xtest);
      const accuracy = pred.reduce((s, v, i) => s + (v === ytest[i] ? 1 : 0), 0) / ytest.length;
      const plain = await new LogisticRegression().fit(Xtrain, ytrain);
      const plainPred = await plain.predict(Xtest);
      const plainAccuracy = plainPred.reduce((s, v, i) => s + (v === ytest[i] ? 1 : 0), 0) / ytest.length;
      // The majority class is 70% of the test rows and non-private L-BFGS reaches 0.772 on this split;
      // seeds 0-4 of this configuration gave 0.748-0.776 (measured once, before writing the bound).
      expect(accuracy).toBeGreaterThan(0.72);
      expect(accuracy).toBeGreaterThan(plainAccuracy - 0.05);
    } finally {
      ds.close();
    }
  });
});
