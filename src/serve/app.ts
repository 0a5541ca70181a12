import { InvalidParameterError, stewardVersion } from '../core/index.js';
import type { ColumnBatch } from '../data/index.js';
import {
  findKey,
  type KeyScope,
  type KeysFile,
  keyRateLimit,
  presentedKey,
  scopeAllows,
} from './api-keys.js';
import { type BatcherOptions, DynamicBatcher } from './batcher.js';
import { decide } from './decide.js';
import { batchRow, type DecisionLog, type DecisionRecord } from './decision-log.js';
import { errorResponse, HttpError, jsonResponse } from './http-errors.js';
import { createServeMetrics, PROMETHEUS_CONTENT_TYPE, type ServeMetrics } from './metrics.js';
import { type MillisClock, RateLimiter } from './rate-limit.js';
import { DEFAULT_MAX_BODY_BYTES, parseApplicant, parseInferRequest, readJsonBody } from './request-body.js';
import { modelMetadata, type ServedModel } from './served-model.js';

/** Options of `createServeApp`. */
export interface ServeAppOptions {
  /** Models served, by name; `/v1/decide` uses the first. */
  models: readonly ServedModel[];
  /** API keys; undefined only for `--insecure-dev` (then every route is open). */
  keys: KeysFile | undefined;
  /** Largest request body accepted, in bytes (default 64 MiB). */
  maxBodyBytes?: number;
  /** Reference population for the reasons of `/v1/decide` (none: no reasons, and a note says why). */
  background?: ColumnBatch;
  /** Hash-chained decision log: every successful decision is appended before it is answered. */
  log?: DecisionLog;
  /** Dynamic batching of v2 infer requests, one batcher per model (defaults: DEFAULT_BATCHER_OPTIONS). */
  batching?: BatcherOptions;
  /** Clock of the per-key rate limits, in milliseconds (default `performance.now`; tests inject a fake). */
  rateClock?: MillisClock;
}

/** A server as a function from Web Request to Response (no port: tests call `fetch` directly). */
export interface ServeApp {
  /** Answers one request. */
  fetch(request: Request): Promise<Response>;
  /** The metrics exposed on `GET /metrics`. */
  readonly metrics: ServeMetrics;
  /** Graceful shutdown: refuses new infer requests (503), scores what is queued, then resolves. */
  close(): Promise<void>;
}

interface Params {
  name?: string;
  version?: string;
}

interface Route {
  /** The `endpoint` label of steward_requests_total. */
  name: string;
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** Scope a key needs; null: open (health). */
  scope: KeyScope | null;
  handle(request: Request, params: Params): Promise<Response> | Response;
}

const MODEL = '/v2/models/(?<name>[^/]+)(?:/versions/(?<version>[^/]+))?';

/**
 * The Open Inference Protocol (KServe v2) REST surface for Steward ONNX pipelines, plus `POST /v1/decide`,
 * `GET /v1/models` and `GET /metrics` (admin; Prometheus text format), with API keys checked in constant
 * time; v2 infer requests go through a DynamicBatcher per model (Triton-style dynamic batching).
 * Routing order: unknown path 404, wrong method 405, then 401/403 for keys, 429 for a key over its rate
 * limit (token bucket per key; health is never limited), then the handler (unknown
 * model 404, body over limit 413, bad request 400, queue full 429, timeout 504).
 */
