import { describe, expect, it } from 'vitest';
import {
  base58CheckValid,
  bech32AddressValid,
  bitcoinAddressValid,
  ibanValid,
  ipValid,
  luhnValid,
  ssnValid,
} from './checksums.js';

describe('luhnValid (ISO/IEC 7812-1)', () => {
  it('accepts the Wikipedia example and test card numbers, rejects one changed digit', () => {
    expect(luhnValid('79927398713')).toBe(true); // Wikipedia "Luhn algorithm" worked example
    expect(luhnValid('79927398710')).toBe(false);
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) {
      expect(luhnValid(n), n).toBe(true);
      expect(luhnValid(n.slice(0, -1) + ((Number(n.at(-1)) + 1) % 10)), n).toBe(false);
    }
    expect(luhnValid('4111 1111')).toBe(false);
  });
});

describe('ibanValid (ISO 13616, mod 97-10)', () => {
  it('accepts published example IBANs, with or without spaces', () => {
    for (const v of [
      'DE89370400440532013000',
      'GB82WEST12345698765432',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
      'BE68539007547034',
      'DE89 3704 0044 0532 0130 00',
    ]) {
      expect(ibanValid(v), v).toBe(true);
    }
  });
  it('rejects a wrong check digit, a wrong length for the country, an unknown country and lower case', () => {
    expect(ibanValid('GB82WEST12345698765431')).toBe(false);
    expect(ibanValid('DE88370400440532013000')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false); // 21 characters; Germany has 22
    expect(ibanValid('XX89370400440532013000')).toBe(false);
    expect(ibanValid('gb82west12345698765432')).toBe(false);
  });
});

describe('ssnValid (SSA rules as in Presidio UsSsnRecognizer, plus no 9xx area)', () => {
  it('accepts well-formed numbers in any one delimiter style', () => {
    for (const v of ['536-22-1456', '536 22 1456', '536.22.1456', '536221456'])
      expect(ssnValid(v), v).toBe(true);
  });
  it('rejects area 000/666/9xx, group 00, serial 0000, samples, one repeated digit and mixed delimiters', () => {
    for (const v of [
      '000-22-1456',
      '666-22-1456',
      '912-22-1456',
      '536-00-1456',
      '536-22-0000',
      '123-45-6789',
      '078-05-1120',
      '987-65-4320',
      '111-11-1111',
      '536-22 1456',
    ]) {
      expect(ssnValid(v), v).toBe(false);
    }
  });
});

describe('Bitcoin addresses', () => {
  it('Base58Check: accepts P2PKH and P2SH examples, rejects one changed character', () => {
    expect(base58CheckValid('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe(true); // genesis block address
    expect(base58CheckValid('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe(true); // Bitcoin wiki P2SH example
    expect(base58CheckValid('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toBe(false);
    expect(base58CheckValid('1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a')).toBe(false); // '0' is not Base58
  });
  it('Bech32/Bech32m: BIP 173 and BIP 350 valid vectors pass, invalid ones fail', () => {
    for (const v of [
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
      'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ]) {
      expect(bech32AddressValid(v), v).toBe(true);
    }
    for (const v of [
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', // changed checksum character
      'bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', // mixed case
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', // v1 with a Bech32 (not Bech32m) checksum, BIP 350
      'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', // testnet prefix
    ]) {
      expect(bech32AddressValid(v), v).toBe(false);
    }
    expect(bitcoinAddressValid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(true);
    expect(bitcoinAddressValid('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe(true);
  });
});

describe('ipValid', () => {
  it('accepts IPv4 and IPv6 forms, rejects out-of-range octets and too many groups', () => {
    for (const v of [
      '192.168.0.1',
      '8.8.8.8',
      '::1',
      '2001:db8::1',
      'fe80::1ff:fe23:4567:890a',
      '::ffff:192.0.2.1',
    ]) {
      expect(ipValid(v), v).toBe(true);
    }
    for (const v of ['256.1.1.1', '1.2.3', '1:2:3:4:5:6:7:8:9', '2001:db8:::1'])
      expect(ipValid(v), v).toBe(false);
  });
});
