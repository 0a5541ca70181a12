/** steward/fairness mitigation reductions: ExponentiatedGradient and GridSearch (Agarwal et al. 2018). */
export * from './exponentiated-gradient.js';
export * from './grid-search.js';
export type { GapResult, LagrangianValue, ReductionPredictor } from './lagrangian.js';
export {
  type ConstraintCell,
  DemographicParity,
  EqualizedOdds,
  ErrorRateParity,
  type LoadedMoment,
  ParityConstraint,
  type ParityConstraintName,
  type ParityConstraintOptions,
  parityConstraint,
  TruePositiveRateParity,
} from './moments.js';
export { RandomizedClassifier } from './randomized-classifier.js';
