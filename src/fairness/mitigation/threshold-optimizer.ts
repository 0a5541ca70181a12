import { DataValidationError, InvalidParameterError, NotFittedError, Rng } from '../../core/index.js';
import { checkBinary, checkScores } from './reject-option-input.js';
import { type HullPoint, locateOnHull, sweepThresholds, upperHull } from './threshold-optimizer-hull.js';
import { type GroupMembership, groupKeys, pick, splitByGroup } from './threshold-optimizer-input.js';
import { equalizedOddsOptimum } from './threshold-optimizer-odds.js';

/** The parity constraint ThresholdOptimizer enforces (Fairlearn's names). */
export type ThresholdConstraint = 'demographic_parity' | 'equalized_odds';

/** Options of ThresholdOptimizer; defaults are Fairlearn's. */
export interface ThresholdOptimizerOptions {
  /** Constraint to meet exactly on the training rows (default 'demographic_parity'). */
  constraint?: ThresholdConstraint;
  /** Objective to maximise (default 'accuracy'). */
  objective?: 'accuracy' | 'balanced_accuracy';
}

/**
 * One group's randomised rule: with probability `constantProbability` predict 1 with probability
 * `constantRate`; otherwise predict 1[s > threshold1] with probability `probability1`, else 1[s > threshold0].
 */
export interface GroupThresholdRule {
  readonly threshold0: number;
  readonly threshold1: number;
  readonly probability1: number;
  readonly constantProbability: number;
  readonly constantRate: number;
  /** Expected selection rate, TPR and FPR of the rule on the group's training rows (NaN when 0/0). */
  readonly selectionRate: number;
  readonly truePositiveRate: number;
  readonly falsePositiveRate: number;
}

/** What ThresholdOptimizer learned, in plain JSON-serialisable form. */
export interface ThresholdOptimizerSummary {
  readonly constraint: ThresholdConstraint;
  readonly objective: 'accuracy' | 'balanced_accuracy';
  /** Expected objective on the training rows. */
  readonly objectiveValue: number;
  /** The rule of each group, by group label. */
  readonly groups: Readonly<Record<string, GroupThresholdRule>>;
  /** Warnings a user must see (e.g. a group whose selection rate became 0). */
  readonly warnings: readonly string[];
}

const OWNER = 'ThresholdOptimizer';

/** A group's rule without its training figures. */
type GroupRuleCore = Omit<GroupThresholdRule, 'selectionRate' | 'truePositiveRate' | 'falsePositiveRate'>;

/**
 * Post-processing by group-specific randomised thresholds (Hardt, Price & Srebro 2016; Fairlearn's
 * ThresholdOptimizer): per group the upper convex hull of its thresholded classifiers; demographic parity
 * picks a common selection rate r maximising Σ_g objective_g(r); equalized odds picks the best
 * (FPR, TPR) in the intersection of the groups' ROC hulls, both exactly at a hull breakpoint.
 */
export class ThresholdOptimizer {
  /** The options as given. */
  readonly options: Readonly<ThresholdOptimizerOptions>;
  private fitted: ThresholdOptimizerSummary | undefined;

  /** Stores the options; nothing is validated or learned until `fit`. */
  constructor(options: ThresholdOptimizerOptions = {}) {
    this.options = { ...options };
  }

