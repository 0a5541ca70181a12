import { checkInRange, checkInteger, InvalidParameterError, NotFittedError } from '../../core/index.js';
import { checkBinary, checkScoredRows, checkScores } from './reject-option-input.js';
import {
  linspace,
  type RocMetric,
  rocBalancedAccuracy,
  rocFairnessMetric,
  SortedGroupScores,
} from './reject-option-search.js';

/** Options of RejectOptionClassification; defaults are AIF360's. */
export interface RejectOptionOptions {
  /** Lowest classification threshold searched (default 0.01). */
  lowClassThreshold?: number;
  /** Highest classification threshold searched (default 0.99). */
  highClassThreshold?: number;
  /** Number of thresholds, evenly spaced (default 100). */
  numClassThresholds?: number;
  /** Number of ROC margins per threshold, evenly spaced in [0, min(t, 1 − t)] (default 50). */
  numRocMargins?: number;
  /** Fairness metric to bound (default 'statistical_parity_difference'). */
  metric?: RocMetric;
  /** Lower bound of the metric (default -0.05). */
  metricLower?: number;
  /** Upper bound of the metric (default 0.05). */
  metricUpper?: number;
}

/** What RejectOptionClassification chose, in plain JSON-serialisable form. */
export interface RejectOptionSummary {
  /** Chosen classification threshold t. */
  readonly classificationThreshold: number;
  /** Chosen ROC margin m: rows with t − m < s ≤ t + m are in the critical region. */
  readonly rocMargin: number;
  /** Balanced accuracy on the training rows at (t, m). */
  readonly balancedAccuracy: number;
  /** The bounded metric at (t, m). */
  readonly metricValue: number;
  /** False when no candidate satisfied the bound (then the candidate with the smallest |metric| is used). */
  readonly constraintMet: boolean;
  /** Number of (threshold, margin) candidates evaluated. */
  readonly candidates: number;
  /** Warnings a user must see. */
  readonly warnings: readonly string[];
}

const OWNER = 'RejectOptionClassification';
/** |value|, with NaN (a 0/0 rate) treated as the farthest from the bound. */
const distance = (value: number): number =>
  Number.isNaN(value) ? Number.POSITIVE_INFINITY : Math.abs(value);

const METRICS: readonly RocMetric[] = [
  'statistical_parity_difference',
  'average_odds_difference',
  'equal_opportunity_difference',
];

/**
 * Reject option classification (Kamiran, Karim & Zhang 2012): ŷ = 1[s > t], except in the critical
 * region t − m < s ≤ t + m where unprivileged rows get 1 and privileged rows 0; (t, m) maximises balanced
 * accuracy subject to metricLower ≤ metric ≤ metricUpper. Scores are sorted once per group and label,
 * so each candidate costs four binary searches.
 */
export class RejectOptionClassification {
  /** The options as given. */
  readonly options: Readonly<RejectOptionOptions>;
  private fitted: RejectOptionSummary | undefined;

  /** Stores the options; nothing is validated or learned until `fit`. */
  constructor(options: RejectOptionOptions = {}) {
    this.options = { ...options };
  }

  /** Searches (threshold, margin) on training scores, labels and privileged flags (1 = privileged). */
  fit(scores: Float64Array, labels: Uint8Array, privileged: Uint8Array): this {
    const o = this.options;
    const lowT = checkInRange(OWNER, 'lowClassThreshold', o.lowClassThreshold ?? 0.01, 0, 1);
    const highT = checkInRange(OWNER, 'highClassThreshold', o.highClassThreshold ?? 0.99, 0, 1);
    if (!(highT > lowT)) {
      throw new InvalidParameterError(
        `The 'highClassThreshold' option of ${OWNER} must be > lowClassThreshold (${lowT}). Got ${highT} instead.`,
      );
    }
    const numT = checkInteger(OWNER, 'numClassThresholds', o.numClassThresholds ?? 100, 1);
    const numM = checkInteger(OWNER, 'numRocMargins', o.numRocMargins ?? 50, 1);
    const metric = o.metric ?? 'statistical_parity_difference';
    if (!METRICS.includes(metric)) {
      throw new InvalidParameterError(
        `The 'metric' option of ${OWNER} must be one of ${METRICS.join(', ')}. Got '${String(metric)}' instead.`,
      );
    }
    const lower = o.metricLower ?? -0.05;
    const upper = o.metricUpper ?? 0.05;
    if (!Number.isFinite(lower)) {
      throw new InvalidParameterError(
        `The 'metricLower' option of ${OWNER} must be a finite number. Got ${lower} instead.`,
      );
    }
    if (!(Number.isFinite(upper) && upper > lower)) {
      throw new InvalidParameterError(
        `The 'metricUpper' option of ${OWNER} must be > metricLower. Got ${upper} instead.`,
      );
    }
    checkScoredRows(OWNER, { scores, labels, privileged }, metric !== 'statistical_parity_difference');

    const sorted = new SortedGroupScores(scores, labels, privileged);
    let best = { t: 0, m: 0, acc: Number.NEGATIVE_INFINITY, value: Number.NaN };
    let fallback = { t: 0, m: 0, acc: Number.NEGATIVE_INFINITY, value: Number.NaN };
    for (const t of linspace(lowT, highT, numT)) {
      for (const m of linspace(0, t <= 0.5 ? t : 1 - t, numM)) {
        const counts = sorted.counts(t, m);
        const acc = rocBalancedAccuracy(counts, sorted.totals);
        const value = rocFairnessMetric(metric, counts, sorted.totals);
        if (value >= lower && value <= upper) {
          if (acc > best.acc) best = { t, m, acc, value };
        } else if (
          fallback.acc === Number.NEGATIVE_INFINITY ||
          distance(value) < distance(fallback.value) ||
          (distance(value) === distance(fallback.value) && acc > fallback.acc)
        ) {
          fallback = { t, m, acc, value };
        }
      }
    }
    const met = best.acc > Number.NEGATIVE_INFINITY;
    const chosen = met ? best : fallback;
    this.fitted = {
      classificationThreshold: chosen.t,
      rocMargin: chosen.m,
      balancedAccuracy: chosen.acc,
      metricValue: chosen.value,
      constraintMet: met,
      candidates: numT * numM,
      warnings: met
        ? []
        : [
            `${OWNER}: no threshold and margin keep ${metric} within [${lower}, ${upper}]; using the candidate closest to 0 (${chosen.value}).`,
          ],
    };
    return this;
  }

  /** The chosen threshold, margin and training figures; throws NotFittedError before `fit`. */
  get summary(): RejectOptionSummary {
    if (this.fitted === undefined) throw new NotFittedError(OWNER);
    return this.fitted;
  }

  /** 0/1 decisions: 1[s > t], overridden in t − m < s ≤ t + m by 1 (unprivileged) or 0 (privileged). */
  predict(scores: Float64Array, privileged: Uint8Array): Uint8Array {
    const { classificationThreshold: t, rocMargin: m } = this.summary;
    checkScores(OWNER, scores);
    checkBinary(OWNER, 'privileged flag', privileged, scores.length);
    const out = new Uint8Array(scores.length);
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      const critical = s <= t + m && s > t - m;
      out[i] = critical ? 1 - privileged[i] : s > t ? 1 : 0;
    }
    return out;
  }
}
