/** steward/models: estimators (logistic regression, MLP), their optimisers, parallel gradients and metrics. */
export * from './adam.js';
export * from './estimator-input.js';
export * from './gradient-kernels.js';
export * from './gradient-pool.js';
export * from './lbfgs.js';
export * from './line-search.js';
export * from './logistic-regression.js';
export * from './metrics.js';
export * from './mlp-classifier.js';
export * from './mlp-parameters.js';
export * from './newton.js';
export * from './sparse-rows.js';
export * from './validation-split.js';
