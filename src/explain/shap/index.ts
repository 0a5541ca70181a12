/** steward/explain/shap: exact linear SHAP, KernelSHAP (exact or sampled) and permutation SHAP over original columns. */
export { type CoalitionValues, coalitionValues } from './coalition-values.js';
export { KERNEL_EXACT_MAX_FEATURES, type KernelShapOptions, kernelShap } from './kernel-shap.js';
export { linearLayer, linearShap } from './linear-shap.js';
export { type PermutationShapOptions, permutationShap } from './permutation-shap.js';
export { EXACT_ADDITIVITY_TOLERANCE } from './shap-inputs.js';
export { chooseShapMethod, type ShapValuesOptions, shapValues } from './shap-values.js';
