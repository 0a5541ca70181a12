// KernelSHAP with threads: 1 and 2 on the BUILT package (dist/, as the CLI tests use it): workers only start
// from built JavaScript (the worker file is dist/explain/shap/coalition-worker.js), never under vitest's
// TypeScript sources. Rebuild with `npx tsc -p tsconfig.build.json` first.
import { describe, expect, it } from 'vitest';
import { applyEncoder, type ColumnBatch, fitEncoder } from '../dist/data/index.js';
import { kernelShap, pipelineModel, takeBatchRows } from '../dist/explain/index.js';
import { drainUnits, maskPlans } from '../dist/explain/shap/coalition-assembly.js';
import { coalitionWorkerFile, scoreUnitsInParallel } from '../dist/explain/shap/coalition-pool.js';
import { LogisticRegression, MLPClassifier } from '../dist/models/index.js';

/** 160 rows: numeric x0..x3 and a 4-level categorical 'colour', labels from a logistic model (a fixed LCG). */
function data(): { batch: ColumnBatch; y: Uint8Array } {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const rows = 160;
  const levels = ['blue', 'green', 'red', 'violet'];
  const numeric = Array.from({ length: 4 }, () => Float64Array.from({ length: rows }, () => 4 * next() - 2));
  const colour = Array.from({ length: rows }, () => levels[Math.floor(4 * next())]);
  const y = Uint8Array.from({ length: rows }, (_, i) => {
    const z =
      numeric[0][i] - 0.5 * numeric[1][i] + numeric[2][i] * numeric[3][i] + (colour[i] === 'red' ? 1 : 0);
    return next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  });
  const columns: Record<string, Float64Array | string[]> = { colour };
  numeric.forEach((c, j) => {
    columns[`x${j}`] = c;
  });
  return { batch: { rows, columns }, y };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

// Expected: threads 2 (this thread and a worker, both scoring by a forward pass over toDenseNetwork()) gives
// the values of threads 1 (the model's own predictProba), to 1e-12: the forward pass may sum in another order
// (for logistic regression it uses the model's own order, so bit for bit); 5 features, all 30 coalitions,
// 40 rows × 12 background rows = 14,400 coalition rows, and the same bits run to run.
describe('kernelShap threads 1 vs 2 (built package)', () => {
  it('finds the built worker file', () => {
    expect(coalitionWorkerFile()).toBeDefined();
  });

  for (const kind of ['lr', 'mlp'] as const) {
    it(`agrees to 1e-12 and is deterministic, ${kind}`, async () => {
      const { batch, y } = data();
      const numeric = ['x0', 'x1', 'x2', 'x3'];
      const encoder = fitEncoder(batch, { numeric, categorical: ['colour'] });
      const X = applyEncoder(encoder, batch);
      const clf =
        kind === 'lr'
          ? await new LogisticRegression({ C: 1 }).fit(X, y)
          : await new MLPClassifier({
              hiddenLayerSizes: [6],
              maxEpochs: 20,
              earlyStopping: false,
              seed: 2,
            }).fit(X, y);
      const model = pipelineModel(encoder, clf);
      const background = takeBatchRows(batch, range(0, 12));
      const rows = takeBatchRows(batch, range(100, 140));
      const one = await kernelShap(model, rows, { background, threads: 1 });
      const two = await kernelShap(model, rows, { background, threads: 2 });
      const again = await kernelShap(model, rows, { background, threads: 2 });
      let worst = 0;
      for (let k = 0; k < one.values.length; k++)
        worst = Math.max(worst, Math.abs(one.values[k] - two.values[k]));
      expect(worst).toBeLessThan(1e-12);
      if (kind === 'lr') expect(worst).toBe(0);
      expect(Math.abs(one.baseValue - two.baseValue)).toBe(0); // f(b) is scored by predictProba either way
      expect(Buffer.from(again.values.buffer).equals(Buffer.from(two.values.buffer))).toBe(true);
      expect(two.additivityError).toBeLessThan(1e-12);
    });
  }

  // Expected: the units scored by this thread alone (drainUnits with a fresh counter). Each unit's value depends
  // only on the unit, so the split between the two threads cannot change a bit. This thread waits until the
  // worker is ready (waitForWorker), so both claim chunks of 64 of the 4,000 units.
  it('scores every unit exactly as one thread does, the worker taking part', async () => {
    const { batch, y } = data();
    const encoder = fitEncoder(batch, { numeric: ['x0', 'x1', 'x2', 'x3'], categorical: ['colour'] });
    const X = applyEncoder(encoder, batch);
    const network = (await new LogisticRegression({ C: 1 }).fit(X, y)).toDenseNetwork();
    const blocks = [[0], [1], [2], [3], [4, 5, 6, 7]].map((b) => Int32Array.from(b));
    const masks = range(0, 25).map((bits) => Uint8Array.from({ length: 5 }, (_, j) => (bits >> j) & 1));
    const B = X.data.slice(0, 50 * X.cols);
    const units = Int32Array.from({ length: 4000 }, (_, u) => u);
    const job = {
      X: X.data,
      B,
      width: X.cols,
      nm: masks.length,
      plans: maskPlans(blocks, masks),
      units,
      network,
    };
    const alone = new Float64Array(units.length);
    drainUnits(job, new Int32Array(1), alone, 64);
    const url = coalitionWorkerFile();
    if (url === undefined) throw new Error('build dist first: npx tsc -p tsconfig.build.json');
    const both = await scoreUnitsInParallel(url, job, true);
    expect(both.workerUnits).toBeGreaterThan(0);
    expect(both.workerUnits).toBeLessThan(units.length);
    expect(Buffer.from(both.means.buffer).equals(Buffer.from(alone.buffer))).toBe(true);
  });

  it("rejects a 'threads' option other than 1 or 2", async () => {
    const { batch, y } = data();
    const encoder = fitEncoder(batch, { numeric: ['x0', 'x1', 'x2', 'x3'], categorical: ['colour'] });
    const lr = await new LogisticRegression({ C: 1 }).fit(applyEncoder(encoder, batch), y);
    const background = takeBatchRows(batch, range(0, 4));
    await expect(
      kernelShap(pipelineModel(encoder, lr), takeBatchRows(batch, [5]), { background, threads: 3 as 1 }),
    ).rejects.toThrow("The 'threads' option of kernelShap must be 1 or 2. Got 3 instead.");
  });
});
