import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServeApp, type ServeApp } from './app.js';
import { ADMIN_KEY, PREDICT_KEY, TEST_KEYS, toyBatch, toyServedModel } from './serve-fixture.test-suite.js';
import type { ServedModel } from './served-model.js';

let model: ServedModel;
let app: ServeApp;

beforeAll(async () => {
  model = await toyServedModel();
  app = createServeApp({ models: [model], keys: TEST_KEYS, maxBodyBytes: 4096 });
});
afterAll(() => model.model.dispose());

/** The parsed JSON body (JSON.parse's `any`, so tests can read fields). */
const json = async (r: Response) => JSON.parse(await r.text());

const auth = { authorization: `Bearer ${PREDICT_KEY}` };

function call(path: string, init: RequestInit & { headers?: Record<string, string> } = {}, to = app) {
  return to.fetch(new Request(`http://x${path}`, init));
}

function post(path: string, body: unknown, headers: Record<string, string> = auth, to = app) {
  return call(path, { method: 'POST', body: JSON.stringify(body), headers }, to);
}

const rows = toyBatch(5, 7).batch;
const age = Array.from(rows.columns.age as Float64Array);
const income = Array.from(rows.columns.income as Float64Array);
const color = rows.columns.color as string[];

function inferBody(overrides: Record<string, unknown> = {}) {
  return {
    inputs: [
      { name: 'age', shape: [5], datatype: 'FP64', data: age },
      { name: 'income', shape: [5, 1], datatype: 'FP64', data: income.map((v) => [v]) },
      { name: 'color', shape: [5], datatype: 'BYTES', data: color },
    ].map((i) => ({ ...i, ...((overrides[i.name] as object) ?? {}) })),
  };
}

