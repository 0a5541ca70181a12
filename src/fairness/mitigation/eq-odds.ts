import { checkInRange, DataValidationError, NotFittedError, Rng } from '../../core/index.js';
import { solveBoxLp } from './linear-program.js';
import { checkBinary, checkScoredRows, checkScores } from './reject-option-input.js';

/** Options of EqOddsPostprocessing. */
export interface EqOddsOptions {
  /** Scores ≥ threshold are the model's favourable predictions ŷ = 1 (default 0.5). */
  threshold?: number;
}

/** The mixing probabilities of one group: P(ŷ' = 1 | ŷ = 1) and P(ŷ' = 1 | ŷ = 0). */
export interface EqOddsMixing {
  readonly positiveToPositive: number;
  readonly negativeToPositive: number;
}

/** What EqOddsPostprocessing learned and its expected training figures. */
export interface EqOddsSummary {
  readonly privileged: EqOddsMixing;
  readonly unprivileged: EqOddsMixing;
  /** Expected TPR and FPR after mixing (equal in both groups up to rounding). */
  readonly truePositiveRate: number;
  readonly falsePositiveRate: number;
  /** The LP objective Σ_g (FPR'_g + FNR'_g). */
  readonly objectiveValue: number;
  /** Warnings a user must see (a group whose expected selection rate became 0). */
  readonly warnings: readonly string[];
}

const OWNER = 'EqOddsPostprocessing';

/** TPR, FPR and selection counts of ŷ = 1[s ≥ threshold] in one group. */
function groupRates(
  scores: Float64Array,
  labels: Uint8Array,
  flags: Uint8Array,
  group: number,
  threshold: number,
) {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < scores.length; i++) {
    if (flags[i] !== group) continue;
    const yhat = scores[i] >= threshold ? 1 : 0;
    if (labels[i] === 1) {
      pos++;
      tp += yhat;
    } else {
      neg++;
      fp += yhat;
    }
  }
  return { tpr: tp / pos, fpr: fp / neg, pos, neg };
}

/**
 * Equalized-odds post-processing (Hardt, Price & Srebro 2016, as AIF360): per group g, flip the model's
 * decision with p_g = P(ŷ'=1|ŷ=1), q_g = P(ŷ'=1|ŷ=0), so TPR'_g = p_g TPR_g + q_g FNR_g and
 * FPR'_g = p_g FPR_g + q_g TNR_g; the LP min Σ_g (FPR'_g + FNR'_g) s.t. TPR'_priv = TPR'_unpriv,
 * FPR'_priv = FPR'_unpriv, 0 ≤ p, q ≤ 1 is solved exactly by vertex enumeration.
 */
export class EqOddsPostprocessing {
  /** The options as given. */
  readonly options: Readonly<EqOddsOptions>;
  private fitted: EqOddsSummary | undefined;

  /** Stores the options; nothing is validated or learned until `fit`. */
  constructor(options: EqOddsOptions = {}) {
    this.options = { ...options };
  }

  /** Learns the four mixing probabilities from scores, 0/1 labels and privileged flags (1 = privileged). */
  fit(scores: Float64Array, labels: Uint8Array, privileged: Uint8Array): this {
    const threshold = checkInRange(OWNER, 'threshold', this.options.threshold ?? 0.5, 0, 1);
    checkScoredRows(OWNER, { scores, labels, privileged }, true);
    const p = groupRates(scores, labels, privileged, 1, threshold);
    const u = groupRates(scores, labels, privileged, 0, threshold);
    // Variables [p_priv, q_priv, p_unpriv, q_unpriv]; FPR' + FNR' = 1 + p (FPR − TPR) + q (TNR − FNR).
    const c = [p.fpr - p.tpr, 1 - p.fpr - (1 - p.tpr), u.fpr - u.tpr, 1 - u.fpr - (1 - u.tpr)];
    const A = [
      [p.tpr, 1 - p.tpr, -u.tpr, -(1 - u.tpr)],
      [p.fpr, 1 - p.fpr, -u.fpr, -(1 - u.fpr)],
    ];
    const solution = solveBoxLp(c, A, [0, 0]);
    if (solution === undefined) {
      // Unreachable in exact arithmetic: x = 0 is always feasible.
      throw new DataValidationError(
        `${OWNER} found no feasible mixing probabilities; check the scores and labels.`,
      );
    }
    const [pp, pq, up, uq] = solution.x;
    const tpr = pp * p.tpr + pq * (1 - p.tpr);
    const fpr = pp * p.fpr + pq * (1 - p.fpr);
    const warnings: string[] = [];
    for (const [name, mix] of [
      ['privileged', [pp, pq]],
      ['unprivileged', [up, uq]],
    ] as const) {
      if (mix[0] === 0 && mix[1] === 0) {
        warnings.push(`${OWNER} gives the ${name} group no positive decisions: its selection rate is 0.`);
      }
    }
    this.fitted = {
      privileged: { positiveToPositive: pp, negativeToPositive: pq },
      unprivileged: { positiveToPositive: up, negativeToPositive: uq },
      truePositiveRate: tpr,
      falsePositiveRate: fpr,
      objectiveValue: 2 + solution.value,
      warnings,
    };
    return this;
  }

  /** The mixing probabilities and training figures; throws NotFittedError before `fit`. */
  get summary(): EqOddsSummary {
    if (this.fitted === undefined) throw new NotFittedError(OWNER);
    return this.fitted;
  }

  /** P(ŷ' = 1) per row: the group's mixing probability for the model's decision 1[s ≥ threshold]. */
  predictProba(scores: Float64Array, privileged: Uint8Array): Float64Array {
    const s = this.summary;
    const threshold = this.options.threshold ?? 0.5;
    checkScores(OWNER, scores);
    checkBinary(OWNER, 'privileged flag', privileged, scores.length);
    const out = new Float64Array(scores.length);
    for (let i = 0; i < scores.length; i++) {
      const mix = privileged[i] === 1 ? s.privileged : s.unprivileged;
      out[i] = scores[i] >= threshold ? mix.positiveToPositive : mix.negativeToPositive;
    }
    return out;
  }

  /** Randomised 0/1 decisions drawn from `predictProba` with a seeded Rng. */
  predict(scores: Float64Array, privileged: Uint8Array, seed = 0): Uint8Array {
    const proba = this.predictProba(scores, privileged);
    const rng = new Rng(seed);
    return Uint8Array.from(proba, (q) => (rng.next() < q ? 1 : 0));
  }
}
