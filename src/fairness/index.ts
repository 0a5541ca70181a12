/** steward/fairness: one disaggregation engine (SQL or typed arrays) and every group metric derived from it. */
export * from './aif360-metrics.js';
export * from './audit-json.js';
export * from './consistency.js';
export * from './count-cells.js';
export * from './count-cells-checks.js';
export * from './count-cells-sql.js';
export * from './dataset-metrics.js';
export * from './entropy-indices.js';
export * from './fairlearn-metrics.js';
export * from './fairness-audit.js';
export * from './group-counts.js';
export * from './group-metrics.js';
export * from './privileged.js';
export * from './sql-dialect.js';
export * from './zero-division.js';
