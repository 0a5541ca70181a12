/** steward/privacy/pii: Presidio-style PII recognizers, anonymization operators and dataset scanning. */
export * from './analyzer.js';
export * from './checksums.js';
export * from './date-recognizer.js';
export * from './operators.js';
export * from './person.js';
export * from './pii-file.js';
export * from './recognizers.js';
export * from './scan-columns.js';
export * from './web-recognizers.js';
