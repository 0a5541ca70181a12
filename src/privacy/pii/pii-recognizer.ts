/** The entity types Steward detects (Presidio's names). */
export type PiiEntity =
  | 'EMAIL_ADDRESS'
  | 'PHONE_NUMBER'
  | 'CREDIT_CARD'
  | 'IBAN_CODE'
  | 'US_SSN'
  | 'IP_ADDRESS'
  | 'URL'
  | 'DATE_TIME'
  | 'CRYPTO'
  | 'PERSON';

/** Every entity type, in a stable order. */
export const PII_ENTITIES: readonly PiiEntity[] = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
  'URL',
  'DATE_TIME',
  'CRYPTO',
  'PERSON',
];

/** One regular expression of a recognizer and the score a bare match gets. */
export interface PiiPattern {
  /** Pattern name, for explanations. */
  name: string;
  /** The expression (compiled with the `g` flag added when missing). */
  regex: RegExp;
  /** Score of a match before validation and context (Presidio's pattern score). */
  score: number;
}

/**
 * A pattern recognizer in the manner of Presidio's `PatternRecognizer`: regexes with base scores,
 * context words that boost a match, and an optional validation (true → score 1.0, false → dropped,
 * undefined → the pattern's score stays).
 */
export interface PiiRecognizer {
  /** Recognizer name. */
  name: string;
  /** Entity type it reports. */
  entity: PiiEntity;
  /** Its patterns. */
  patterns: PiiPattern[];
  /** Lower-case words that, in the few tokens before a match, raise its score. */
  context: string[];
  /** Checks the matched text: true → score 1.0, false → dropped, undefined → score unchanged. */
  validate?: (text: string) => boolean | undefined;
  /**
   * Words that, in the tokens before a match and with no `context` word there, drop it (Steward's
   * addition: "version 1.2.3.4" is not an IP address).
   */
  negativeContext?: string[];
  /** When validation fails, retry with the trailing space- or dash-separated group cut off (IBAN). */
  shrinkOnInvalid?: boolean;
}

/** Compiles a pattern source with the global flag (and `flags`). */
export const piiRegex = (source: string, flags = '') => new RegExp(source, `${flags}g`);
