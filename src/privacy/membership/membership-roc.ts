import { checkNumber, DataValidationError, InvalidParameterError } from '../../core/index.js';
import { rocCounts } from '../../models/index.js';

/**
 * The exact ROC curve of a membership score: point k predicts "member" for every example whose score is
 * >= thresholds[k]. Point 0 is (0, 0) at threshold +∞; the last is (1, 1). Tied scores form one point.
 */
export interface MembershipRoc {
  /** Number of members (positives). */
  readonly members: number;
  /** Number of non-members (negatives). */
  readonly nonMembers: number;
  /** Decision threshold of each point, decreasing; thresholds[0] = +Infinity. */
  readonly thresholds: Float64Array;
  /** Members with score >= threshold at each point. */
  readonly truePositives: Float64Array;
  /** Non-members with score >= threshold at each point. */
  readonly falsePositives: Float64Array;
  /** True-positive rate TP / members at each point. */
  readonly tpr: Float64Array;
  /** False-positive rate FP / non-members at each point. */
  readonly fpr: Float64Array;
}

/** Membership labels: 1 (or true) for members, 0 (or false) for non-members. */
export type MembershipLabels = ArrayLike<number | boolean>;

/** Converts membership labels to 0/1 bytes, rejecting anything other than 0, 1, true or false. */
export function membershipFlags(isMember: MembershipLabels, owner: string): Uint8Array {
  const out = new Uint8Array(isMember.length);
  for (let i = 0; i < isMember.length; i++) {
    const v = isMember[i];
    if (v === true || v === 1) out[i] = 1;
    else if (!(v === false || v === 0)) {
      throw new DataValidationError(
        `The membership label of example ${i} given to ${owner} must be 0, 1, true or false. Got ${String(v)} instead.`,
      );
    }
  }
  return out;
}

/**
 * Builds the exact ROC curve of a membership-inference score (higher score = "more likely a member"),
 * sorting once and merging tied scores into one point, as scikit-learn's roc_curve with
 * drop_intermediate=False. Rejects NaN scores and a side (members or non-members) with no examples.
 */
export function membershipRocCurve(scores: ArrayLike<number>, isMember: MembershipLabels): MembershipRoc {
  if (scores.length !== isMember.length) {
    throw new InvalidParameterError(
      `The 'isMember' argument of membershipRocCurve must have one label per score (${scores.length}). Got ${isMember.length} instead.`,
    );
  }
  const flags = membershipFlags(isMember, 'membershipRocCurve');
  let members = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) {
      throw new DataValidationError(
        `The membership score of example ${i} is NaN. Every score must be a number.`,
      );
    }
    members += flags[i];
  }
  const nonMembers = scores.length - members;
  if (members === 0 || nonMembers === 0) {
    throw new DataValidationError(
      `membershipRocCurve needs at least one member and one non-member. Got ${members} members and ${nonMembers} non-members.`,
    );
  }
  const { thresholds, truePositives: tps, falsePositives: fps } = rocCounts(flags, scores);
  const truePositives = Float64Array.from(tps);
  const falsePositives = Float64Array.from(fps);
  return {
    members,
    nonMembers,
    thresholds: Float64Array.from(thresholds),
    truePositives,
    falsePositives,
    tpr: truePositives.map((t) => t / members),
    fpr: falsePositives.map((f) => f / nonMembers),
  };
}

/**
 * Area under the ROC curve by the trapezoid rule, which equals the Mann–Whitney statistic
 * U / (n₁ n₀) = P(score_member > score_non-member) + ½ P(tie) (Hanley & McNeil 1982).
 */
export function membershipAuc(roc: MembershipRoc): number {
  let twiceArea = 0;
  for (let k = 1; k < roc.tpr.length; k++) {
    twiceArea +=
      (roc.falsePositives[k] - roc.falsePositives[k - 1]) * (roc.truePositives[k] + roc.truePositives[k - 1]);
  }
  return twiceArea / (2 * roc.members * roc.nonMembers);
}

/**
 * TPR at a fixed FPR as Carlini et al. (2022, "Membership Inference Attacks From First Principles") report it:
 * the largest TPR over ROC points whose FPR is <= `maxFpr`.
 */
export function tprAtFpr(roc: MembershipRoc, maxFpr: number): number {
  checkNumber('tprAtFpr', 'maxFpr', maxFpr, (v) => v >= 0 && v <= 1, 'in [0, 1]');
  let best = 0;
  for (let k = 0; k < roc.fpr.length; k++) if (roc.fpr[k] <= maxFpr && roc.tpr[k] > best) best = roc.tpr[k];
  return best;
}

/**
 * The membership advantage of the best threshold, max_t (TPR(t) − FPR(t)) (Yeom et al. 2018, Definition 4,
 * Adv = Pr[A = 1 | member] − Pr[A = 1 | non-member]); 0 for a useless attack.
 */
export function membershipAdvantage(roc: MembershipRoc): number {
  let best = 0;
  for (let k = 0; k < roc.tpr.length; k++) best = Math.max(best, roc.tpr[k] - roc.fpr[k]);
  return best;
}

/** One point of a downsampled ROC curve. */
export interface RocPoint {
  /** False-positive rate. */
  fpr: number;
  /** True-positive rate. */
  tpr: number;
}

/**
 * At most `maxPoints` ROC points for a log-log chart: for FPR targets log-spaced from 1/nonMembers to 1,
 * the corner of the staircase with the largest FPR <= the target (so TPR is the best at that FPR).
 * Points with FPR = 0 are left out (a log axis cannot show them); (1, 1) is always the last point.
 */
export function downsampleMembershipRoc(roc: MembershipRoc, maxPoints = 200): RocPoint[] {
  checkNumber(
    'downsampleMembershipRoc',
    'maxPoints',
    maxPoints,
    (v) => Number.isInteger(v) && v >= 2,
    'an integer >= 2',
  );
  const points: RocPoint[] = [];
  const logMin = Math.log(1 / roc.nonMembers);
  let k = 0;
  let lastIndex = -1;
  for (let j = 0; j < maxPoints; j++) {
    const target = j === maxPoints - 1 ? 1 : Math.exp(logMin * (1 - j / (maxPoints - 1)));
    // Walk to the last point with FPR <= target (FPR is non-decreasing along the curve).
    while (k + 1 < roc.fpr.length && roc.fpr[k + 1] <= target * (1 + 1e-12)) k++;
    if (k !== lastIndex && roc.fpr[k] > 0) {
      points.push({ fpr: roc.fpr[k], tpr: roc.tpr[k] });
      lastIndex = k;
    }
  }
  return points;
}
