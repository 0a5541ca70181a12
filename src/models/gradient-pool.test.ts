import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type Matrix, matrix, Rng } from '../core/index.js';
import { maxAbsDiff } from './conformance.test-suite.js';
import { createKernel, type GradientTask, parameterCount } from './gradient-kernels.js';
import { GradientPool } from './gradient-pool.js';
import { toCsr } from './sparse-rows.js';

type ModelsModule = typeof import('./index.js');

function problem(
  rows: number,
  cols: number,
  seed: number,
): { X: Matrix; y: Uint8Array; weights: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  // Every third value is 0 so the kernels' sparse skips are exercised.
  for (let k = 0; k < X.data.length; k++) X.data[k] = k % 3 === 0 ? 0 : rng.normal();
  const y = Uint8Array.from({ length: rows }, () => (rng.next() < 0.5 ? 1 : 0));
  const weights = Float64Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + rng.next()));
  return { X, y, weights };
}

const tasks: GradientTask[] = [
  { kind: 'logistic', fitIntercept: true },
  { kind: 'logistic', fitIntercept: false },
  { kind: 'mlp', sizes: [5, 4, 3, 1] },
];

describe('gradient kernels', () => {
  for (const task of tasks) {
    it(`${JSON.stringify(task)}: gradient matches central differences (relative 1e-6)`, () => {
      const { X, y, weights } = problem(40, 5, 1);
      const rng = new Rng(2);
      const params = Float64Array.from({ length: parameterCount(task, 5) }, () => 0.5 * rng.normal());
      const order = Uint32Array.from({ length: 40 }, (_, i) => i);
      const kernel = createKernel(task, { X: X.data, rows: 40, cols: 5, y, weights, order, params });
      const grad = new Float64Array(params.length);
      const scratch = new Float64Array(params.length);
      kernel.evaluate(0, 40, grad);
      const h = 1e-6;
      for (let j = 0; j < params.length; j++) {
        const saved = params[j];
        params[j] = saved + h;
        const up = kernel.evaluate(0, 40, scratch);
        params[j] = saved - h;
        const down = kernel.evaluate(0, 40, scratch);
        params[j] = saved;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(grad[j] - numeric)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    });
  }
});

describe('GradientPool', () => {
  it('sums two shards to the single-shard loss and gradient (|Δ| <= 1e-12)', async () => {
    const data = problem(101, 5, 3);
    for (const task of tasks) {
      const one = await GradientPool.open(task, data, 1);
      const two = await GradientPool.open(task, data, 2);
      expect(two.usesWorkers).toBe(false); // TypeScript sources: shards run in process.
      const rng = new Rng(4);
      const params = Float64Array.from(one.params, () => rng.normal());
      one.params.set(params);
      two.params.set(params);
      const g1 = new Float64Array(params.length);
      const g2 = new Float64Array(params.length);
      const l1 = await one.evaluate(3, 99, g1);
      const l2 = await two.evaluate(3, 99, g2);
      expect(Math.abs(l2 - l1)).toBeLessThanOrEqual(1e-12 * Math.abs(l1));
      expect(maxAbsDiff(g2, g1)).toBeLessThanOrEqual(1e-12 * Math.max(1, ...g1.map(Math.abs)));
      await one.close();
      await two.close();
    }
  });

  it('refuses threads other than 1 or 2', async () => {
    await expect(GradientPool.open(tasks[0], problem(4, 5, 1), 3)).rejects.toThrow(
      "The 'threads' option of GradientPool must be 1 or 2. Got 3 instead.",
    );
  });
});

// Real worker threads need the built JavaScript (`npm test` runs `npm run build` before vitest).
const distIndex = resolve(process.cwd(), 'dist/models/index.js');

describe('GradientPool with worker threads (dist/)', () => {
  const load = async (): Promise<ModelsModule> => {
    if (!existsSync(distIndex))
      throw new Error(`${distIndex} is missing: run 'npm run build' first (npm test does).`);
    return (await import(pathToFileURL(distIndex).href)) as ModelsModule;
  };

  it('runs the second shard on a worker and gives bit-identical results to in-process shards', async () => {
    const dist = await load();
    const data = problem(2001, 5, 5);
    for (const task of tasks) {
      const inProcess = await GradientPool.open(task, data, 2);
      const workers = await dist.GradientPool.open(task, data, 2);
      expect(workers.usesWorkers).toBe(true);
      const params = Float64Array.from(inProcess.params, (_, j) => Math.sin(j + 1));
      inProcess.params.set(params);
      workers.params.set(params);
      for (const [from, to] of [
        [0, 2001],
        [17, 900],
      ]) {
        const g1 = new Float64Array(params.length);
        const g2 = new Float64Array(params.length);
        expect(await workers.evaluate(from, to, g2)).toBe(await inProcess.evaluate(from, to, g1));
        expect(g2).toEqual(g1);
      }
      await workers.close();
      await inProcess.close();
    }
  });

  it('shares CSR rows with the worker and gives the bits of in-process dense shards', async () => {
    const dist = await load();
    const data = problem(2001, 5, 7);
    for (let k = 0; k < data.X.data.length; k++) if (k % 5 > 1) data.X.data[k] = 0;
    const csr = toCsr(data.X);
    for (const task of tasks) {
      const dense = await GradientPool.open(task, data, 2);
      const workers = await dist.GradientPool.open(task, { ...data, csr }, 2);
      expect(workers.usesWorkers).toBe(true);
      const params = Float64Array.from(dense.params, (_, j) => Math.cos(j + 1));
      dense.params.set(params);
      workers.params.set(params);
      const g1 = new Float64Array(params.length);
      const g2 = new Float64Array(params.length);
      expect(await workers.evaluate(5, 1990, g2)).toBe(await dense.evaluate(5, 1990, g1));
      expect(g2).toEqual(g1);
      await workers.close();
      await dense.close();
    }
  });

  it('fits sparse LogisticRegression and MLPClassifier on workers as dense ones in process (|Δ| <= 1e-9)', async () => {
    const dist = await load();
    const { X, y } = problem(3000, 5, 8);
    for (let k = 0; k < X.data.length; k++) if (k % 4 > 0) X.data[k] = 0;
    const lr1 = await new dist.LogisticRegression({ C: 10, sparse: false }).fit(X, y);
    const lr2 = await new dist.LogisticRegression({ C: 10, threads: 2, sparse: true }).fit(X, y);
    expect(Math.abs(lr2.intercept - lr1.intercept)).toBeLessThanOrEqual(1e-9);
    expect(maxAbsDiff(lr2.coef!, lr1.coef!)).toBeLessThanOrEqual(1e-9);
    const options = { hiddenLayerSizes: [8], maxEpochs: 3, earlyStopping: false, threads: 2 };
    const mlp1 = (await new dist.MLPClassifier({ ...options, sparse: false }).fit(X, y)).toDenseNetwork();
    const mlp2 = (await new dist.MLPClassifier({ ...options, sparse: true }).fit(X, y)).toDenseNetwork();
    mlp1.layers.forEach((layer, l) => {
      expect(maxAbsDiff(mlp2.layers[l].weights, layer.weights)).toBeLessThanOrEqual(1e-9);
    });
  });

  it('fits LogisticRegression and MLPClassifier with threads: 2 as with threads: 1 (|Δ| <= 1e-9)', async () => {
    const dist = await load();
    const { X, y } = problem(3000, 5, 6);
    const lr1 = await new dist.LogisticRegression({ C: 10 }).fit(X, y);
    const lr2 = await new dist.LogisticRegression({ C: 10, threads: 2 }).fit(X, y);
    expect(Math.abs(lr2.intercept - lr1.intercept)).toBeLessThanOrEqual(1e-9);
    expect(maxAbsDiff(lr2.coef!, lr1.coef!)).toBeLessThanOrEqual(1e-9);
    const options = { hiddenLayerSizes: [8], maxEpochs: 3, earlyStopping: false };
    const mlp1 = (await new dist.MLPClassifier(options).fit(X, y)).toDenseNetwork();
    const mlp2 = (await new dist.MLPClassifier({ ...options, threads: 2 }).fit(X, y)).toDenseNetwork();
    mlp1.layers.forEach((layer, l) => {
      expect(maxAbsDiff(mlp2.layers[l].weights, layer.weights)).toBeLessThanOrEqual(1e-9);
    });
  });

  it('leaves no handles behind: a process that fits with threads: 2 exits by itself', async () => {
    await load();
    const script = `
      import { LogisticRegression, MLPClassifier } from ${JSON.stringify(pathToFileURL(distIndex).href)};
      const X = { rows: 200, cols: 2, data: Float64Array.from({ length: 400 }, (_, k) => Math.sin(k * 1.7)) };
      const y = Uint8Array.from({ length: 200 }, (_, i) => (X.data[2 * i] > 0 ? 1 : 0));
      await new LogisticRegression({ threads: 2 }).fit(X, y);
      await new MLPClassifier({ threads: 2, maxEpochs: 2 }).fit(X, y);
      console.log('fitted');`;
    const dir = await mkdtemp(join(tmpdir(), 'steward-pool-'));
    try {
      const file = join(dir, 'fit.mjs');
      await writeFile(file, script);
      const run = promisify(execFile);
      const env = { ...process.env, NODE_OPTIONS: '' };
      const { stdout } = await run(process.execPath, [file], { timeout: 30_000, env });
      expect(stdout.trim()).toBe('fitted');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
