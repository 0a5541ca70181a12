import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { applyEncoder, type ColumnBatch, fitEncoder } from '../../data/index.js';
import { LogisticRegression, rocAuc } from '../../models/index.js';
import { type ExplainableModel, pipelineModel } from '../explainable-model.js';
import { permutationImportance } from './permutation-importance.js';

// A fixed model over x1 (numeric), x2 (numeric, unused) and c (categorical): z = 2·x1 + w[c].
const W: Record<string, number> = { a: -1, b: 0.5, c: 1.5 };
const model: ExplainableModel = {
  features: [
    { name: 'x1', kind: 'numeric' },
    { name: 'x2', kind: 'numeric' },
    { name: 'c', kind: 'categorical', categories: ['a', 'b', 'c'] },
  ],
  predictProba: async (batch) => {
    const x1 = batch.columns.x1 as Float64Array;
    const c = batch.columns.c as string[];
    return Float64Array.from({ length: batch.rows }, (_, i) => 1 / (1 + Math.exp(-(2 * x1[i] + W[c[i]]))));
  },
};

function synthetic(n: number, seed: number): { data: ColumnBatch; labels: Uint8Array } {
  const rng = new Rng(seed);
  const x1 = Float64Array.from({ length: n }, () => rng.normal());
  const x2 = Float64Array.from({ length: n }, () => rng.normal());
  const c = Array.from({ length: n }, () => ['a', 'b', 'c'][rng.int(3)]);
  const labels = Uint8Array.from({ length: n }, (_, i) =>
    rng.next() < 1 / (1 + Math.exp(-(2 * x1[i] + W[c[i]]))) ? 1 : 0,
  );
  return { data: { rows: n, columns: { x1, x2, c } }, labels };
}

/**
 * The exact expectation over uniform permutations (hand derivation): row i of a shuffled column holds row
 * k's value with probability 1/n for every k, and accuracy and log-loss are means of per-row terms, so
 * E[score after shuffling j] = (1/n²) Σᵢ Σₖ sᵢ(xᵢ with feature j := x_kj).
 */
async function expectedPermutedScore(
  data: ColumnBatch,
  labels: Uint8Array,
  feature: string,
  metric: 'accuracy' | 'log_loss',
) {
  const n = data.rows;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const col = data.columns[feature];
    const filled = col instanceof Float64Array ? new Float64Array(n).fill(col[k]) : new Array(n).fill(col[k]);
    const p = await model.predictProba({ rows: n, columns: { ...data.columns, [feature]: filled } });
    for (let i = 0; i < n; i++) {
      if (metric === 'accuracy') total += (p[i] >= 0.5 ? 1 : 0) === labels[i] ? 1 : 0;
      else total += labels[i] === 1 ? Math.log(p[i]) : Math.log1p(-p[i]);
    }
  }
  return total / (n * n);
}

describe('permutationImportance', () => {
  const { data, labels } = synthetic(40, 7);

  for (const metric of ['accuracy', 'log_loss'] as const) {
    it(`matches the exact expectation over permutations for ${metric} (within 4 standard errors of 400 repeats)`, async () => {
      const result = await permutationImportance(model, data, labels, { metric, repeats: 400, seed: 3 });
      for (const f of result.features) {
        const expected =
          result.baselineScore - (await expectedPermutedScore(data, labels, f.feature, metric));
        const standardError = f.importanceStd / Math.sqrt(result.repeats);
        expect(Math.abs(f.importanceMean - expected)).toBeLessThanOrEqual(4 * standardError + 1e-12);
      }
    });
  }

  it('gives exactly 0 to a feature the model ignores and ranks the used ones first', async () => {
    const result = await permutationImportance(model, data, labels, {
      metric: 'log_loss',
      repeats: 5,
      seed: 1,
    });
    const x2 = result.features.find((f) => f.feature === 'x2');
    expect(x2?.importances).toEqual([0, 0, 0, 0, 0]);
    expect(x2?.importanceStd).toBe(0);
    expect(result.ranking.at(-1)).toBe('x2');
    expect(result.repeats).toBe(5);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('is bit-identical for the same seed and differs for another seed', async () => {
    const a = await permutationImportance(model, data, labels, { metric: 'roc_auc', seed: 11 });
    const b = await permutationImportance(model, data, labels, { metric: 'roc_auc', seed: 11 });
    const c = await permutationImportance(model, data, labels, { metric: 'roc_auc', seed: 12 });
    expect(b).toEqual(a);
    expect(c.features[0].importances).not.toEqual(a.features[0].importances);
    expect(a.baselineScore).toBe(rocAuc(labels, await model.predictProba(data)));
  });

  it('shuffles a categorical column of a Steward pipeline as one feature (its one-hot columns move together)', async () => {
    const { data: train, labels: y } = synthetic(200, 5);
    const encoder = fitEncoder(train, { numeric: ['x1', 'x2'], categorical: ['c'] });
    const lr = await new LogisticRegression().fit(applyEncoder(encoder, train), y);
    const result = await permutationImportance(pipelineModel(encoder, lr), train, y, { seed: 2 });
    expect(result.features.map((f) => f.feature)).toEqual(['x1', 'x2', 'c']);
    expect(result.ranking[0]).toBe('x1');
  });

  it('rejects bad labels, options and missing columns with clear messages', async () => {
    await expect(permutationImportance(model, data, new Uint8Array(3))).rejects.toThrow(
      /one 0\/1 label per row \(40\)/,
    );
    await expect(permutationImportance(model, data, labels, { repeats: 0 })).rejects.toThrow(
      /'repeats' option of permutationImportance must be an integer >= 1/,
    );
    await expect(
      permutationImportance(model, data, labels, { metric: 'f1' as unknown as 'accuracy' }),
    ).rejects.toThrow(/'metric' option/);
    await expect(
      permutationImportance(model, data, new Uint8Array(40), { metric: 'roc_auc' }),
    ).rejects.toThrow(/needs both classes/);
    const { c: _drop, ...rest } = data.columns;
    await expect(permutationImportance(model, { rows: 40, columns: rest }, labels)).rejects.toThrow(
      /lacks the model's column 'c'/,
    );
  });
});
