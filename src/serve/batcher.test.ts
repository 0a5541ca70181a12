import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../data/index.js';
import { concatBatches, DynamicBatcher } from './batcher.js';
import { HttpError } from './http-errors.js';
import { toyBatch, toyServedModel } from './serve-fixture.test-suite.js';
import type { ServedModel } from './served-model.js';

let model: ServedModel;
beforeAll(async () => {
  model = await toyServedModel();
});
afterAll(() => model.model.dispose());

/** A scorer that records the batch sizes it was called with. */
function recording(m: () => ServedModel) {
  const calls: number[] = [];
  const score = (b: ColumnBatch) => {
    calls.push(b.rows);
    return m().model.predictProbaBatch(b, 'request');
  };
  return { calls, score };
}

/** Requests of 1 to 5 rows, each from its own seed. */
const requests = Array.from({ length: 40 }, (_, i) => toyBatch(1 + (i % 5), 100 + i).batch);

describe('DynamicBatcher', () => {
  it('concatenates numeric and text columns in order', () => {
    const a = { rows: 2, columns: { x: Float64Array.of(1, 2), c: ['a', null] } };
    const b = { rows: 1, columns: { x: Float64Array.of(3), c: ['b'] } };
    const c = concatBatches([a, b]);
    expect(c.rows).toBe(3);
    expect(Array.from(c.columns.x as Float64Array)).toEqual([1, 2, 3]);
    expect(c.columns.c).toEqual(['a', null, 'b']);
  });

  it('answers concurrent requests exactly as unbatched predictProbaBatch (1e-12), in fewer calls', async () => {
    const { calls, score } = recording(() => model);
    const batcher = new DynamicBatcher(score, { maxBatchSize: 16, maxQueueDelayMicros: 2000 });
    const got = await Promise.all(requests.map((r) => batcher.submit(r)));
    // Reference: each request scored on its own through the same ONNX session.
    for (let i = 0; i < requests.length; i++) {
      const want = await model.model.predictProbaBatch(requests[i], 'request');
      expect(got[i].length).toBe(requests[i].rows);
      for (let j = 0; j < want.length; j++) expect(Math.abs(got[i][j] - want[j])).toBeLessThanOrEqual(1e-12);
    }
    const total = requests.reduce((s, r) => s + r.rows, 0);
    expect(calls.reduce((s, n) => s + n, 0)).toBe(total);
    expect(calls.length).toBeLessThan(requests.length);
    // Whole requests only: a batch passes maxBatchSize only when one request alone is larger (none here).
    expect(Math.max(...calls)).toBeLessThanOrEqual(16);
  });

  it('runs one batch at a time', async () => {
    let running = 0;
    let most = 0;
    const batcher = new DynamicBatcher(
      async (b) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        return new Float64Array(b.rows).fill(0.5);
      },
      { maxBatchSize: 4, maxQueueDelayMicros: 0 },
    );
    await Promise.all(requests.slice(0, 12).map((r) => batcher.submit(r)));
    expect(most).toBe(1);
  });

  it('refuses with 429 above maxQueueRows and with 504 after timeoutMs', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const batcher = new DynamicBatcher(
      async (b) => {
        await gate;
        return new Float64Array(b.rows);
      },
      { maxBatchSize: 1, maxQueueDelayMicros: 0, maxQueueRows: 3, timeoutMs: 50 },
    );
    const one = (rows: number) => ({ rows, columns: { x: new Float64Array(rows) } });
    const first = batcher.submit(one(1)).catch((e: unknown) => e); // dispatched at once, held by the gate
    await new Promise((r) => setTimeout(r, 1));
    const queued = batcher.submit(one(2));
    expect(batcher.queueRows).toBe(2);
    const refused = await batcher.submit(one(2)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(429);
    const late = await queued.catch((e: unknown) => e);
    expect((late as HttpError).status).toBe(504);
    expect(batcher.queueRows).toBe(0);
    release();
    expect(await first).toMatchObject({ status: 504 });
  });

  it('scores the requests of a failed batch one by one, so one bad request fails alone', async () => {
    const batcher = new DynamicBatcher(
      async (b) => {
        if ((b.columns.x as Float64Array).includes(-1)) throw new Error('bad row');
        return Float64Array.from(b.columns.x as Float64Array);
      },
      { maxBatchSize: 8, maxQueueDelayMicros: 5000 },
    );
    const make = (v: number) => ({ rows: 1, columns: { x: Float64Array.of(v) } });
    const results = await Promise.allSettled([1, -1, 3].map((v) => batcher.submit(make(v))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(Array.from((results[2] as PromiseFulfilledResult<Float64Array>).value)).toEqual([3]);
  });

  it('close() scores the queue without waiting for the delay, then refuses with 503', async () => {
    const batcher = new DynamicBatcher(async (b) => new Float64Array(b.rows).fill(1), {
      maxQueueDelayMicros: 5_000_000,
      timeoutMs: 10_000,
    });
    const pending = batcher.submit({ rows: 3, columns: { x: new Float64Array(3) } });
    const t0 = performance.now();
    await batcher.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(Array.from(await pending)).toEqual([1, 1, 1]);
    await expect(batcher.submit({ rows: 1, columns: { x: new Float64Array(1) } })).rejects.toMatchObject({
      status: 503,
    });
  });

  it('validates its options', () => {
    const score = async (b: ColumnBatch) => new Float64Array(b.rows);
    expect(() => new DynamicBatcher(score, { maxBatchSize: 0 })).toThrow(/'maxBatchSize'.*>= 1. Got 0/);
    expect(() => new DynamicBatcher(score, { maxQueueDelayMicros: 1.5 })).toThrow(/'maxQueueDelayMicros'/);
  });
});
