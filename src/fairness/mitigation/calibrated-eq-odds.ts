import { checkInRange, InvalidParameterError, NotFittedError, Rng } from '../../core/index.js';
import { checkBinary, checkScoredRows, checkScores } from './reject-option-input.js';

/** Which generalized error rate calibrated equalized odds equalises. */
export type CalibratedCostConstraint = 'weighted' | 'fpr' | 'fnr';

/** Options of CalibratedEqOddsPostprocessing; defaults are AIF360's. */
export interface CalibratedEqOddsOptions {
  /** Cost to equalise (default 'weighted'). */
  costConstraint?: CalibratedCostConstraint;
  /** Mixed scores ≥ threshold become favourable decisions (default 0.5). */
  threshold?: number;
}

/** One group's figures: base rate μ, cost of the scores and of the trivial classifier h = μ, mixing rate. */
export interface CalibratedGroupFit {
  readonly baseRate: number;
  readonly cost: number;
  readonly trivialCost: number;
  /** Probability that a row's score is replaced by the base rate. */
  readonly mixRate: number;
  /** Expected selection rate of the decisions on the group's training rows. */
  readonly selectionRate: number;
}

/** What CalibratedEqOddsPostprocessing learned, with its guard-rail flags. */
export interface CalibratedEqOddsSummary {
  readonly costConstraint: CalibratedCostConstraint;
  readonly privileged: CalibratedGroupFit;
  readonly unprivileged: CalibratedGroupFit;
  /** Groups whose expected selection rate on the training rows is 0 (the AIF360-on-Adult pitfall). */
  readonly zeroSelectionGroups: readonly ('privileged' | 'unprivileged')[];
  /** Warnings a user must see. */
  readonly warnings: readonly string[];
}

const OWNER = 'CalibratedEqOddsPostprocessing';
const CONSTRAINTS: readonly CalibratedCostConstraint[] = ['weighted', 'fpr', 'fnr'];

/** Base rate, generalized FPR E[h | y=0] and generalized FNR E[1 − h | y=1] of one group. */
function groupStats(scores: Float64Array, labels: Uint8Array, flags: Uint8Array, group: number) {
  let pos = 0;
  let neg = 0;
  let fpSum = 0;
  let fnSum = 0;
  for (let i = 0; i < scores.length; i++) {
    if (flags[i] !== group) continue;
    if (labels[i] === 1) {
      pos++;
      fnSum += 1 - scores[i];
    } else {
      neg++;
      fpSum += scores[i];
    }
  }
  return { baseRate: pos / (pos + neg), gfpr: fpSum / neg, gfnr: fnSum / pos };
}

/** The group cost g(h) for generalized rates (gfpr, gfnr) and base rate μ, AIF360's weighting. */
function cost(kind: CalibratedCostConstraint, gfpr: number, gfnr: number, mu: number): number {
  if (kind === 'fpr') return gfpr;
  if (kind === 'fnr') return gfnr;
  return 0.5 * gfpr * (1 - mu) + 0.5 * gfnr * mu;
}

/**
 * Calibrated equalized odds (Pleiss et al. 2017): with g_t the group cost (weighted: ½ GFPR (1 − μ_t) +
 * ½ GFNR μ_t, or GFPR, or GFNR), the group with the lower cost replaces its score by its base rate μ_t with
 * probability α = (g_other − g_t) / (g_t(μ_t) − g_t), which raises its cost to the other group's while
 * keeping its scores calibrated. α > 1 (costs cannot be equalised) is clamped to 1 and flagged.
 */
export class CalibratedEqOddsPostprocessing {
  /** The options as given. */
  readonly options: Readonly<CalibratedEqOddsOptions>;
  private fitted: CalibratedEqOddsSummary | undefined;

  /** Stores the options; nothing is validated or learned until `fit`. */
  constructor(options: CalibratedEqOddsOptions = {}) {
    this.options = { ...options };
  }

