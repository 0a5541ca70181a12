import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DataValidationError, InvalidParameterError, writeFilesAtomically } from '../core/index.js';
import { checkRateLimit, type RateLimit } from './rate-limit.js';

/** What a key may do: `predict` (metadata and inference) or `admin` (everything, predict included). */
export type KeyScope = 'predict' | 'admin';

/** The scopes an API key can have. */
export const KEY_SCOPES: readonly KeyScope[] = ['predict', 'admin'];

/** One stored key: only the SHA-256 of the key is kept, never the key itself. */
export interface StoredKey {
  /** Short public identifier (for logs and revocation), not a secret. */
  readonly id: string;
  /** Free-form label. */
  readonly name: string;
  /** What the key may do. */
  readonly scope: KeyScope;
  /** Hex SHA-256 of the key. */
  readonly sha256: string;
  /** ISO time of creation. */
  readonly created: string;
  /** Optional rate limit: requests per second (> 0); absent: unlimited. */
  readonly rate?: number;
  /** Optional burst (integer >= 1, needs `rate`; default: ceil(rate)). */
  readonly burst?: number;
}

/** A keys file: `{"keys": [StoredKey, ...]}`. */
export interface KeysFile {
  readonly keys: readonly StoredKey[];
}

/** Hex SHA-256 of a key (keys are 32 random bytes, so a fast hash without salt is enough). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Throws unless `scope` is 'predict' or 'admin'. */
export function checkScope(scope: unknown): KeyScope {
  if (scope !== 'predict' && scope !== 'admin') {
    throw new InvalidParameterError(
      `The key scope must be 'predict' or 'admin'. Got '${String(scope)}' instead.`,
    );
  }
  return scope;
}

/** Parses and checks a keys file's text; errors name the file. */
export function parseKeysFile(text: string, file?: string): KeysFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataValidationError('The keys file is not valid JSON. Create it with `steward keys create`.', {
      file,
    });
  }
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) {
    throw new DataValidationError('The keys file must be an object {"keys": [...]}.', { file });
  }
  keys.forEach((k, i) => {
    const ok =
      typeof k === 'object' &&
      k !== null &&
      typeof k.id === 'string' &&
      typeof k.name === 'string' &&
      (k.scope === 'predict' || k.scope === 'admin') &&
      typeof k.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(k.sha256);
    if (!ok) {
      throw new DataValidationError(
        `Key ${i + 1} of the keys file needs id, name, scope ('predict' or 'admin') and sha256 (64 hex digits).`,
        { file },
      );
    }
    if (k.burst !== undefined && k.rate === undefined) {
      throw new DataValidationError(`Key ${i + 1} of the keys file has a 'burst' but no 'rate'.`, { file });
    }
    if (k.rate !== undefined) {
      try {
        checkRateLimit(k.rate, k.burst);
      } catch (error) {
        throw new DataValidationError(`Key ${i + 1} of the keys file: ${(error as Error).message}`, { file });
      }
    }
  });
  return { keys: keys as StoredKey[] };
}

/** Reads a keys file; a missing file is a DataValidationError naming it. */
export async function readKeysFile(path: string): Promise<KeysFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataValidationError('The keys file was not found. Create it with `steward keys create`.', {
      file: path,
    });
  }
  return parseKeysFile(text, path);
}

/** The rate limit of a stored key, or undefined when it has none (unlimited). */
export function keyRateLimit(key: StoredKey): RateLimit | undefined {
  return key.rate === undefined ? undefined : checkRateLimit(key.rate, key.burst);
}

/**
 * Creates a key (`stw_` + 32 random bytes in base64url), appends its hash to the keys file (created if
 * missing; the file is replaced atomically) and returns the key: the only time it is ever visible.
 * `limits.rate` (requests per second) and `limits.burst` store an optional per-key rate limit.
 */
export async function createKey(
  path: string,
  scope: KeyScope,
  name = '',
  limits: { rate?: number; burst?: number } = {},
): Promise<{ key: string; stored: StoredKey }> {
  checkScope(scope);
  if (limits.burst !== undefined && limits.rate === undefined) {
    throw new InvalidParameterError("A key's 'burst' needs a 'rate'.");
  }
  if (limits.rate !== undefined) checkRateLimit(limits.rate, limits.burst);
  let existing: readonly StoredKey[] = [];
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) existing = parseKeysFile(text, path).keys;
  const key = `stw_${randomBytes(32).toString('base64url')}`;
  const stored: StoredKey = {
    id: `k_${randomBytes(6).toString('hex')}`,
    name,
    scope,
    sha256: hashKey(key),
    created: new Date().toISOString(),
    ...(limits.rate !== undefined ? { rate: limits.rate } : {}),
    ...(limits.burst !== undefined ? { burst: limits.burst } : {}),
  };
  const file: KeysFile = { keys: [...existing, stored] };
  await writeFilesAtomically([{ path, contents: `${JSON.stringify(file, null, 2)}\n` }]);
  return { key, stored };
}

/**
 * The stored key matching `key`, or undefined. Every stored hash is compared with
 * crypto.timingSafeEqual, without stopping early, so the time taken does not say which prefix matched.
 */
export function findKey(keys: KeysFile, key: string): StoredKey | undefined {
  const presented = Buffer.from(hashKey(key), 'hex');
  let found: StoredKey | undefined;
  for (const k of keys.keys) {
    const stored = Buffer.from(k.sha256, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) found ??= k;
  }
  return found;
}

/** True when a key of scope `has` may call a route needing `needs` (admin may do everything). */
export function scopeAllows(has: KeyScope, needs: KeyScope): boolean {
  return has === 'admin' || has === needs;
}

/** The key a request presents: `Authorization: Bearer KEY` or `x-api-key: KEY`. */
export function presentedKey(headers: Headers): string | undefined {
  const auth = headers.get('authorization');
  const bearer = auth === null ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
  return bearer ?? headers.get('x-api-key') ?? undefined;
}
