import { checkInteger, checkNumber, DataValidationError, Rng } from '../../core/index.js';
import { clopperPearsonInterval } from './clopper-pearson.js';
import {
  type MembershipLabels,
  type MembershipRoc,
  membershipFlags,
  membershipRocCurve,
} from './membership-roc.js';

/** Options of `empiricalEpsilonLowerBound`. */
export interface EpsilonLowerBoundOptions {
  /** The δ of the (ε, δ) guarantee being audited, in [0, 1). Default 1e-5. */
  delta?: number;
  /** Confidence of each Clopper–Pearson interval, in (0, 1). Default 0.95. */
  confidence?: number;
}

/** The empirical ε lower bound and the ROC point that attains it. */
export interface EpsilonLowerBound {
  /** max(0, the largest bound over all thresholds). */
  epsilon: number;
  /** Threshold of the attaining point (+Infinity when no threshold gives a positive bound). */
  threshold: number;
  /** Clopper–Pearson upper bound on the FPR at that point. */
  fprUpper: number;
  /** Clopper–Pearson upper bound on the FNR at that point. */
  fnrUpper: number;
  /** The δ used. */
  delta: number;
  /** The confidence of each interval. */
  confidence: number;
  /** Which ratio attains it: '(1-δ-FPR)/FNR' or '(1-δ-FNR)/FPR' ('none' when the bound is 0). */
  ratio: EpsilonRatio;
}

/** The two likelihood-ratio forms of the (ε, δ)-DP hypothesis-testing bound. */
export type EpsilonRatio = '(1-δ-FPR)/FNR' | '(1-δ-FNR)/FPR' | 'none';

/**
 * Empirical lower bound on ε from a membership attack, as Nasr et al. (2021, "Adversary Instantiation:
 * Lower Bounds for Differentially Private Machine Learning", Section 3) compute it from the hypothesis-testing
 * view of (ε, δ)-DP (Kairouz, Oh & Viswanath 2015: FPR + e^ε·FNR ≥ 1 − δ and e^ε·FPR + FNR ≥ 1 − δ):
 *   ε_lb = max over thresholds of max( log((1 − δ − FPR_hi) / FNR_hi), log((1 − δ − FNR_hi) / FPR_hi) ),
 * where FPR_hi and FNR_hi are the upper ends of two-sided Clopper–Pearson intervals (Clopper & Pearson 1934)
 * on the false-positive and false-negative counts, as Jagielski et al. (2020, "Auditing Differentially
 * Private Machine Learning: How Private is Private SGD?", Algorithm 2) do. A term whose numerator is <= 0
 * gives no bound. The threshold is chosen after seeing the data (as in both papers), so the stated
 * confidence holds per threshold, not for the maximum.
 */
export function empiricalEpsilonLowerBound(
  roc: MembershipRoc,
  options: EpsilonLowerBoundOptions = {},
): EpsilonLowerBound {
  const delta = checkNumber(
    'empiricalEpsilonLowerBound',
    'delta',
    options.delta ?? 1e-5,
    (v) => v >= 0 && v < 1,
    'in [0, 1)',
  );
  const confidence = checkNumber(
    'empiricalEpsilonLowerBound',
    'confidence',
    options.confidence ?? 0.95,
    (v) => v > 0 && v < 1,
    'in (0, 1)',
  );
  const fprCache = new Map<number, number>();
  const fnrCache = new Map<number, number>();
  const upper = (cache: Map<number, number>, count: number, n: number): number => {
    let u = cache.get(count);
    if (u === undefined) {
      u = clopperPearsonInterval(count, n, confidence).upper;
      cache.set(count, u);
    }
    return u;
  };
  // Cheap upper bounds on each point's ε (the CP upper end is >= the rate and >= the upper end for a
  // count of 0, 1 − (α/2)^{1/n}): evaluate the exact bound in decreasing order of these and stop early.
  const alphaHalf = (1 - confidence) / 2;
  const floorFpr = 1 - alphaHalf ** (1 / roc.nonMembers);
  const floorFnr = 1 - alphaHalf ** (1 / roc.members);
  const n = roc.tpr.length;
  const cheap = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const fprLow = Math.max(roc.fpr[k], floorFpr);
    const fnrLow = Math.max(1 - roc.tpr[k], floorFnr);
    cheap[k] = Math.max(bound(1 - delta - fprLow, fnrLow), bound(1 - delta - fnrLow, fprLow));
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => cheap[b] - cheap[a] || a - b);
  let best: EpsilonLowerBound = {
    epsilon: 0,
    threshold: Number.POSITIVE_INFINITY,
    fprUpper: 1,
    fnrUpper: 1,
    delta,
    confidence,
    ratio: 'none',
  };
  for (const k of order) {
    if (!(cheap[k] > best.epsilon)) break;
    const fprUpper = upper(fprCache, roc.falsePositives[k], roc.nonMembers);
    const fnrUpper = upper(fnrCache, roc.members - roc.truePositives[k], roc.members);
    const first = bound(1 - delta - fprUpper, fnrUpper);
    const second = bound(1 - delta - fnrUpper, fprUpper);
    const epsilon = Math.max(first, second);
    if (epsilon > best.epsilon) {
      const ratio = first >= second ? '(1-δ-FPR)/FNR' : '(1-δ-FNR)/FPR';
      best = { epsilon, threshold: roc.thresholds[k], fprUpper, fnrUpper, delta, confidence, ratio };
    }
  }
  return best;
}

