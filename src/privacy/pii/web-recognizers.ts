import { type PiiRecognizer, piiRegex as re } from './pii-recognizer.js';

const COMMON_TLDS = new Set(
  (
    'com org net edu gov mil int info biz name pro aero coop museum mobi jobs travel app dev io ai ' +
    'xyz online site tech shop store blog cloud health bank email company digital agency media news ' +
    'solutions systems services network group global world today life live space website studio ' +
    'design consulting capital finance legal law clinic care dental hospital university school ' +
    'academy london berlin paris nyc tokyo'
  ).split(' '),
);
// Two-letter country codes that are more often file extensions when written without scheme or www.
const FILE_LIKE_CC = new Set(['md', 'py', 'sh', 'rs', 'pl', 'ps', 'cc', 'so', 'mk', 'ts', 'js', 'cs', 'gz']);

/** True when a host's last label is a known generic TLD or a two-letter country code. */
function knownTld(host: string): boolean {
  const tld = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
  return COMMON_TLDS.has(tld) || /^[a-z]{2}$/.test(tld) || /^xn--[a-z0-9-]+$/.test(tld);
}

const LOCAL = String.raw`[\w!#$%&'*+/=?^\x60{|}~-]`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?`;
/** Presidio's EmailRecognizer: a valid-looking address with a known top-level domain scores 1.0. */
export const emailRecognizer: PiiRecognizer = {
  name: 'EmailRecognizer',
  entity: 'EMAIL_ADDRESS',
  patterns: [
    {
      name: 'Email (medium)',
      regex: re(
        String.raw`(?<![\w.+-])${LOCAL}(?:(?:${LOCAL}|\.)*${LOCAL})?@${LABEL}(?:\.${LABEL})+(?![\w-])`,
        'u',
      ),
      score: 0.5,
    },
  ],
  context: ['email', 'mail'],
  validate: (text) => !text.includes('..') && knownTld(text.slice(text.indexOf('@') + 1)),
};

const TLD_ALTERNATION = '[a-z]{2,24}|xn--[a-z0-9-]+';
/** Presidio's UrlRecognizer: with a scheme 0.6, without 0.5; the host must end in a known TLD. */
export const urlRecognizer: PiiRecognizer = {
  name: 'UrlRecognizer',
  entity: 'URL',
  patterns: [
    {
      name: 'Standard URL',
      regex: re(
        String.raw`\bhttps?://(?:[a-z0-9-]+\.)+(?:${TLD_ALTERNATION})(?::\d{1,5})?(?:[/?#][^\s()<>"']*)?`,
        'i',
      ),
      score: 0.6,
    },
    {
      name: 'Non-schema URL',
      regex: re(
        String.raw`(?<![\w@.:/-])(?:www\d{0,3}\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${TLD_ALTERNATION})(?![\w@-])(?:/[^\s()<>"']*)?`,
        'i',
      ),
      score: 0.5,
    },
  ],
  context: ['url', 'website', 'link', 'site', 'web'],
  validate: (text) => {
    const host = text.replace(/^https?:\/\//i, '').split(/[/?#:]/)[0];
    if (!knownTld(host)) return false;
    const tld = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
    if (!/^(https?:\/\/|www)/i.test(text) && FILE_LIKE_CC.has(tld)) return false;
    return undefined;
  },
};