export function createServeApp(options: ServeAppOptions): ServeApp {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBody) || maxBody < 1) {
    throw new InvalidParameterError(
      `The 'maxBodyBytes' option of createServeApp must be an integer >= 1. Got ${maxBody} instead.`,
    );
  }
  if (options.models.length === 0) {
    throw new InvalidParameterError("The 'models' option of createServeApp needs at least one model.");
  }
  const record = async (records: DecisionRecord[]): Promise<void> => {
    if (options.log === undefined) return;
    try {
      await options.log.append(records);
    } catch {
      throw new HttpError(500, 'The decision could not be written to the decision log, so none is returned.');
    }
  };
  const byName = new Map(options.models.map((m) => [m.name, m]));
  const metrics = createServeMetrics();
  const batchers = new Map(
    options.models.map((m) => [
      m.name,
      new DynamicBatcher((b) => m.model.predictProbaBatch(b, 'request'), options.batching, {
        queued: (s) => metrics.queueSeconds.observe(s),
        batch: (rows, s) => {
          metrics.batchSize.observe(rows);
          metrics.computeSeconds.observe(s);
        },
      }),
    ]),
  );
  const batcherOf = (m: ServedModel): DynamicBatcher => batchers.get(m.name) as DynamicBatcher;
  metrics.queueRows = () => [...batchers.values()].reduce((sum, b) => sum + b.queueRows, 0);
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const find = (p: Params): ServedModel => {
    const m = p.name === undefined ? undefined : byName.get(decode(p.name));
    if (m === undefined) throw new HttpError(404, `Unknown model '${p.name}'.`);
    if (p.version !== undefined && decode(p.version) !== m.version) {
      throw new HttpError(404, `Model '${m.name}' has no version '${p.version}'. It has: ${m.version}.`);
    }
    return m;
  };
  const routes: Route[] = [
    {
      name: 'health',
      method: 'GET',
      pattern: /^\/v2\/health\/live$/,
      scope: null,
      handle: () => jsonResponse({ live: true }),
    },
    {
      name: 'health',
      method: 'GET',
      pattern: /^\/v2\/health\/ready$/,
      scope: null,
      handle: () => jsonResponse({ ready: true }),
    },
    {
      name: 'v2/server',
      method: 'GET',
      pattern: /^\/v2$/,
      scope: 'predict',
      handle: () => jsonResponse({ name: 'steward', version: stewardVersion(), extensions: [] }),
    },
    {
      name: 'v2/model',
      method: 'GET',
      pattern: new RegExp(`^${MODEL}$`),
      scope: 'predict',
      handle: (_r, p) => jsonResponse(modelMetadata(find(p))),
    },
    {
      name: 'v2/model/ready',
      method: 'GET',
      pattern: new RegExp(`^${MODEL}/ready$`),
      scope: 'predict',
      handle: (_r, p) => jsonResponse({ name: find(p).name, ready: true }),
    },
    {
      name: 'v2/infer',
      method: 'POST',
      pattern: new RegExp(`^${MODEL}/infer$`),
      scope: 'predict',
      handle: async (request, p) => {
        const m = find(p);
        const body = await readJsonBody(request, maxBody);
        const batch = parseInferRequest(m, body);
        const probability = await batcherOf(m).submit(batch);
        const decision = Int8Array.from(probability, (q) => (q >= m.threshold ? 1 : 0));
        await record(
          Array.from({ length: batch.rows }, (_, i) => ({
            model: m.name,
            version: m.version,
            endpoint: 'v2/infer',
            input: batchRow(batch, i),
            output: { probability: probability[i], decision: decision[i] },
          })),
        );
        const id = (body as { id?: unknown }).id;
        return jsonResponse({
          model_name: m.name,
          model_version: m.version,
          ...(typeof id === 'string' ? { id } : {}),
          outputs: [
            { name: 'probability', shape: [batch.rows], datatype: 'FP64', data: Array.from(probability) },
            { name: 'decision', shape: [batch.rows], datatype: 'INT8', data: Array.from(decision) },
          ],
        });
      },
    },
    {
      name: 'v1/decide',
      method: 'POST',
      pattern: /^\/v1\/decide$/,
      scope: 'predict',
      handle: async (request) => {
        const m = options.models[0];
        const applicant = parseApplicant(m, await readJsonBody(request, maxBody));
        const answer = await decide(m, applicant, options.background);
        const { probability, decision, reasons } = answer;
        await record([
          {
            model: m.name,
            version: m.version,
            endpoint: 'v1/decide',
            input: batchRow(applicant, 0),
            output: {
              probability,
              decision,
              ...(reasons !== undefined && reasons.length > 0 ? { reasons } : {}),
            },
          },
        ]);
        return jsonResponse(answer);
      },
    },
    {
      name: 'v1/models',
      method: 'GET',
      pattern: /^\/v1\/models$/,
      scope: 'admin',
      handle: () =>
        jsonResponse({
          models: options.models.map((m) => modelMetadata(m)),
          max_body_bytes: maxBody,
          background_rows: options.background?.rows ?? 0,
        }),
    },
    {
      name: 'metrics',
      method: 'GET',
      pattern: /^\/metrics$/,
      scope: 'admin',
      handle: () =>
        new Response(metrics.expose(), { status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE } }),
    },
  ];

  const limiter = new RateLimiter(options.rateClock);
  const authorize = (request: Request, scope: KeyScope): void => {
    if (options.keys === undefined) return;
    const key = presentedKey(request.headers);
    if (key === undefined) {
      throw new HttpError(
        401,
        'An API key is required: send "Authorization: Bearer KEY" or "x-api-key: KEY".',
        {
          'www-authenticate': 'Bearer',
        },
      );
    }
    const stored = findKey(options.keys, key);
    if (stored === undefined) {
      throw new HttpError(401, 'The API key is not valid.', { 'www-authenticate': 'Bearer' });
    }
    if (!scopeAllows(stored.scope, scope)) {
      throw new HttpError(403, `This API key has scope '${stored.scope}'; this route needs '${scope}'.`);
    }
    const limit = keyRateLimit(stored);
    if (limit === undefined) return;
    const taken = limiter.take(stored.sha256, limit);
    if (!taken.allowed) {
      throw new HttpError(
        429,
        `This API key is over its rate limit (${limit.rate} requests/s, burst ${limit.burst}). Retry after ${taken.retryAfterSeconds} s.`,
        { 'retry-after': String(taken.retryAfterSeconds) },
      );
    }
  };

  const answer = async (request: Request): Promise<{ endpoint: string; response: Response }> => {
    let endpoint = 'none';
    try {
      const path = new URL(request.url).pathname.replace(/\/+$/, '') || '/';
      const matching = routes
        .map((route) => ({ route, match: route.pattern.exec(path) }))
        .filter((x) => x.match !== null);
      if (matching.length === 0) throw new HttpError(404, `No route ${request.method} ${path}.`);
      const hit = matching.find((x) => x.route.method === request.method);
      if (hit === undefined) {
        const allow = [...new Set(matching.map((x) => x.route.method))].join(', ');
        throw new HttpError(405, `${request.method} is not allowed on ${path}. Use ${allow}.`, { allow });
      }
      endpoint = hit.route.name;
      if (hit.route.scope !== null) authorize(request, hit.route.scope);
      return { endpoint, response: await hit.route.handle(request, (hit.match?.groups ?? {}) as Params) };
    } catch (error) {
      return { endpoint, response: errorResponse(error) };
    }
  };

  return {
    metrics,
    async fetch(request: Request): Promise<Response> {
      const start = performance.now();
      const { endpoint, response } = await answer(request);
      metrics.requests.inc({ endpoint, status: String(response.status) });
      metrics.requestSeconds.observe((performance.now() - start) / 1000);
      return response;
    },
    async close(): Promise<void> {
      await Promise.all([...batchers.values()].map((b) => b.close()));
    },
  };
}
