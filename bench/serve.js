// Throughput of `steward serve` with dynamic batching: trains an Adult model (`steward train --dataset
// adult`) into a temp file, serves it in-process on port 0 without keys (--insecure-dev semantics:
// createServeApp + listen), drives v2 infer with N concurrent keep-alive clients (global fetch) for a
// fixed time, and prints requests/s, p50/p99 latency, mean batch size and the queue/compute split from
// the server's own metrics; then raw batched ONNX throughput (rows/s) of the same model for comparison.
// Clients and server share this process (and its cores), so the served figures are a lower bound.
// Run `npm run build` first:
//   node bench/serve.js [--seconds 10] [--clients 32] [--rows 1] [--max-batch 64] [--max-delay-us 500]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../dist/core/index.js';
import { createServeApp, listen, loadServedModel } from '../dist/serve/index.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SECONDS = arg('seconds', 10);
const CLIENTS = arg('clients', 32);
const ROWS = arg('rows', 1);
const MAX_BATCH = arg('max-batch', 64);
const MAX_DELAY_US = arg('max-delay-us', 500);

/** Random valid rows for the model's encoder: numbers around each column's mean, known categories. */
function rowsFor(encoder, rows, seed) {
  const rng = new Rng(seed);
  const columns = {};
  for (const f of encoder.features) {
    columns[f.column] =
      f.kind === 'numeric'
        ? Float64Array.from({ length: rows }, () => f.mean + f.scale * rng.normal())
        : Array.from({ length: rows }, () => f.categories[rng.int(f.categories.length)]);
  }
  return { rows, columns };
}

/** A v2 infer body of `batch`. */
function inferBody(encoder, batch) {
  return JSON.stringify({
    inputs: encoder.features.map((f) => ({
      name: f.column,
      shape: [batch.rows],
      datatype: f.kind === 'numeric' ? 'FP64' : 'BYTES',
      data: Array.from(batch.columns[f.column]),
    })),
  });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const dir = mkdtempSync(join(tmpdir(), 'steward-bench-serve-'));
try {
  const file = join(dir, 'adult.onnx');
  const trained = spawnSync(
    process.execPath,
    ['bin/steward.js', 'train', '--dataset', 'adult', '--out', file],
    {
      encoding: 'utf8',
    },
  );
  if (trained.status !== 0) throw new Error(`steward train failed: ${trained.stderr}`);
  const model = await loadServedModel(file, { name: 'adult' });
  const encoder = model.encoder;
  const bodies = Array.from({ length: 256 }, (_, i) => inferBody(encoder, rowsFor(encoder, ROWS, i)));

  const app = createServeApp({
    models: [model],
    keys: undefined,
    batching: { maxBatchSize: MAX_BATCH, maxQueueDelayMicros: MAX_DELAY_US },
  });
  const listener = await listen(app, { host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${listener.port}/v2/models/adult/infer`;
  const post = (body) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  // Warm-up (connections, JIT, ONNX session), then the measured run.
  await Promise.all(
    Array.from({ length: CLIENTS }, (_, c) => post(bodies[c % bodies.length]).then((r) => r.text())),
  );
  const before = {
    batch: app.metrics.batchSize.totals,
    queue: app.metrics.queueSeconds.totals,
    compute: app.metrics.computeSeconds.totals,
  };
  const latencies = [];
  let failed = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      let k = c;
      while (performance.now() < end) {
        const t0 = performance.now();
        const r = await post(bodies[k++ % bodies.length]);
        await r.text();
        if (r.status === 200) latencies.push(performance.now() - t0);
        else failed += 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  // HTTP floor: GET /v2/health/live (no body, no model) with the same clients for 3 s.
  let health = 0;
  const healthEnd = performance.now() + 3000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < healthEnd) {
        await (await fetch(`http://127.0.0.1:${listener.port}/v2/health/live`)).text();
        health += 1;
      }
    }),
  );
  const delta = (now, then) => ({ count: now.count - then.count, sum: now.sum - then.sum });
  const batch = delta(app.metrics.batchSize.totals, before.batch);
  const queue = delta(app.metrics.queueSeconds.totals, before.queue);
  const compute = delta(app.metrics.computeSeconds.totals, before.compute);
  await listener.close();
  await app.close();
  latencies.sort((a, b) => a - b);
  const served = {
    bench: 'serve',
    clients: CLIENTS,
    rows_per_request: ROWS,
    max_batch: MAX_BATCH,
    max_delay_us: MAX_DELAY_US,
    seconds: Number(elapsed.toFixed(2)),
    requests_per_s: Math.round(latencies.length / elapsed),
    rows_per_s: Math.round((latencies.length * ROWS) / elapsed),
    failed,
    p50_ms: Number(quantile(latencies, 0.5).toFixed(2)),
    p99_ms: Number(quantile(latencies, 0.99).toFixed(2)),
    mean_batch_rows: Number((batch.sum / batch.count).toFixed(1)),
    mean_queue_ms: Number(((queue.sum / queue.count) * 1000).toFixed(3)),
    mean_compute_ms_per_batch: Number(((compute.sum / compute.count) * 1000).toFixed(3)),
    health_requests_per_s: Math.round(health / 3),
  };
  process.stdout.write(`${JSON.stringify(served)}\n`);

  // Raw batched ONNX Runtime throughput of the same model, one call at a time, for 2 s per batch size.
  for (const size of [1, MAX_BATCH, Math.max(1, Math.round(served.mean_batch_rows))]) {
    const batches = Array.from({ length: 16 }, (_, i) => rowsFor(encoder, size, 1000 + i));
    let rows = 0;
    let k = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) {
      const b = batches[k++ % batches.length];
      await model.model.predictProbaBatch(b, 'request');
      rows += b.rows;
    }
    const rowsPerS = Math.round(rows / ((performance.now() - t0) / 1000));
    process.stdout.write(
      `${JSON.stringify({ bench: 'serve-raw-onnx', batch_rows: size, rows_per_s: rowsPerS, served_share: Number((served.rows_per_s / rowsPerS).toFixed(3)) })}\n`,
    );
  }
  await model.model.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
