/** steward/explain/global: mean |SHAP| importance, permutation importance and partial dependence over original columns. */
export * from './mean-abs-shap.js';
export * from './partial-dependence.js';
export type { GridMethod } from './partial-dependence-grid.js';
export * from './permutation-importance.js';
