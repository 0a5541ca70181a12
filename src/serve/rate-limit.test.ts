import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, hashKey, type KeysFile, parseKeysFile, readKeysFile } from './api-keys.js';
import { createServeApp } from './app.js';
import { checkRateLimit, defaultBurst, RateLimiter } from './rate-limit.js';
import { PREDICT_KEY, toyServedModel } from './serve-fixture.test-suite.js';
import type { ServedModel } from './served-model.js';

/** A fake clock in milliseconds, moved by hand: no sleeps, exact arithmetic. */
function fakeClock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

// Expected values below are hand derivations of tokens(t) = min(burst, tokens(t0) + rate * (t - t0)),
// one token per request, Retry-After = ceil((1 - tokens) / rate). Times are exact binary fractions.
describe('RateLimiter (token bucket)', () => {
  it('allows a full burst at once, then refuses with Retry-After', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock.now);
    const limit = { rate: 2, burst: 3 };
    for (let i = 0; i < 3; i++) expect(limiter.take('a', limit)).toEqual({ allowed: true });
    // 0 tokens: one token back after 1/2 s, so Retry-After = ceil(0.5) = 1.
    expect(limiter.take('a', limit)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at `rate` per second and never beyond `burst`', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock.now);
    const limit = { rate: 2, burst: 3 };
    for (let i = 0; i < 3; i++) limiter.take('a', limit);
    clock.advance(250); // +0.5 token: still short of one
    expect(limiter.take('a', limit).allowed).toBe(false);
    clock.advance(250); // 0.5 + 0.5 = 1 token
    expect(limiter.take('a', limit).allowed).toBe(true);
    expect(limiter.take('a', limit).allowed).toBe(false);
    clock.advance(60_000); // capped at 3 tokens, not 120
    for (let i = 0; i < 3; i++) expect(limiter.take('a', limit).allowed).toBe(true);
    expect(limiter.take('a', limit).allowed).toBe(false);
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock.now);
    const limit = { rate: 0.25, burst: 1 }; // one request every 4 s
    expect(limiter.take('a', limit).allowed).toBe(true);
    expect(limiter.take('a', limit)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    clock.advance(1000); // 0.25 token: (1 - 0.25) / 0.25 = 3 s
    expect(limiter.take('a', limit)).toEqual({ allowed: false, retryAfterSeconds: 3 });
    clock.advance(2500); // 0.875 token: 0.125 / 0.25 = 0.5 s, ceil 1
    expect(limiter.take('a', limit)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(500);
    expect(limiter.take('a', limit).allowed).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter(fakeClock().now);
    const limit = { rate: 1, burst: 1 };
    expect(limiter.take('a', limit).allowed).toBe(true);
    expect(limiter.take('a', limit).allowed).toBe(false);
    expect(limiter.take('b', limit).allowed).toBe(true);
    expect(limiter.size).toBe(2);
  });

  it('checks limits and defaults the burst to ceil(rate), at least 1', () => {
    expect(defaultBurst(0.5)).toBe(1);
    expect(defaultBurst(2.5)).toBe(3);
    expect(checkRateLimit(10)).toEqual({ rate: 10, burst: 10 });
    expect(() => checkRateLimit(0)).toThrow(/'rate' of an API key must be a number > 0. Got 0/);
    expect(() => checkRateLimit(1, 1.5)).toThrow(/'burst' of an API key must be an integer >= 1. Got 1.5/);
  });
});

describe('rate limits in keys files', () => {
  const entry = { id: 'k', name: '', scope: 'predict', sha256: 'a'.repeat(64), created: '' };

  it('stores rate and burst with createKey and reads them back', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'steward-rate-')), 'keys.json');
    const { stored } = await createKey(path, 'predict', 'limited', { rate: 5, burst: 10 });
    expect(stored).toMatchObject({ rate: 5, burst: 10 });
    const keys = await readKeysFile(path);
    expect(keys.keys[0]).toMatchObject({ rate: 5, burst: 10 });
    const plain = await createKey(path, 'admin');
    expect(JSON.parse(await readFile(path, 'utf8')).keys[1]).not.toHaveProperty('rate');
    expect(plain.stored.rate).toBeUndefined();
    await expect(createKey(path, 'predict', '', { burst: 2 })).rejects.toThrow(/'burst' needs a 'rate'/);
    await expect(createKey(path, 'predict', '', { rate: -1 })).rejects.toThrow(/must be a number > 0/);
  });

  it('refuses a bad rate or a burst without rate', () => {
    const file = (k: object) => JSON.stringify({ keys: [{ ...entry, ...k }] });
    expect(parseKeysFile(file({ rate: 2, burst: 4 })).keys[0].burst).toBe(4);
    expect(() => parseKeysFile(file({ rate: '2' }))).toThrow(/Key 1 of the keys file: The 'rate'/);
    expect(() => parseKeysFile(file({ rate: 2, burst: 0 }))).toThrow(/'burst' of an API key/);
    expect(() => parseKeysFile(file({ burst: 3 }))).toThrow(/'burst' but no 'rate'/);
  });
});

describe('rate limits in the server', () => {
  const LIMITED = 'stw_test-limited-key';
  const keys: KeysFile = {
    keys: [
      { id: 'k_l', name: 'l', scope: 'predict', sha256: hashKey(LIMITED), created: '', rate: 1, burst: 2 },
      { id: 'k_p', name: 'p', scope: 'predict', sha256: hashKey(PREDICT_KEY), created: '' },
    ],
  };
  let model: ServedModel;
  beforeAll(async () => {
    model = await toyServedModel();
  });
  afterAll(() => model.model.dispose());

  it('answers 429 with Retry-After to a key over its limit; other keys and health are unaffected', async () => {
    const clock = fakeClock(1000);
    const app = createServeApp({ models: [model], keys, rateClock: clock.now });
    const get = (path: string, key?: string) =>
      app.fetch(
        new Request(
          `http://x${path}`,
          key === undefined ? {} : { headers: { authorization: `Bearer ${key}` } },
        ),
      );
    expect((await get('/v2/models/toy', LIMITED)).status).toBe(200);
    expect((await get('/v2/models/toy', LIMITED)).status).toBe(200);
    const refused = await get('/v2/models/toy', LIMITED);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(await refused.text()).error).toMatch(/over its rate limit \(1 requests\/s, burst 2\)/);
    for (let i = 0; i < 20; i++) expect((await get('/v2/models/toy', PREDICT_KEY)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await get('/v2/health/live')).status).toBe(200);
    expect((await get('/v2/health/ready', LIMITED)).status).toBe(200);
    clock.advance(1000);
    expect((await get('/v2/models/toy', LIMITED)).status).toBe(200);
    expect((await get('/v2/models/toy', LIMITED)).status).toBe(429);
    // A wrong key is 401 before any bucket is touched.
    expect((await get('/v2/models/toy', 'stw_wrong')).status).toBe(401);
    await app.close();
  });
});
