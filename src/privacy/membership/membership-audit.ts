import {
  empiricalEpsilonLowerBound,
  type HeldOutEpsilonOptions,
  heldOutEpsilonLowerBound,
} from './epsilon-lower-bound.js';
import {
  downsampleMembershipRoc,
  type MembershipLabels,
  membershipAdvantage,
  membershipAuc,
  membershipRocCurve,
  type RocPoint,
  tprAtFpr,
} from './membership-roc.js';

/** Yeom et al.'s single-threshold attack: "member" when the loss is <= the mean training loss. */
export interface YeomThresholdResult {
  /** The threshold: mean loss over the members (training rows). */
  lossThreshold: number;
  /** Fraction of members with loss <= the threshold. */
  tpr: number;
  /** Fraction of non-members with loss <= the threshold. */
  fpr: number;
  /** tpr − fpr (Yeom et al. 2018, Definition 4). */
  advantage: number;
}

/** The plain, JSON-serialisable summary of one membership-inference attack, read by the report. */
export interface MembershipAuditResult {
  /** Which attack produced the scores ('loss-threshold', 'lira-offline', 'lira-online', ...). */
  attack: string;
  /** ROC AUC (Mann–Whitney). */
  auc: number;
  /** Largest TPR with FPR <= 1%. */
  tprAt1PctFpr: number;
  /** Largest TPR with FPR <= 0.1%. */
  tprAt01PctFpr: number;
  /** max over thresholds of TPR − FPR. */
  advantage: number;
  /** Empirical ε lower bound (Clopper–Pearson, Nasr et al. 2021), maximised over all thresholds. */
  epsilonLowerBound: number;
  /** The same bound with the threshold chosen on a seeded half and evaluated on the other half (valid at `confidence`). */
  epsilonLowerBoundHeldOut: number;
  /** δ used for the ε lower bound. */
  delta: number;
  /** Confidence of each Clopper–Pearson interval. */
  confidence: number;
  /** Number of member examples scored. */
  members: number;
  /** Number of non-member examples scored. */
  nonMembers: number;
  /** At most 200 ROC points, log-spaced in FPR (for a log-log chart); FPR = 0 points left out. */
  roc: RocPoint[];
  /** Yeom et al.'s mean-training-loss threshold (loss attack only). */
  yeom?: YeomThresholdResult;
  /** LiRA only: the number of shadow models K and how their variance was estimated. */
  shadow?: { models: number; variance: 'global' | 'per-example' };
  /** Things a reader must know (too few non-members for a TPR at 0.1% FPR, ...). */
  warnings: string[];
}

/** Options of `membershipAuditSummary`. */
export interface MembershipAuditOptions extends HeldOutEpsilonOptions {
  /** Most ROC points kept for the chart. Default 200. */
  maxRocPoints?: number;
}

/**
 * Summarises membership scores (higher = "more likely a member") into a `MembershipAuditResult`: exact ROC,
 * AUC, TPR at 1% and 0.1% FPR (Carlini et al. 2022), advantage (Yeom et al. 2018) and the empirical ε lower
 * bound (Nasr et al. 2021 with Clopper–Pearson intervals).
 */
export function membershipAuditSummary(
  attack: string,
  scores: ArrayLike<number>,
  isMember: MembershipLabels,
  options: MembershipAuditOptions = {},
): MembershipAuditResult {
  const roc = membershipRocCurve(scores, isMember);
  const bound = empiricalEpsilonLowerBound(roc, options);
  const heldOut =
    roc.members >= 2 && roc.nonMembers >= 2 ? heldOutEpsilonLowerBound(scores, isMember, options).epsilon : 0;
  const warnings: string[] = [];
  for (const target of [0.01, 0.001]) {
    if (roc.nonMembers * target < 1) {
      warnings.push(
        `Only ${roc.nonMembers} non-members: the TPR at ${target * 100}% FPR is the TPR at FPR 0 (at least ${Math.ceil(1 / target)} non-members are needed to resolve it).`,
      );
    }
  }
  return {
    attack,
    auc: membershipAuc(roc),
    tprAt1PctFpr: tprAtFpr(roc, 0.01),
    tprAt01PctFpr: tprAtFpr(roc, 0.001),
    advantage: membershipAdvantage(roc),
    epsilonLowerBound: bound.epsilon,
    epsilonLowerBoundHeldOut: heldOut,
    delta: bound.delta,
    confidence: bound.confidence,
    members: roc.members,
    nonMembers: roc.nonMembers,
    roc: downsampleMembershipRoc(roc, options.maxRocPoints ?? 200),
    warnings,
  };
}