  /** Learns a rule per group from training scores in [0, 1], 0/1 labels and group membership. */
  fit(scores: Float64Array, labels: Uint8Array, groups: GroupMembership): this {
    const constraint = this.options.constraint ?? 'demographic_parity';
    const objective = this.options.objective ?? 'accuracy';
    if (constraint !== 'demographic_parity' && constraint !== 'equalized_odds') {
      throw new InvalidParameterError(
        `The 'constraint' option of ${OWNER} must be 'demographic_parity' or 'equalized_odds'. Got '${String(constraint)}' instead.`,
      );
    }
    if (objective !== 'accuracy' && objective !== 'balanced_accuracy') {
      throw new InvalidParameterError(
        `The 'objective' option of ${OWNER} must be 'accuracy' or 'balanced_accuracy'. Got '${String(objective)}' instead.`,
      );
    }
    const n = scores.length;
    if (n === 0) throw new DataValidationError(`${OWNER} needs at least one row to fit.`);
    checkScores(OWNER, scores);
    checkBinary(OWNER, 'label', labels, n);
    const byGroup = splitByGroup(groupKeys(OWNER, groups, n));
    let positives = 0;
    for (const y of labels) positives += y;
    const negatives = n - positives;
    if (objective === 'balanced_accuracy' && (positives === 0 || negatives === 0)) {
      throw new DataValidationError(`${OWNER} needs both labels for objective 'balanced_accuracy'.`);
    }
    const sweeps = new Map(
      [...byGroup].map(([g, rows]) => [g, sweepThresholds(pick(scores, rows), pick(labels, rows))] as const),
    );
    // Objective contribution of a group's (TP, FP) counts; both objectives are sums over groups.
    const value = (tp: number, fp: number, neg: number) =>
      objective === 'accuracy'
        ? (tp + neg - fp) / n
        : 0.5 * (positives === 0 ? 0 : tp / positives) + 0.5 * (negatives === 0 ? 0 : (neg - fp) / negatives);

    const rules: Record<string, GroupRuleCore> = {};
    if (constraint === 'demographic_parity') {
      const hulls = new Map<string, HullPoint[]>();
      for (const [g, s] of sweeps) {
        const size = s.positives + s.negatives;
        const points = Array.from(s.thresholds, (threshold, k) => ({
          x: (s.truePositives[k] + s.falsePositives[k]) / size,
          y: value(s.truePositives[k], s.falsePositives[k], s.negatives),
          threshold,
        }));
        hulls.set(g, upperHull(points));
      }
      // Σ_g of concave piecewise-linear functions peaks at a breakpoint of one of them.
      const xs = [...new Set([...hulls.values()].flatMap((h) => h.map((p) => p.x)))].sort((a, b) => a - b);
      let bestX = 0;
      let bestTotal = Number.NEGATIVE_INFINITY;
      for (const x of xs) {
        let total = 0;
        for (const h of hulls.values()) total += locateOnHull(h, x).y;
        if (total > bestTotal) {
          bestTotal = total;
          bestX = x;
        }
      }
      for (const [g, h] of hulls) {
        const at = locateOnHull(h, bestX);
        rules[g] = {
          threshold0: at.low.threshold,
          threshold1: at.high.threshold,
          probability1: at.lambda,
          constantProbability: 0,
          constantRate: 0,
        };
      }
    } else {
      for (const [g, s] of sweeps) {
        if (s.positives === 0 || s.negatives === 0) {
          throw new DataValidationError(
            `${OWNER} with 'equalized_odds' needs positive and negative labels in every group; group '${g}' has no ${s.positives === 0 ? 'positive' : 'negative'} labels, so its ${s.positives === 0 ? 'true' : 'false'} positive rate is undefined.`,
          );
        }
      }
      const hulls = new Map(
        [...sweeps].map(([g, s]) => {
          const points = Array.from(s.thresholds, (threshold, k) => ({
            x: s.falsePositives[k] / s.negatives,
            y: s.truePositives[k] / s.positives,
            threshold,
          }));
          return [g, upperHull(points)] as const;
        }),
      );
      const score = (fpr: number, tpr: number) =>
        objective === 'accuracy' ? (positives * tpr + negatives * (1 - fpr)) / n : 0.5 * (tpr + 1 - fpr);
      const { fpr, tpr } = equalizedOddsOptimum([...hulls.values()], score);
      for (const [g, h] of hulls) {
        const at = locateOnHull(h, fpr);
        // Mix the hull point (fpr, at.y) with the constant rule "1 with probability fpr" at (fpr, fpr).
        const mix = at.y > fpr ? Math.min(1, Math.max(0, (at.y - tpr) / (at.y - fpr))) : 0;
        rules[g] = {
          threshold0: at.low.threshold,
          threshold1: at.high.threshold,
          probability1: at.lambda,
          constantProbability: mix,
          constantRate: fpr,
        };
      }
    }
    const completed: Record<string, GroupThresholdRule> = {};
    const warnings: string[] = [];
    let objectiveValue = 0;
    const proba = this.decisionProbabilities(scores, groups, rules);
    for (const [g, rows] of byGroup) {
      let sel = 0;
      let tp = 0;
      let fp = 0;
      let pos = 0;
      for (const i of rows) {
        sel += proba[i];
        pos += labels[i];
        if (labels[i] === 1) tp += proba[i];
        else fp += proba[i];
      }
      const neg = rows.length - pos;
      objectiveValue += value(tp, fp, neg);
      completed[g] = {
        ...rules[g],
        selectionRate: sel / rows.length,
        truePositiveRate: tp / pos,
        falsePositiveRate: fp / neg,
      };
      if (sel === 0) {
        warnings.push(`${OWNER} gives group '${g}' no positive decisions: its selection rate is 0.`);
      }
    }
    this.fitted = { constraint, objective, objectiveValue, groups: completed, warnings };
    return this;
  }

  /** The learned rules and training figures; throws NotFittedError before `fit`. */
  get summary(): ThresholdOptimizerSummary {
    if (this.fitted === undefined) throw new NotFittedError(OWNER);
    return this.fitted;
  }

  /** P(ŷ = 1) of each row under its group's randomised rule (the expectation `predict` samples). */
  predictProba(scores: Float64Array, groups: GroupMembership): Float64Array {
    return this.decisionProbabilities(scores, groups, this.summary.groups);
  }

  /** Randomised 0/1 decisions, drawn from `predictProba` with a seeded Rng (same seed, same decisions). */
  predict(scores: Float64Array, groups: GroupMembership, seed = 0): Uint8Array {
    const proba = this.predictProba(scores, groups);
    const rng = new Rng(seed);
    const out = new Uint8Array(scores.length);
    for (let i = 0; i < scores.length; i++) out[i] = rng.next() < proba[i] ? 1 : 0;
    return out;
  }

  private decisionProbabilities(
    scores: Float64Array,
    groups: GroupMembership,
    rules: Readonly<Record<string, GroupRuleCore>>,
  ): Float64Array {
    checkScores(OWNER, scores);
    const keys = groupKeys(OWNER, groups, scores.length);
    const out = new Float64Array(scores.length);
    for (let i = 0; i < scores.length; i++) {
      const r = Object.hasOwn(rules, keys[i]) ? rules[keys[i]] : undefined;
      if (r === undefined) {
        throw new DataValidationError(
          `${OWNER} has no rule for group '${keys[i]}' (row ${i + 1}); fit it on data that contains this group.`,
        );
      }
      const s = scores[i];
      const thresholded =
        (1 - r.probability1) * (s > r.threshold0 ? 1 : 0) + r.probability1 * (s > r.threshold1 ? 1 : 0);
      out[i] = r.constantProbability * r.constantRate + (1 - r.constantProbability) * thresholded;
    }
    return out;
  }
}
