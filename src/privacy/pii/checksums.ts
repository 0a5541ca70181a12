import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Luhn (mod-10) check of a digit string (ISO/IEC 7812-1, Annex B): from the right, every second
 * digit is doubled (minus 9 when above 9); the sum of all digits must be ≡ 0 (mod 10).
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** IBAN length per country (ISO 13616 / SWIFT IBAN registry). */
// biome-ignore format: a table reads better packed
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18,
  SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22,
  VG: 24, XK: 20,
};

/**
 * ISO 7064 MOD 97-10 check of an IBAN (ISO 13616-1): move the first four characters to the end,
 * replace letters by 10..35, and the number must be ≡ 1 (mod 97). Also checks the country's length.
 * Spaces and dashes are ignored.
 */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/[\s-]/g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length === undefined || iban.length !== length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const n = code <= 57 ? code - 48 : code - 55;
    remainder = n >= 10 ? (remainder * 100 + n) % 97 : (remainder * 10 + n) % 97;
  }
  return remainder === 1;
}

/**
 * US SSN validity (SSA rules, as Presidio's UsSsnRecognizer plus the 9xx rule): one kind of
 * delimiter, not all one digit, area not 000/666/9xx, group not 00, serial not 0000, and not a
 * published sample (123-45-6789, 987-65-432x, 078-05-1120).
 */
export function ssnValid(value: string): boolean {
  const delimiters = new Set(value.replace(/\d/g, ''));
  if (delimiters.size > 1) return false;
  const d = value.replace(/\D/g, '');
  if (d.length !== 9) return false;
  if (/^(\d)\1{8}$/.test(d)) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  return !['123456789', '98765432', '078051120'].some((s) => d.startsWith(s));
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Decodes a Base58 string to bytes (leading '1's are zero bytes); undefined on a bad character. */
export function base58Decode(text: string): Uint8Array | undefined {
  let n = 0n;
  for (const ch of text) {
    const v = BASE58.indexOf(ch);
    if (v < 0) return undefined;
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  const zeros = /^1*/.exec(text)?.[0].length ?? 0;
  return Uint8Array.from([...new Array(zeros).fill(0), ...bytes]);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

/**
 * Base58Check validity of a legacy Bitcoin address (P2PKH '1…', P2SH '3…'): 25 bytes whose last
 * four are the first four of SHA-256(SHA-256(first 21)), version byte 0x00 or 0x05.
 */
export function base58CheckValid(address: string): boolean {
  const bytes = base58Decode(address);
  if (bytes === undefined || bytes.length !== 25) return false;
  if (bytes[0] !== 0x00 && bytes[0] !== 0x05) return false;
  const check = sha256(sha256(bytes.subarray(0, 21)));
  return check.subarray(0, 4).equals(Buffer.from(bytes.subarray(21)));
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32M_CONST = 0x2bc830a3;

function bech32Polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ gen[i]) >>> 0;
  }
  return chk;
}

/**
 * Bech32/Bech32m validity of a SegWit Bitcoin address (BIP 173, BIP 350): one case, 'bc' prefix,
 * the polymod checksum equal to 1 (witness v0) or 0x2bc830a3 (v1+), and a 2-40 byte program
 * (20 or 32 bytes for v0).
 */
export function bech32AddressValid(address: string): boolean {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
  const a = address.toLowerCase();
  const sep = a.lastIndexOf('1');
  if (sep < 1 || sep + 7 > a.length || a.length > 90) return false;
  const hrp = a.slice(0, sep);
  if (hrp !== 'bc') return false;
  const data: number[] = [];
  for (const ch of a.slice(sep + 1)) {
    const v = BECH32_CHARSET.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...hrp].map((c) => c.charCodeAt(0) & 31));
  const constant = bech32Polymod([...expanded, ...data]);
  const version = data[0];
  if (version > 16) return false;
  if (constant !== (version === 0 ? 1 : BECH32M_CONST)) return false;
  // Regroup the 5-bit program into bytes; leftover bits must be fewer than 5 and zero.
  let acc = 0;
  let bits = 0;
  let bytes = 0;
  for (const v of data.slice(1, -6)) {
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes++;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits >= 5 || acc !== 0) return false;
  if (bytes < 2 || bytes > 40) return false;
  return version !== 0 || bytes === 20 || bytes === 32;
}

/** A Bitcoin address with a valid checksum: Base58Check ('1…', '3…') or Bech32/Bech32m ('bc1…'). */
export function bitcoinAddressValid(address: string): boolean {
  return /^bc1/i.test(address) ? bech32AddressValid(address) : base58CheckValid(address);
}

/** A syntactically valid IPv4 (dotted quad) or IPv6 address, as Node's `net.isIP` parses it. */
export function ipValid(address: string): boolean {
  return isIPv4(address) || isIPv6(address);
}
