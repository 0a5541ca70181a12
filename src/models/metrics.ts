import { InvalidParameterError } from '../core/index.js';

/** Weighted-free confusion counts of 0/1 predictions against 0/1 labels. */
export interface ConfusionCounts {
  /** True positives. */
  tp: number;
  /** False positives. */
  fp: number;
  /** True negatives. */
  tn: number;
  /** False negatives. */
  fn: number;
}

/** The headline metrics of a binary classifier on one set of rows. */
export interface ClassificationMetrics {
  /** (TP + TN) / n. */
  accuracy: number;
  /** ½ (TPR + TNR), as scikit-learn's balanced_accuracy_score. */
  balancedAccuracy: number;
  /** TP / (TP + FP); 0 when nothing is predicted positive (scikit-learn's zero_division=0). */
  precision: number;
  /** TP / (TP + FN). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Area under the ROC curve (ties counted one half, as Mann-Whitney U). */
  rocAuc: number;
  /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
  logLoss: number;
  /** Mean squared error of the probability of the positive class. */
  brierScore: number;
}

/** Counts TP, FP, TN, FN. */
export function confusionCounts(yTrue: Uint8Array, yPred: Uint8Array): ConfusionCounts {
  checkSameLength(yTrue, yPred);
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    if (yPred[i] === 1) yTrue[i] === 1 ? c.tp++ : c.fp++;
    else yTrue[i] === 1 ? c.fn++ : c.tn++;
  }
  return c;
}

/** Thresholds `scores` at `threshold` (positive when score >= threshold). */
export function threshold(scores: Float64Array, at = 0.5): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] >= at ? 1 : 0;
  return out;
}

/** Cumulative counts behind an ROC curve, one entry per distinct threshold (decreasing). */
export interface RocCounts {
  /** Distinct thresholds, decreasing; thresholds[0] = +Infinity. */
  thresholds: number[];
  /** Positives (label 1) with score >= thresholds[k]. */
  truePositives: number[];
  /** Other rows with score >= thresholds[k]. */
  falsePositives: number[];
}

/**
 * The ROC sweep (Fawcett 2006, "An introduction to ROC analysis", Algorithm 1): sort the scores once in
 * decreasing order and count positives and negatives above each distinct score, tied scores forming one
 * point, from (0, 0) at +∞ to (all negatives, all positives). The counts of scikit-learn's roc_curve with
 * drop_intermediate=False; the caller checks the lengths.
 */
export function rocCounts(yTrue: ArrayLike<number>, scores: ArrayLike<number>): RocCounts {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const thresholds = [Number.POSITIVE_INFINITY];
  const truePositives = [0];
  const falsePositives = [0];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (yTrue[i] === 1) tp++;
    else fp++;
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) {
      thresholds.push(scores[i]);
      truePositives.push(tp);
      falsePositives.push(fp);
    }
  }
  return { thresholds, truePositives, falsePositives };
}

/**
 * ROC curve over every distinct score (scikit-learn's roc_curve with drop_intermediate=False):
 * points (FPR, TPR) from (0, 0) to (1, 1), one per distinct threshold in decreasing order.
 */
export function rocCurve(
  yTrue: Uint8Array,
  scores: Float64Array,
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  checkSameLength(yTrue, scores);
  let pos = 0;
  for (let i = 0; i < yTrue.length; i++) pos += yTrue[i];
  const neg = yTrue.length - pos;
  const { thresholds, truePositives, falsePositives } = rocCounts(yTrue, scores);
  return {
    // Point 0 is (0, 0) even when a class is absent; the other points are NaN on that axis then.
    fpr: falsePositives.map((fp, k) => (k === 0 ? 0 : neg > 0 ? fp / neg : Number.NaN)),
    tpr: truePositives.map((tp, k) => (k === 0 ? 0 : pos > 0 ? tp / pos : Number.NaN)),
    thresholds,
  };
}

/** ROC AUC by the trapezoid rule over `rocCurve` (equals the Mann-Whitney U statistic / (n₊ n₋)). */
export function rocAuc(yTrue: Uint8Array, scores: Float64Array): number {
  const { fpr, tpr } = rocCurve(yTrue, scores);
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  return area;
}

/** Mean log-loss −(1/n) Σ [y log p + (1 − y) log(1 − p)], p clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(yTrue: Uint8Array, proba: Float64Array): number {
  checkSameLength(yTrue, proba);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(Math.max(proba[i], 1e-15), 1 - 1e-15);
    s -= yTrue[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return s / yTrue.length;
}

/** The headline metrics at a decision threshold (default 0.5). */
export function classificationMetrics(
  yTrue: Uint8Array,
  proba: Float64Array,
  at = 0.5,
): ClassificationMetrics {
  const c = confusionCounts(yTrue, threshold(proba, at));
  const n = yTrue.length;
  const tpr = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
  const tnr = c.tn + c.fp > 0 ? c.tn / (c.tn + c.fp) : 0;
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0;
  let brier = 0;
  for (let i = 0; i < n; i++) brier += (proba[i] - yTrue[i]) ** 2;
  return {
    accuracy: (c.tp + c.tn) / n,
    balancedAccuracy: (tpr + tnr) / 2,
    precision,
    recall: tpr,
    f1: precision + tpr > 0 ? (2 * precision * tpr) / (precision + tpr) : 0,
    rocAuc: rocAuc(yTrue, proba),
    logLoss: logLoss(yTrue, proba),
    brierScore: brier / n,
  };
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new InvalidParameterError(
      `Labels and predictions must have the same length. Got ${a.length} and ${b.length} instead.`,
    );
  }
  if (a.length === 0) throw new InvalidParameterError('Metrics need at least one row. Got 0 rows instead.');
}
