import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanText } from './analyzer.js';
import { decryptPii, encryptPii, hashPii, maskPii, parsePiiKey, redactText } from './operators.js';

const text = 'Mail jane@example.com or call (415) 555-0132.';
const matches = scanText(text);

describe('operators', () => {
  it('replace: <ENTITY> by default, a fixed value, or a value per entity', () => {
    expect(redactText(text, matches, { type: 'replace' })).toBe(
      'Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>.',
    );
    expect(redactText(text, matches, { type: 'replace', newValue: '[x]' })).toBe('Mail [x] or call [x].');
    expect(redactText(text, matches, { type: 'replace', newValue: { PHONE_NUMBER: 'N' } })).toBe(
      'Mail <EMAIL_ADDRESS> or call N.',
    );
  });
  it('redact removes the spans', () => {
    expect(redactText(text, matches, { type: 'redact' })).toBe('Mail  or call .');
  });
  it('mask: chars_to_mask from the start or the end, with a masking character', () => {
    expect(maskPii('4111111111111111', 12, '#')).toBe('############1111');
    expect(maskPii('4111111111111111', 4, '*', true)).toBe('411111111111****');
    expect(maskPii('abc', 10)).toBe('***');
    expect(redactText(text, matches, { type: 'mask' })).toBe('Mail **************** or call **************.');
    expect(() => maskPii('abc', 1, '**')).toThrow(/one character/);
  });
  it('hash: SHA-256 of salt ‖ value, hex (FIPS 180-2 example: SHA-256("abc"))', () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(hashPii('abc', '')).toBe(abc);
    expect(hashPii('c', 'ab')).toBe(abc);
    expect(redactText(text, matches, { type: 'hash', salt: 's' })).toBe(
      `Mail ${createHash('sha256').update('sjane@example.com').digest('hex')} or call ${hashPii('(415) 555-0132', 's')}.`,
    );
  });
  it('encrypt → decrypt round-trips with a hex or base64 key; each encryption uses a fresh IV', () => {
    const key = randomBytes(32);
    for (const k of [key.toString('hex'), key.toString('base64'), key]) {
      const token = encryptPii('jane@example.com', k);
      expect(Buffer.from(token, 'base64').length).toBe(12 + 16 + 'jane@example.com'.length);
      expect(decryptPii(token, k)).toBe('jane@example.com');
    }
    expect(encryptPii('x', key)).not.toBe(encryptPii('x', key));
    const redacted = redactText(text, matches, { type: 'encrypt', key });
    const tokens = redacted.match(/[A-Za-z0-9+/]{20,}={0,2}/g) ?? [];
    expect(tokens.map((t) => decryptPii(t, key))).toEqual(['jane@example.com', '(415) 555-0132']);
  });
  it('a wrong key or a tampered token fails with a clear error; the key never appears in a message', () => {
    const key = randomBytes(32).toString('hex');
    const token = encryptPii('secret', key);
    expect(() => decryptPii(token, randomBytes(32))).toThrow(/key is wrong or the token was altered/);
    const bytes = Buffer.from(token, 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => decryptPii(bytes.toString('base64'), key)).toThrow(/key is wrong or the token was altered/);
    expect(() => decryptPii('not base64!', key)).toThrow(/not base64/);
    const short = key.slice(0, 40);
    expect(() => parsePiiKey(short)).toThrow(/32 bytes/);
    try {
      parsePiiKey(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
  it('redactText refuses overlapping matches', () => {
    const m = { entity: 'URL' as const, score: 1, text: 'ab' };
    expect(() =>
      redactText(
        'abcd',
        [
          { ...m, start: 0, end: 2 },
          { ...m, start: 1, end: 3 },
        ],
        { type: 'redact' },
      ),
    ).toThrow(/overlap/);
  });
});
