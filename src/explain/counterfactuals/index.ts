/** steward/explain/counterfactuals: DiCE-style counterfactual explanations over the original columns. */
export * from './counterfactual-metrics.js';
export * from './counterfactuals.js';
export type { CounterfactualConstraints } from './feature-domains.js';
