/** steward/privacy: DP mechanisms and statistics, the RDP accountant and budget ledger, DP-SGD, membership inference and PII. */
export * from './accountant/index.js';
export * from './dp-sgd/index.js';
export * from './mechanisms/index.js';
export * from './membership/index.js';
export * from './pii/index.js';
