import { describe, expect, it } from 'vitest';
import { createServeApp } from './app.js';
import { Counter, createServeMetrics, formatValue, Histogram } from './metrics.js';
import { ADMIN_KEY, PREDICT_KEY, TEST_KEYS, toyBatch, toyServedModel } from './serve-fixture.test-suite.js';

describe('Prometheus text exposition (format 0.0.4)', () => {
  it('writes a counter with HELP and TYPE lines and escaped labels', () => {
    const c = new Counter('x_total', 'Things.\nCounted \\ here.', ['endpoint', 'status']);
    c.inc({ endpoint: 'v2/infer', status: '200' });
    c.inc({ status: '200', endpoint: 'v2/infer' }, 2);
    c.inc({ endpoint: 'a"b\\c\nd', status: '404' });
    expect(c.expose()).toBe(
      [
        '# HELP x_total Things.\\nCounted \\\\ here.',
        '# TYPE x_total counter',
        'x_total{endpoint="v2/infer",status="200"} 3',
        'x_total{endpoint="a\\"b\\\\c\\nd",status="404"} 1',
        '',
      ].join('\n'),
    );
  });

  it('writes a histogram with cumulative buckets, +Inf, _sum and _count', () => {
    const h = new Histogram('lat_seconds', 'Latency.', [0.1, 0.5, 1]);
    // Hand derivation: 0.05 and 0.1 fall in le=0.1 (bounds are inclusive), 0.3 in le=0.5, 7 only in +Inf.
    for (const v of [0.05, 0.1, 0.3, 7]) h.observe(v);
    expect(h.expose()).toBe(
      [
        '# HELP lat_seconds Latency.',
        '# TYPE lat_seconds histogram',
        'lat_seconds_bucket{le="0.1"} 2',
        'lat_seconds_bucket{le="0.5"} 3',
        'lat_seconds_bucket{le="1"} 3',
        'lat_seconds_bucket{le="+Inf"} 4',
        `lat_seconds_sum ${0.05 + 0.1 + 0.3 + 7}`,
        'lat_seconds_count 4',
        '',
      ].join('\n'),
    );
  });

  it('formats special values', () => {
    expect([Infinity, -Infinity, Number.NaN, 0.00025].map(formatValue)).toEqual([
      '+Inf',
      '-Inf',
      'NaN',
      '0.00025',
    ]);
  });

  it('exposes every steward metric, each line well formed', () => {
    const m = createServeMetrics();
    m.queueRows = () => 7;
    m.requests.inc({ endpoint: 'health', status: '200' });
    m.batchSize.observe(3);
    const text = m.expose();
    for (const name of [
      'steward_requests_total',
      'steward_batch_size',
      'steward_queue_seconds',
      'steward_compute_seconds',
      'steward_request_seconds',
      'steward_queue_rows',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
      expect(text).toContain(`# HELP ${name} `);
    }
    expect(text).toContain('steward_queue_rows 7\n');
    expect(text).toContain('steward_batch_size_bucket{le="2"} 0\n');
    expect(text).toContain('steward_batch_size_bucket{le="4"} 1\n');
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? \S+$/;
    for (const line of text.trimEnd().split('\n')) {
      if (!line.startsWith('# ')) expect(line).toMatch(sample);
    }
  });
});

describe('GET /metrics of createServeApp', () => {
  it('needs the admin scope and counts requests, batches and queue time', async () => {
    const model = await toyServedModel();
    const app = createServeApp({ models: [model], keys: TEST_KEYS });
    try {
      const get = (key: string) =>
        app.fetch(new Request('http://x/metrics', { headers: { authorization: `Bearer ${key}` } }));
      expect((await get(PREDICT_KEY)).status).toBe(403);
      const rows = toyBatch(3, 5).batch;
      const body = {
        inputs: [
          { name: 'age', shape: [3], datatype: 'FP64', data: Array.from(rows.columns.age as Float64Array) },
          {
            name: 'income',
            shape: [3],
            datatype: 'FP64',
            data: Array.from(rows.columns.income as Float64Array),
          },
          { name: 'color', shape: [3], datatype: 'BYTES', data: rows.columns.color },
        ],
      };
      const infer = await app.fetch(
        new Request('http://x/v2/models/toy/infer', {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { authorization: `Bearer ${PREDICT_KEY}` },
        }),
      );
      expect(infer.status).toBe(200);
      const response = await get(ADMIN_KEY);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await response.text();
      expect(text).toContain('steward_requests_total{endpoint="metrics",status="403"} 1\n');
      expect(text).toContain('steward_requests_total{endpoint="v2/infer",status="200"} 1\n');
      expect(text).toContain('steward_batch_size_sum 3\n');
      expect(text).toContain('steward_queue_seconds_count 1\n');
      expect(text).toContain('steward_queue_rows 0\n');
    } finally {
      await app.close();
      await model.model.dispose();
    }
  });
});
