import { describe, expect, it } from 'vitest';
import { type BinaryClassifier, type Matrix, matrix, Rng, sigmoid } from '../../core/index.js';
import { MLPClassifier } from '../../models/index.js';
import { likelihoodRatioAttack } from './likelihood-ratio-attack.js';

/** Seeded rows: 8 standard-normal features, y = 1[x₀ + 1.5·noise > 0]. */
function rows(n: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const X = matrix(n, 8);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 8; j++) X.data[i * 8 + j] = rng.normal();
    y[i] = X.data[i * 8] + 1.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { X, y };
}

/** An overfitting MLP: no early stopping, no penalty, 200 epochs. */
const overfit = (X: Matrix, y: Uint8Array, seed: number) =>
  new MLPClassifier({
    hiddenLayerSizes: [32],
    maxEpochs: 200,
    earlyStopping: false,
    nIterNoChange: 1000,
    alpha: 0,
    learningRate: 0.01,
    batchSize: 40,
    seed,
  }).fit(X, y);

/** A pool of 160 rows and a target MLP trained on a seeded random half of it. */
async function setup() {
  const data = rows(160, 21);
  const rng = new Rng(22);
  const isMember = new Uint8Array(160);
  for (const i of rng.permutation(160).subarray(0, 80)) isMember[i] = 1;
  const members = Array.from(isMember.keys()).filter((i) => isMember[i] === 1);
  const X = matrix(80, 8);
  members.forEach((i, k) => {
    X.data.set(data.X.data.subarray(i * 8, i * 8 + 8), k * 8);
  });
  const targetModel = await overfit(
    X,
    Uint8Array.from(members, (i) => data.y[i]),
    99,
  );
  return { data, isMember, targetModel };
}

/**
 * A fake model for exact checks: row i (feature 0 holds i) gets φ = 2 + 0.1·k + 0.01·i when the shadow
 * trained on it, else −1 + 0.2·k − 0.01·i; the target model's φ is 1 + 0.02·i.
 */
function fakeModel(phiOf: (i: number) => number): BinaryClassifier {
  return {
    capabilities: { sampleWeight: false, predictProba: true, perSampleGradients: false, denseNetwork: false },
    fit: async function (this: BinaryClassifier) {
      return this;
    } as BinaryClassifier['fit'],
    predictProba: async (X: Matrix) =>
      Float64Array.from({ length: X.rows }, (_, r) => sigmoid(phiOf(X.data[r]))),
    predict: async (X: Matrix) => new Uint8Array(X.rows),
  };
}

describe('likelihoodRatioAttack', () => {
  it('computes the online and offline scores of Carlini et al. exactly from the IN/OUT split (1e-9)', async () => {
    const n = 12;
    const K = 6;
    const data = {
      X: matrix(
        n,
        1,
        Float64Array.from({ length: n }, (_, i) => i),
      ),
      y: new Uint8Array(n).fill(1),
    };
    const isMember = Uint8Array.from({ length: n }, (_, i) => i % 2);
    const trainedOn: Set<number>[] = [];
    const trainShadow = async (X: Matrix) => {
      const k = trainedOn.length;
      const rowsIn = new Set(Array.from(X.data));
      trainedOn.push(rowsIn);
      return fakeModel((i) => (rowsIn.has(i) ? 2 + 0.1 * k + 0.01 * i : -1 + 0.2 * k - 0.01 * i));
    };
    const targetModel = fakeModel((i) => 1 + 0.02 * i);
    const common = { data, isMember, targetModel, shadowModels: K, seed: 4 };
    const perExample = await likelihoodRatioAttack({ ...common, trainShadow, variance: 'per-example' });
    const shadowSets = trainedOn.splice(0);
    const offline = await likelihoodRatioAttack({
      ...common,
      trainShadow,
      variant: 'offline',
      variance: 'global',
    });
    // The same seed gives the same IN/OUT assignment.
    expect(trainedOn.map((s) => [...s])).toEqual(shadowSets.map((s) => [...s]));
    // Hand computation of the estimates from the recorded assignment.
    const stats = (values: number[]) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
      return { mean, ss, dof: values.length - 1 };
    };
    const logN = (x: number, mu: number, s: number) =>
      -0.5 * Math.log(2 * Math.PI * s * s) - (x - mu) ** 2 / (2 * s * s);
    let outSs = 0;
    let outDof = 0;
    const outStats: { mean: number }[] = [];
    for (let i = 0; i < n; i++) {
      const ins = shadowSets.flatMap((s, k) => (s.has(i) ? [2 + 0.1 * k + 0.01 * i] : []));
      const outs = shadowSets.flatMap((s, k) => (s.has(i) ? [] : [-1 + 0.2 * k - 0.01 * i]));
      expect(ins.length).toBe(K / 2);
      const a = stats(ins);
      const b = stats(outs);
      const phi = 1 + 0.02 * i;
      const expected =
        logN(phi, a.mean, Math.sqrt(a.ss / a.dof)) - logN(phi, b.mean, Math.sqrt(b.ss / b.dof));
      expect(Math.abs(perExample.scores[i] - expected)).toBeLessThan(1e-9);
      outSs += b.ss;
      outDof += b.dof;
      outStats.push(b);
    }
    const pooled = Math.sqrt(outSs / outDof);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(offline.scores[i] - (1 + 0.02 * i - outStats[i].mean) / pooled)).toBeLessThan(1e-9);
    }
    expect(perExample.audit.attack).toBe('lira-online');
    expect(offline.audit.attack).toBe('lira-offline');
  });

  it('finds the members of an overfitting MLP with K = 4 shadow models, bit-identical on rerun', async () => {
    const { data, isMember, targetModel } = await setup();
    const run = (seed: number) =>
      likelihoodRatioAttack({ targetModel, data, isMember, trainShadow: overfit, shadowModels: 4, seed });
    const first = await run(5);
    const again = await run(5);
    expect(first.audit.auc).toBeGreaterThan(0.6);
    expect(Array.from(again.scores)).toEqual(Array.from(first.scores));
    expect(again.audit).toEqual(first.audit);
    const other = await run(6);
    expect(Array.from(other.scores)).not.toEqual(Array.from(first.scores));
  });

  it('rejects fewer than 4 shadow models, an unknown variant and mismatched labels', async () => {
    const data = rows(8, 1);
    const targetModel = fakeModel(() => 0);
    const trainShadow = async () => fakeModel(() => 0);
    const base = { data, targetModel, trainShadow, isMember: new Uint8Array(8) };
    await expect(likelihoodRatioAttack({ ...base, shadowModels: 3 })).rejects.toThrow(
      /'shadowModels' option of likelihoodRatioAttack must be an integer >= 4/,
    );
    await expect(likelihoodRatioAttack({ ...base, variant: 'both' as 'online' })).rejects.toThrow(
      /'variant'/,
    );
    await expect(likelihoodRatioAttack({ ...base, isMember: new Uint8Array(3) })).rejects.toThrow(
      /'isMember'/,
    );
  });
});
