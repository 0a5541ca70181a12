import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkScope,
  createKey,
  findKey,
  hashKey,
  parseKeysFile,
  presentedKey,
  readKeysFile,
  scopeAllows,
} from './api-keys.js';

describe('API keys', () => {
  it('hashes with SHA-256 (FIPS 180-4 test vector for "abc")', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('creates the file, appends keys, stores only hashes, and finds each key by its hash', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'steward-keys-')), 'sub', 'keys.json');
    const a = await createKey(path, 'predict', 'app');
    const b = await createKey(path, 'admin');
    expect(a.key).toMatch(/^stw_[A-Za-z0-9_-]{43}$/); // 32 bytes in base64url
    expect(a.key).not.toBe(b.key);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(a.key);
    expect(text).not.toContain(b.key);
    const keys = await readKeysFile(path);
    expect(keys.keys.map((k) => k.scope)).toEqual(['predict', 'admin']);
    expect(findKey(keys, a.key)?.id).toBe(a.stored.id);
    expect(findKey(keys, b.key)?.name).toBe('');
    expect(findKey(keys, `${a.key}x`)).toBeUndefined();
  });

  it('refuses a malformed keys file and an unknown scope', async () => {
    expect(() => parseKeysFile('{')).toThrow(/not valid JSON/);
    expect(() => parseKeysFile('{"keys": [{"id": "k"}]}')).toThrow(/Key 1 of the keys file/);
    expect(() => checkScope('root')).toThrow(/must be 'predict' or 'admin'. Got 'root'/);
    const path = join(await mkdtemp(join(tmpdir(), 'steward-keys-')), 'bad.json');
    await writeFile(path, '[]');
    await expect(readKeysFile(path)).rejects.toThrow(/"keys"/);
    await expect(readKeysFile(`${path}.missing`)).rejects.toThrow(/not found/);
  });

  it('reads Bearer or x-api-key, and admin includes predict', () => {
    expect(presentedKey(new Headers({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(presentedKey(new Headers({ 'x-api-key': 'xyz' }))).toBe('xyz');
    expect(presentedKey(new Headers({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(scopeAllows('admin', 'predict')).toBe(true);
    expect(scopeAllows('predict', 'admin')).toBe(false);
  });
});
