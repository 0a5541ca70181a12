import { bitcoinAddressValid, ibanValid, ipValid, luhnValid, ssnValid } from './checksums.js';
import { dateRecognizer } from './date-recognizer.js';
import { type PiiRecognizer, piiRegex as re } from './pii-recognizer.js';
import { emailRecognizer, urlRecognizer } from './web-recognizers.js';

export type { PiiEntity, PiiPattern, PiiRecognizer } from './pii-recognizer.js';
export { PII_ENTITIES } from './pii-recognizer.js';

const NOT_DIGIT_BEFORE = String.raw`(?<!\d[ -]?)(?<![\w.+-])`;
const NOT_DIGIT_AFTER = String.raw`(?![ -]?\d)(?!\w)`;

const phone: PiiRecognizer = {
  name: 'PhoneRecognizer',
  entity: 'PHONE_NUMBER',
  patterns: [
    {
      name: 'International (+CC)',
      regex: re(
        String.raw`(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){1,5}${NOT_DIGIT_AFTER}`,
      ),
      score: 0.4,
    },
    {
      name: 'US/NANP',
      regex: re(
        String.raw`${NOT_DIGIT_BEFORE}(?:1[ .-])?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}${NOT_DIGIT_AFTER}`,
      ),
      score: 0.4,
    },
    {
      name: 'UK national',
      regex: re(String.raw`${NOT_DIGIT_BEFORE}(?:\(0\d{2,4}\)|0\d{2,4}) ?\d{3,4} ?\d{3,4}${NOT_DIGIT_AFTER}`),
      score: 0.4,
    },
    {
      name: 'Ten digits (weak)',
      regex: re(String.raw`${NOT_DIGIT_BEFORE}[2-9]\d{9}${NOT_DIGIT_AFTER}`),
      score: 0.1,
    },
  ],
  context: ['phone', 'number', 'telephone', 'tel', 'cell', 'cellphone', 'mobile', 'call', 'fax', 'whatsapp'],
  negativeContext: ['order', 'invoice', 'ref', 'reference', 'tracking', 'ticket', 'serial', 'sku', 'isbn'],
  validate: (text) => {
    const digits = text.replace(/\D/g, '');
    if (text.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? undefined : false;
    if (/^\(?0/.test(text)) return digits.length === 10 || digits.length === 11 ? undefined : false;
    return undefined;
  },
};

const creditCard: PiiRecognizer = {
  name: 'CreditCardRecognizer',
  entity: 'CREDIT_CARD',
  patterns: [
    {
      name: 'All credit cards (weak)',
      regex: re(
        String.raw`${NOT_DIGIT_BEFORE}(?!1\d{12}(?!\d))(?:4\d{3}|5[0-5]\d{2}|6\d{3}|1\d{3}|3\d{3})[ -]?\d{3,4}[ -]?\d{3,4}[ -]?\d{3,5}${NOT_DIGIT_AFTER}`,
      ),
      score: 0.3,
    },
  ],
  context: ['credit', 'card', 'visa', 'mastercard', 'cc', 'amex', 'discover', 'jcb', 'diners', 'maestro'],
  validate: (text) => {
    const digits = text.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
  },
};

const iban: PiiRecognizer = {
  name: 'IbanRecognizer',
  entity: 'IBAN_CODE',
  patterns: [
    {
      name: 'IBAN generic',
      regex: re(
        String.raw`(?<![A-Z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?(?![A-Z0-9])`,
      ),
      score: 0.5,
    },
  ],
  context: ['iban', 'bank', 'transaction', 'account'],
  validate: ibanValid,
  shrinkOnInvalid: true,
};

const ssn: PiiRecognizer = {
  name: 'UsSsnRecognizer',
  entity: 'US_SSN',
  patterns: [
    { name: 'SSN1 (very weak)', regex: re(String.raw`\b\d{5}-\d{4}\b`), score: 0.05 },
    { name: 'SSN2 (very weak)', regex: re(String.raw`\b\d{3}-\d{6}\b`), score: 0.05 },
    {
      name: 'SSN4 (very weak)',
      regex: re(String.raw`${NOT_DIGIT_BEFORE}\d{9}${NOT_DIGIT_AFTER}`),
      score: 0.05,
    },
    {
      name: 'SSN5 (medium)',
      regex: re(String.raw`(?<![\d.-])\d{3}[- .]\d{2}[- .]\d{4}(?![\d-]|\.\d)`),
      score: 0.5,
    },
  ],
  context: ['social', 'security', 'ssn', 'ssns', 'ssid'],
  negativeContext: [
    'order',
    'invoice',
    'ref',
    'reference',
    'tracking',
    'ticket',
    'serial',
    'sku',
    'isbn',
    'zip',
  ],
  validate: (text) => (ssnValid(text) ? undefined : false),
};

const IPV4 = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}`;
const ip: PiiRecognizer = {
  name: 'IpRecognizer',
  entity: 'IP_ADDRESS',
  patterns: [
    { name: 'IPv4', regex: re(String.raw`(?<![\w.])${IPV4}(?!\.?\w)`), score: 0.6 },
    {
      name: 'IPv6',
      regex: re(String.raw`(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|${IPV4})?(?![\w:])`),
      score: 0.6,
    },
  ],
  context: ['ip', 'ipv4', 'ipv6', 'address', 'host', 'server'],
  negativeContext: ['version', 'ver', 'v', 'release', 'build', 'firmware', 'oid'],
  validate: (text) => {
    if (!ipValid(text)) return false;
    return text.includes(':') && text.replace(/[^:]/g, '').length < 2 ? false : undefined;
  },
};

const crypto: PiiRecognizer = {
  name: 'CryptoRecognizer',
  entity: 'CRYPTO',
  patterns: [
    {
      name: 'Bitcoin (medium)',
      regex: re(String.raw`(?<![\w])(?:bc1[ac-hj-np-z02-9]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})(?!\w)`),
      score: 0.5,
    },
  ],
  context: ['wallet', 'btc', 'bitcoin', 'crypto'],
  validate: bitcoinAddressValid,
};

/**
 * The default recognizers: Presidio's global pattern recognizers (email, phone, credit card, IBAN,
 * US SSN, IP, URL, date, crypto) with their base scores and context words. PERSON comes from
 * `personMatches` (context words, no NER model).
 */
export const PII_RECOGNIZERS: readonly PiiRecognizer[] = [
  emailRecognizer,
  phone,
  creditCard,
  iban,
  ssn,
  ip,
  urlRecognizer,
  dateRecognizer,
  crypto,
];