  /** Learns base rates and mixing rates from scores in [0, 1], 0/1 labels and privileged flags (1 = privileged). */
  fit(scores: Float64Array, labels: Uint8Array, privileged: Uint8Array): this {
    const kind = this.options.costConstraint ?? 'weighted';
    if (!CONSTRAINTS.includes(kind)) {
      throw new InvalidParameterError(
        `The 'costConstraint' option of ${OWNER} must be one of ${CONSTRAINTS.join(', ')}. Got '${String(kind)}' instead.`,
      );
    }
    const threshold = checkInRange(OWNER, 'threshold', this.options.threshold ?? 0.5, 0, 1);
    checkScoredRows(OWNER, { scores, labels, privileged }, true);
    const warnings: string[] = [];
    const stats = [0, 1].map((g) => {
      const s = groupStats(scores, labels, privileged, g);
      return {
        ...s,
        cost: cost(kind, s.gfpr, s.gfnr, s.baseRate),
        // The trivial classifier h = μ has GFPR = μ and GFNR = 1 − μ.
        trivialCost: cost(kind, s.baseRate, 1 - s.baseRate, s.baseRate),
      };
    });
    const mixRates = [0, 0];
    const names = ['unprivileged', 'privileged'] as const;
    const lower = stats[0].cost > stats[1].cost ? 1 : 0;
    const gap = stats[1 - lower].cost - stats[lower].cost;
    if (gap > 0) {
      const room = stats[lower].trivialCost - stats[lower].cost;
      const alpha = room > 0 ? gap / room : Number.POSITIVE_INFINITY;
      if (alpha > 1) {
        warnings.push(
          `${OWNER} cannot equalise the ${kind} cost: the ${names[1 - lower]} group's cost ${stats[1 - lower].cost} exceeds the ${names[lower]} group's trivial cost ${stats[lower].trivialCost}; every ${names[lower]} score is replaced by its base rate.`,
        );
      }
      mixRates[lower] = Math.min(1, alpha);
    }
    const groups = [0, 1].map((g): CalibratedGroupFit => {
      let sel = 0;
      let count = 0;
      const mu = stats[g].baseRate;
      for (let i = 0; i < scores.length; i++) {
        if (privileged[i] !== g) continue;
        count++;
        sel += (1 - mixRates[g]) * (scores[i] >= threshold ? 1 : 0) + mixRates[g] * (mu >= threshold ? 1 : 0);
      }
      return {
        baseRate: mu,
        cost: stats[g].cost,
        trivialCost: stats[g].trivialCost,
        mixRate: mixRates[g],
        selectionRate: sel / count,
      };
    });
    const zeroSelectionGroups = [0, 1].filter((g) => groups[g].selectionRate === 0).map((g) => names[g]);
    for (const g of zeroSelectionGroups) {
      warnings.push(
        `${OWNER} gives the ${g} group no positive decisions at threshold ${threshold}: its selection rate is 0. Lower the threshold or use another method.`,
      );
    }
    this.fitted = {
      costConstraint: kind,
      privileged: groups[1],
      unprivileged: groups[0],
      zeroSelectionGroups,
      warnings,
    };
    return this;
  }

  /** The learned rates and guard-rail flags; throws NotFittedError before `fit`. */
  get summary(): CalibratedEqOddsSummary {
    if (this.fitted === undefined) throw new NotFittedError(OWNER);
    return this.fitted;
  }

  /** P(ŷ = 1) per row: (1 − α) 1[s ≥ threshold] + α 1[μ ≥ threshold] with the row's group α and μ. */
  predictProba(scores: Float64Array, privileged: Uint8Array): Float64Array {
    const s = this.summary;
    const threshold = this.options.threshold ?? 0.5;
    checkScores(OWNER, scores);
    checkBinary(OWNER, 'privileged flag', privileged, scores.length);
    return Float64Array.from(scores, (x, i) => {
      const g = privileged[i] === 1 ? s.privileged : s.unprivileged;
      return (1 - g.mixRate) * (x >= threshold ? 1 : 0) + g.mixRate * (g.baseRate >= threshold ? 1 : 0);
    });
  }

  /** Scores after mixing: each row's score replaced by its group's base rate with probability α (seeded). */
  transformScores(scores: Float64Array, privileged: Uint8Array, seed = 0): Float64Array {
    const s = this.summary;
    checkScores(OWNER, scores);
    checkBinary(OWNER, 'privileged flag', privileged, scores.length);
    const rng = new Rng(seed);
    return Float64Array.from(scores, (x, i) => {
      const g = privileged[i] === 1 ? s.privileged : s.unprivileged;
      return rng.next() < g.mixRate ? g.baseRate : x;
    });
  }

  /** Randomised 0/1 decisions: mixed scores (`transformScores`, same seed) ≥ threshold. */
  predict(scores: Float64Array, privileged: Uint8Array, seed = 0): Uint8Array {
    const threshold = this.options.threshold ?? 0.5;
    return Uint8Array.from(this.transformScores(scores, privileged, seed), (x) => (x >= threshold ? 1 : 0));
  }
}
