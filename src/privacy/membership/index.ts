/** steward/privacy/membership: membership-inference attacks (loss threshold, LiRA) and their audit metrics. */
export { type BinomialInterval, clopperPearsonInterval } from './clopper-pearson.js';
export {
  type EpsilonLowerBound,
  type EpsilonLowerBoundOptions,
  type EpsilonRatio,
  empiricalEpsilonLowerBound,
  type HeldOutEpsilonOptions,
  heldOutEpsilonLowerBound,
} from './epsilon-lower-bound.js';
export { exampleLogLosses, type LabelledRows, trueLabelLogits } from './example-confidence.js';
export { inverseRegularizedIncompleteBeta, regularizedIncompleteBeta } from './incomplete-beta.js';
export {
  type LikelihoodRatioAttackOptions,
  likelihoodRatioAttack,
  type ShadowTrainer,
} from './likelihood-ratio-attack.js';
export {
  type LossThresholdAttackOptions,
  lossThresholdAttack,
  type MembershipAttackOutput,
} from './loss-threshold-attack.js';
export {
  type MembershipAuditOptions,
  type MembershipAuditResult,
  membershipAuditSummary,
  type YeomThresholdResult,
} from './membership-audit.js';
export {
  downsampleMembershipRoc,
  type MembershipLabels,
  type MembershipRoc,
  membershipAdvantage,
  membershipAuc,
  membershipRocCurve,
  type RocPoint,
  tprAtFpr,
} from './membership-roc.js';
