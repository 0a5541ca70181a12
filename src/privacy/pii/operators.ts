import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { InvalidParameterError } from '../../core/index.js';
import type { PiiMatch } from './analyzer.js';
import type { PiiEntity } from './recognizers.js';

/** The anonymization operators (Presidio's replace, redact, mask, hash and encrypt). */
export type PiiOperatorName = 'replace' | 'redact' | 'mask' | 'hash' | 'encrypt';

/** All operator names. */
export const PII_OPERATORS: readonly PiiOperatorName[] = ['replace', 'redact', 'mask', 'hash', 'encrypt'];

/** How to transform each matched span. */
export type PiiOperator =
  | { type: 'replace'; newValue?: string | Partial<Record<PiiEntity, string>> }
  | { type: 'redact' }
  | { type: 'mask'; charsToMask?: number; maskingChar?: string; fromEnd?: boolean }
  | { type: 'hash'; salt: string | Uint8Array }
  | { type: 'encrypt'; key: string | Uint8Array };

/**
 * Parses an AES-256 key given as 64 hex characters, as base64 of 32 bytes, or as 32 raw bytes.
 * The key itself never appears in an error message.
 */
export function parsePiiKey(key: string | Uint8Array): Buffer {
  if (typeof key !== 'string') {
    if (key.length === 32) return Buffer.from(key);
    throw new InvalidParameterError(
      `The encryption key must be 32 bytes long. Got ${key.length} bytes instead.`,
    );
  }
  const k = key.trim();
  if (/^[0-9a-fA-F]{64}$/.test(k)) return Buffer.from(k, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(k)) {
    const b = Buffer.from(k, 'base64');
    if (b.length === 32) return b;
  }
  throw new InvalidParameterError(
    `The encryption key must be 32 bytes given as 64 hex characters or as base64 (44 characters). Got a value of ${k.length} characters instead (not shown).`,
  );
}

/**
 * Encrypts a value with AES-256-GCM (NIST SP 800-38D) under a fresh random 12-byte IV; returns
 * base64(iv ‖ 16-byte tag ‖ ciphertext). Reversible with `decryptPii` and the same key.
 */
export function encryptPii(value: string, key: string | Uint8Array): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', parsePiiKey(key), iv);
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** Reverses `encryptPii`; a wrong key or an altered token fails the GCM tag check with a clear error. */
export function decryptPii(token: string, key: string | Uint8Array): string {
  const k = parsePiiKey(key);
  const bytes = Buffer.from(token, 'base64');
  if (bytes.length < 28 || bytes.toString('base64') !== token.trim()) {
    throw new InvalidParameterError(
      'The token to decrypt is not base64 of iv|tag|ciphertext (at least 28 bytes), as encryptPii writes it.',
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', k, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new InvalidParameterError(
      'The token could not be decrypted: the key is wrong or the token was altered (AES-GCM tag check failed).',
    );
  }
}

/** SHA-256 of salt ‖ value (UTF-8), as 64 hex characters. */
export function hashPii(value: string, salt: string | Uint8Array): string {
  return createHash('sha256').update(salt).update(value, 'utf8').digest('hex');
}

/** Masks `charsToMask` characters (default all) from the start, or from the end, with `maskingChar`. */
export function maskPii(
  value: string,
  charsToMask = value.length,
  maskingChar = '*',
  fromEnd = false,
): string {
  if (!Number.isInteger(charsToMask) || charsToMask < 0) {
    throw new InvalidParameterError(
      `The 'charsToMask' option of mask must be an integer ≥ 0. Got ${charsToMask} instead.`,
    );
  }
  if ([...maskingChar].length !== 1) {
    throw new InvalidParameterError(
      `The 'maskingChar' option of mask must be one character. Got '${maskingChar}' instead.`,
    );
  }
  const n = Math.min(charsToMask, value.length);
  return fromEnd
    ? value.slice(0, value.length - n) + maskingChar.repeat(n)
    : maskingChar.repeat(n) + value.slice(n);
}

/** The replacement text of one match under an operator. */
export function applyPiiOperator(match: Pick<PiiMatch, 'entity' | 'text'>, operator: PiiOperator): string {
  switch (operator.type) {
    case 'replace': {
      const v = operator.newValue;
      if (typeof v === 'string') return v;
      return v?.[match.entity] ?? `<${match.entity}>`;
    }
    case 'redact':
      return '';
    case 'mask':
      return maskPii(match.text, operator.charsToMask, operator.maskingChar, operator.fromEnd);
    case 'hash':
      return hashPii(match.text, operator.salt);
    case 'encrypt':
      return encryptPii(match.text, operator.key);
  }
}

/**
 * Applies an operator to the matched spans of a text, right to left so earlier offsets stay valid.
 * Overlapping matches must be resolved first (`scanText` does).
 */
export function redactText(text: string, matches: readonly PiiMatch[], operator: PiiOperator): string {
  const ordered = [...matches].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const m of ordered) {
    if (m.end > limit) {
      throw new InvalidParameterError(
        'The matches given to redactText overlap. Resolve them with resolvePiiOverlaps first.',
      );
    }
    out = out.slice(0, m.start) + applyPiiOperator(m, operator) + out.slice(m.end);
    limit = m.start;
  }
  return out;
}