/** Options of `heldOutEpsilonLowerBound`. */
export interface HeldOutEpsilonOptions extends EpsilonLowerBoundOptions {
  /** Seed of the split into selection and evaluation halves. Default 0. */
  seed?: number;
}

/**
 * The ε lower bound with the threshold chosen on one half of the examples and the bound computed on the
 * other: a seeded split, stratified by membership; `empiricalEpsilonLowerBound` on the selection half fixes
 * the threshold and the ratio; the Clopper–Pearson upper ends of the evaluation half's FPR and FNR at that
 * threshold give the bound. Both ends hold together with probability >= `confidence` (each misses with
 * (1 − confidence)/2), so unlike the maximum over thresholds it is a valid bound at the stated confidence.
 */
export function heldOutEpsilonLowerBound(
  scores: ArrayLike<number>,
  isMember: MembershipLabels,
  options: HeldOutEpsilonOptions = {},
): EpsilonLowerBound {
  const seed = checkInteger('heldOutEpsilonLowerBound', 'seed', options.seed ?? 0, 0);
  const flags = membershipFlags(isMember, 'heldOutEpsilonLowerBound');
  const rng = new Rng(seed);
  const select: number[] = [];
  const evaluate: number[] = [];
  for (const side of [1, 0]) {
    const rows = Array.from(flags.keys()).filter((i) => flags[i] === side);
    if (rows.length < 2) {
      throw new DataValidationError(
        `heldOutEpsilonLowerBound needs at least 2 members and 2 non-members. Got ${rows.length} ${side === 1 ? 'members' : 'non-members'}.`,
      );
    }
    rng.shuffle(rows);
    const half = Math.floor(rows.length / 2);
    select.push(...rows.slice(0, half));
    evaluate.push(...rows.slice(half));
  }
  const pick = (idx: number[]) => ({ s: idx.map((i) => scores[i]), m: idx.map((i) => flags[i]) });
  const a = pick(select);
  const chosen = empiricalEpsilonLowerBound(membershipRocCurve(a.s, a.m), options);
  const b = pick(evaluate);
  let members = 0;
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < b.s.length; k++) {
    members += b.m[k];
    if (b.s[k] >= chosen.threshold) {
      if (b.m[k] === 1) tp++;
      else fp++;
    }
  }
  const nonMembers = b.s.length - members;
  const fprUpper = clopperPearsonInterval(fp, nonMembers, chosen.confidence).upper;
  const fnrUpper = clopperPearsonInterval(members - tp, members, chosen.confidence).upper;
  const { delta, ratio } = chosen;
  const value =
    ratio === '(1-δ-FPR)/FNR'
      ? bound(1 - delta - fprUpper, fnrUpper)
      : ratio === '(1-δ-FNR)/FPR'
        ? bound(1 - delta - fnrUpper, fprUpper)
        : 0;
  return { ...chosen, epsilon: Math.max(0, value), fprUpper, fnrUpper };
}

/** log(numerator / denominator), or −∞ when the numerator is not positive. */
function bound(numerator: number, denominator: number): number {
  return numerator > 0 ? Math.log(numerator / denominator) : Number.NEGATIVE_INFINITY;
}
