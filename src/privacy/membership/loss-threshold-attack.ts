import type { BinaryClassifier } from '../../core/index.js';
import { checkLabelledRows, exampleLogLosses, type LabelledRows } from './example-confidence.js';
import {
  type MembershipAuditOptions,
  type MembershipAuditResult,
  membershipAuditSummary,
} from './membership-audit.js';

/** Options of `lossThresholdAttack`. */
export interface LossThresholdAttackOptions extends MembershipAuditOptions {
  /** The fitted target model. */
  model: BinaryClassifier;
  /** Rows the model was trained on. */
  members: LabelledRows;
  /** Rows from the same distribution that it was not trained on. */
  nonMembers: LabelledRows;
}

/** Scores and summary of a membership-inference attack. */
export interface MembershipAttackOutput {
  /** The JSON-serialisable summary for the report. */
  audit: MembershipAuditResult;
  /** Membership score per example (higher = more likely a member). */
  scores: Float64Array;
  /** 1 for members, 0 for non-members, aligned with `scores`. */
  isMember: Uint8Array;
}

/**
 * The loss-threshold membership attack of Yeom et al. (2018, "Privacy Risk in Machine Learning: Analyzing
 * the Connection to Overfitting", Section 3.2): score = −ℓ(x, y), ℓ the per-example log-loss of the target
 * model, so every threshold τ gives the attack "member iff ℓ <= τ"; the whole ROC is summarised. Also
 * reports Yeom's own single threshold, τ = the mean training loss, and its advantage TPR − FPR.
 * Scores list the members first, then the non-members.
 */
export async function lossThresholdAttack(
  options: LossThresholdAttackOptions,
): Promise<MembershipAttackOutput> {
  const { model, members, nonMembers, ...summaryOptions } = options;
  checkLabelledRows(members, 'lossThresholdAttack', 'members');
  checkLabelledRows(nonMembers, 'lossThresholdAttack', 'nonMembers');
  const memberLoss = exampleLogLosses(await model.predictProba(members.X), members.y);
  const nonMemberLoss = exampleLogLosses(await model.predictProba(nonMembers.X), nonMembers.y);
  const scores = new Float64Array(memberLoss.length + nonMemberLoss.length);
  const isMember = new Uint8Array(scores.length);
  for (let i = 0; i < memberLoss.length; i++) {
    scores[i] = -memberLoss[i];
    isMember[i] = 1;
  }
  for (let i = 0; i < nonMemberLoss.length; i++) scores[memberLoss.length + i] = -nonMemberLoss[i];
  const audit = membershipAuditSummary('loss-threshold', scores, isMember, summaryOptions);
  let meanLoss = 0;
  for (const l of memberLoss) meanLoss += l;
  meanLoss /= Math.max(memberLoss.length, 1);
  const tpr = fractionAtMost(memberLoss, meanLoss);
  const fpr = fractionAtMost(nonMemberLoss, meanLoss);
  audit.yeom = { lossThreshold: meanLoss, tpr, fpr, advantage: tpr - fpr };
  return { audit, scores, isMember };
}

/** Fraction of `values` that are <= `limit`. */
function fractionAtMost(values: Float64Array, limit: number): number {
  let count = 0;
  for (const v of values) if (v <= limit) count++;
  return count / values.length;
}
