/** steward/fairness mitigation: pre-, in- and post-processing bias mitigation with guard rails. */

export * from './calibrated-eq-odds.js';
export * from './correlation-remover.js';
export * from './disparate-impact-remover.js';
export * from './eq-odds.js';
export * from './mitigation-result.js';
export * from './reductions/index.js';
export * from './reject-option.js';
export type { RocMetric } from './reject-option-search.js';
export * from './resampling.js';
export * from './reweighing.js';
export * from './threshold-optimizer.js';
export type { GroupMembership } from './threshold-optimizer-input.js';
