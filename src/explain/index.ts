/** steward/explain: SHAP (exact linear, kernel, permutation) at the level of original columns, global views, reason codes and counterfactuals. */
export * from './counterfactuals/index.js';
export * from './explainable-model.js';
export * from './global/index.js';
export * from './reasons/index.js';
export * from './shap/index.js';
export * from './shap-result.js';