describe('Open Inference Protocol (v2) routes', () => {
  it('answers health without a key, server and model metadata with one', async () => {
    expect((await call('/v2/health/live')).status).toBe(200);
    expect(await json(await call('/v2/health/ready'))).toEqual({ ready: true });
    const server = await json(await call('/v2', { headers: auth }));
    expect(server.name).toBe('steward');
    expect(server.extensions).toEqual([]);
    const meta = await json(await call('/v2/models/toy', { headers: auth }));
    expect(meta).toMatchObject({ name: 'toy', versions: ['1'], platform: 'onnxruntime' });
    expect(meta.inputs).toEqual([
      { name: 'age', datatype: 'FP64', shape: [-1] },
      { name: 'income', datatype: 'FP64', shape: [-1] },
      { name: 'color', datatype: 'BYTES', shape: [-1] },
    ]);
    expect(meta.outputs[0]).toEqual({ name: 'probability', datatype: 'FP64', shape: [-1] });
    const versioned = await call('/v2/models/toy/versions/1', { headers: { 'x-api-key': PREDICT_KEY } });
    expect(await json(versioned)).toEqual(meta);
    expect((await call('/v2/models/toy/ready', { headers: auth })).status).toBe(200);
    expect((await call('/v2/models/toy/versions/1/ready', { headers: auth })).status).toBe(200);
  });

  it('infers the same numbers as the model (|Δ| <= 1e-12) and the decision at its threshold 0.4', async () => {
    const expected = await model.model.predictProbaBatch(rows);
    for (const path of ['/v2/models/toy/infer', '/v2/models/toy/versions/1/infer']) {
      const r = await post(path, { id: 'r1', ...inferBody() });
      expect(r.status).toBe(200);
      const out = await json(r);
      expect(out).toMatchObject({ model_name: 'toy', model_version: '1', id: 'r1' });
      const [p, d] = out.outputs;
      expect(p).toMatchObject({ name: 'probability', shape: [5], datatype: 'FP64' });
      for (let i = 0; i < 5; i++) expect(Math.abs(p.data[i] - expected[i])).toBeLessThanOrEqual(1e-12);
      expect(d).toMatchObject({ name: 'decision', datatype: 'INT8' });
      expect(d.data).toEqual(Array.from(expected, (v) => (v >= 0.4 ? 1 : 0)));
    }
  });

  it('refuses bad requests with 400 and a message', async () => {
    const cases: [unknown, RegExp][] = [
      [inferBody({ age: { datatype: 'FP32' } }), /'age' must have datatype FP64/],
      [inferBody({ color: { datatype: 'FP64' } }), /'color' must have datatype BYTES/],
      [inferBody({ age: { shape: [4] } }), /shape \[4\] but 5 data elements/],
      [inferBody({ age: { shape: [5, 2] } }), /shape \[N\] or \[N, 1\]/],
      [inferBody({ age: { data: [1, 2, 3, 4, 'x'] } }), /'age' row 4 must be a finite number/],
      [inferBody({ color: { data: ['red', 'red', 'red', 'red', 'purple'] } }), /purple/],
      [{ inputs: inferBody().inputs.slice(0, 2) }, /lacks the column\(s\) color/],
      [
        { inputs: [...inferBody().inputs, { name: 'zip', shape: [5], datatype: 'BYTES', data: color }] },
        /has column\(s\) zip/,
      ],
      [{ nope: 1 }, /"inputs"/],
    ];
    for (const [body, message] of cases) {
      const r = await post('/v2/models/toy/infer', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((await json(r)).error).toMatch(message);
    }
    const notJson = await call('/v2/models/toy/infer', { method: 'POST', body: '{', headers: auth });
    expect(notJson.status).toBe(400);
  });

  it('answers 404, 405 and 413 as the protocol expects', async () => {
    expect((await call('/v2/models/nope', { headers: auth })).status).toBe(404);
    expect((await call('/v2/models/%E0%A4%A', { headers: auth })).status).toBe(404);
    expect((await call('/v2/models/toy/versions/9', { headers: auth })).status).toBe(404);
    expect((await call('/v3/anything', { headers: auth })).status).toBe(404);
    const wrong = await call('/v2/models/toy/infer', { headers: auth });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const big = await post('/v2/models/toy/infer', { pad: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect((await json(big)).error).toMatch(/over the limit of 4096 bytes/);
  });
});

describe('API keys and scopes', () => {
  it('401 without a key or with a wrong one, 403 with a predict key on an admin route', async () => {
    const none = await call('/v2/models/toy');
    expect(none.status).toBe(401);
    expect(await json(none)).toHaveProperty('error');
    expect((await call('/v2', { headers: { authorization: 'Bearer stw_wrong' } })).status).toBe(401);
    expect((await post('/v2/models/toy/infer', inferBody(), {})).status).toBe(401);
    expect((await call('/v1/models', { headers: auth })).status).toBe(403);
    const admin = await call('/v1/models', { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(admin.status).toBe(200);
    expect((await json(admin)).max_body_bytes).toBe(4096);
    // admin includes predict
    const r = await post('/v2/models/toy/infer', inferBody(), { 'x-api-key': ADMIN_KEY });
    expect(r.status).toBe(200);
  });

  it('opens every route when keys are undefined (--insecure-dev)', async () => {
    const open = createServeApp({ models: [model], keys: undefined });
    expect((await call('/v1/models', {}, open)).status).toBe(200);
  });
});

describe('POST /v1/decide', () => {
  const applicant = { age: 22, income: 1100, color: 'red' };

  it('decides without reasons (and says why) when there is no background', async () => {
    const r = await post('/v1/decide', applicant);
    expect(r.status).toBe(200);
    const out = await json(r);
    const p = (
      await model.model.predictProbaBatch({
        rows: 1,
        columns: { age: Float64Array.of(22), income: Float64Array.of(1100), color: ['red'] },
      })
    )[0];
    expect(Math.abs(out.probability - p)).toBeLessThanOrEqual(1e-12);
    expect(out).toMatchObject({ threshold: 0.4, positive_label: 'good', decision: p >= 0.4 ? 1 : 0 });
    expect(out.reasons).toBeUndefined();
    expect(out.notes[0]).toMatch(/--background/);
  });

  it('gives at most four reasons, each lowering the score, with a background', async () => {
    const withBackground = createServeApp({
      models: [model],
      keys: TEST_KEYS,
      background: toyBatch(20, 3).batch,
    });
    const out = await json(await post('/v1/decide', applicant, auth, withBackground));
    expect(out.decision).toBe(0); // young, low income, red: refused by construction of toyBatch
    expect(out.reasons.length).toBeGreaterThan(0);
    expect(out.reasons.length).toBeLessThanOrEqual(4);
    for (const reason of out.reasons) expect(reason.contribution).toBeLessThan(0);
  });

  it('refuses a missing or extra column and a wrong type with 400', async () => {
    expect((await post('/v1/decide', { age: 22, income: 1100 })).status).toBe(400);
    expect((await post('/v1/decide', { ...applicant, zip: '1' })).status).toBe(400);
    expect((await post('/v1/decide', { ...applicant, age: '22' })).status).toBe(400);
  });
});
