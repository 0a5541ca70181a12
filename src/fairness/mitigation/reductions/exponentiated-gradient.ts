import {
  type BinaryClassifier,
  checkInteger,
  checkNumber,
  checkPositive,
  DataValidationError,
  type Matrix,
} from '../../../core/index.js';
import { checkWeightedFactory, type GapResult, Lagrangian } from './lagrangian.js';
import { DemographicParity, errorRate, type ParityConstraint } from './moments.js';
import { RandomizedClassifier, requireFitted } from './randomized-classifier.js';

/** Options of ExponentiatedGradient; defaults are Fairlearn's (v0.12). */
export interface ExponentiatedGradientOptions {
  /** Builds a fresh base classifier; it must support sample weights. */
  estimator: () => BinaryClassifier;
  /** The parity constraint (default DemographicParity with difference bound 0.01). */
  constraints?: ParityConstraint;
  /** Allowed constraint slack ε; the multipliers' L1 bound is B = 1/ε. Default 0.01. */
  eps?: number;
  /** Maximum iterations. Default 50. */
  maxIter?: number;
  /** Duality-gap target ν; default 0.5 · std(|h₀(x) − y|) / √n with h₀ the first best response. */
  nu?: number;
  /** Initial step size; the step is η = eta0 / B. Default 2. */
  eta0?: number;
  /** Also try the best mixture of the found classifiers by linear programming each iteration. Default true. */
  runLinprogStep?: boolean;
  /** Seed of `predict`'s draws. Default 0. */
  seed?: number;
}

/** What ExponentiatedGradient learned, in plain JSON-serialisable form. */
export interface ExponentiatedGradientSummary {
  readonly constraint: string;
  readonly eps: number;
  readonly nu: number;
  /** Iteration whose (Q, λ) had the smallest duality gap (the last of ties within 1e-8). */
  readonly bestIter: number;
  /** Last iteration run (0-based). */
  readonly lastIter: number;
  /** Duality gap max(L − L_low, L_high − L) of the returned mixture. */
  readonly bestGap: number;
  /** Weight of each fitted predictor in the mixture. */
  readonly weights: readonly number[];
  /** Calls to the base estimator (including constant best responses). */
  readonly oracleCalls: number;
  /** Expected training error of the mixture. */
  readonly trainingError: number;
  /** Signed constraint values γ of the mixture on the training rows, by label ("+ event / group"). */
  readonly gamma: Readonly<Record<string, number>>;
  /** max_j γ_j − bound (≤ 0 when every constraint holds on the training rows). */
  readonly maxViolation: number;
  /** Warnings a user must see (constraint not met within the theoretical slack). */
  readonly warnings: readonly string[];
}

const OWNER = 'ExponentiatedGradient';
const PRECISION = 1e-8;
const ACCURACY_MUL = 0.5;
const REGRET_CHECK_START_T = 5;
const REGRET_CHECK_INCREASE_T = 1.6;
const SHRINK_REGRET = 0.8;
const SHRINK_ETA = 0.8;
const MIN_ITER = 5;

/**
 * Fair classification by exponentiated gradient (Agarwal, Beygelzimer, Dudík, Langford & Wallach 2018,
 * "A Reductions Approach to Fair Classification", Algorithm 1): a two-player game over
 * L(Q, λ) = err(Q) + λ·(γ(Q) − c), the λ-player running exponentiated gradient on
 * λ_k = B·e^{θ_k} / (1 + Σ e^{θ}), θ ← θ + η(γ(h_t) − c), the Q-player best-responding by cost-sensitive
 * classification; stops when the duality gap of the averaged (or LP-optimal) mixture is below ν.
 * The result is a randomized classifier over the fitted best responses.
 */
export class ExponentiatedGradient {
  /** The options as given. */
  readonly options: Readonly<ExponentiatedGradientOptions>;
  private mixture: RandomizedClassifier | undefined;
  private fitted: ExponentiatedGradientSummary | undefined;

  /** Stores the options; nothing is validated or learned until `fit`. */
  constructor(options: ExponentiatedGradientOptions) {
    this.options = { ...options };
  }

  /** Learns the mixture from features, 0/1 labels and one group label per row; resolves to `this`. */
  async fit(X: Matrix, y: Uint8Array, sensitiveFeatures: readonly string[]): Promise<this> {
    const o = this.options;
    checkWeightedFactory(OWNER, o.estimator);
    const eps = checkPositive(OWNER, 'eps', o.eps ?? 0.01);
    const maxIter = checkInteger(OWNER, 'maxIter', o.maxIter ?? 50, 1);
    const eta0 = checkPositive(OWNER, 'eta0', o.eta0 ?? 2);
    if (o.nu !== undefined) checkNumber(OWNER, 'nu', o.nu, (v) => v >= 0, '>= 0');
    checkInteger(OWNER, 'seed', o.seed ?? 0, 0);
    checkReductionInput(OWNER, X, y, sensitiveFeatures);
    const constraint = o.constraints ?? new DemographicParity();
    const runLp = o.runLinprogStep ?? true;
    const moment = constraint.load(y, sensitiveFeatures);
    const B = 1 / eps;
    const lagrangian = new Lagrangian(X, y, moment, o.estimator, B);
    const size = moment.size;
    const theta = new Float64Array(size);
    const lambdaSum = new Float64Array(size);
    const qSum: number[] = [];
    const Qs: Float64Array[] = [];
    const gaps: number[] = [];
    const gapsEG: number[] = [];
    let nu = o.nu ?? 0;
    let eta = 0;
    let lastRegretChecked = REGRET_CHECK_START_T;
    let lastGap = Number.POSITIVE_INFINITY;
    let t = 0;
    for (; t < maxIter; t++) {
      let expSum = 0;
      for (let k = 0; k < size; k++) expSum += Math.exp(theta[k]);
      const lambda = theta.map((v) => (B * Math.exp(v)) / (1 + expSum));
      for (let k = 0; k < size; k++) lambdaSum[k] += lambda[k];
      const lambdaEG = lambdaSum.map((v) => v / (t + 1));
      const hIdx = await lagrangian.bestH(lambda);
      if (t === 0) {
        if (o.nu === undefined)
          nu = (ACCURACY_MUL * stdAbsError(lagrangian.predictions[hIdx], y)) / Math.sqrt(y.length);
        eta = eta0 / B;
      }
      while (qSum.length < lagrangian.predictors.length) qSum.push(0);
      qSum[hIdx] += 1;
      const gamma = lagrangian.gammas[hIdx];
      const QEG = Float64Array.from(qSum, (v) => v / (t + 1));
      const resultEG: GapResult = await lagrangian.evalGap(QEG, lambdaEG, nu);
      gapsEG.push(resultEG.gap);
      let gapLP = Number.POSITIVE_INFINITY;
      let QLP: Float64Array | undefined;
      if (t > 0 && runLp) {
        const lp = await lagrangian.solveLinprog(nu);
        gapLP = lp.result.gap;
        QLP = lp.Q;
      }
      if (resultEG.gap < gapLP || QLP === undefined) {
        Qs.push(QEG);
        gaps.push(resultEG.gap);
      } else {
        Qs.push(QLP);
        gaps.push(gapLP);
      }
      if (gaps[t] < nu && t >= MIN_ITER) break;
      if (t >= lastRegretChecked * REGRET_CHECK_INCREASE_T) {
        const bestGap = Math.min(...gapsEG);
        if (bestGap > lastGap * SHRINK_REGRET) eta *= SHRINK_ETA;
        lastRegretChecked = t;
        lastGap = bestGap;
      }
      for (let k = 0; k < size; k++) theta[k] += eta * (gamma[k] - moment.bound);
    }
    const minGap = Math.min(...gaps);
    let bestIter = 0;
    for (let i = 0; i < gaps.length; i++) if (gaps[i] <= minGap + PRECISION) bestIter = i;
    const weights = new Float64Array(lagrangian.predictors.length);
    weights.set(Qs[bestIter]);
    const value = lagrangian.evaluate(weights, new Float64Array(size));
    let maxViolation = Number.NEGATIVE_INFINITY;
    const gammaRecord: Record<string, number> = {};
    value.gamma.forEach((g, k) => {
      gammaRecord[moment.label(k)] = g;
      maxViolation = Math.max(maxViolation, g - moment.bound);
    });
    const warnings: string[] = [];
    const slack = (1 + 2 * nu) / B;
    if (maxViolation > slack) {
      warnings.push(
        `${OWNER} did not meet ${constraint.name} on the training rows: a constraint exceeds its bound ${moment.bound} by ${maxViolation.toFixed(4)}, more than the guaranteed slack (1 + 2ν)/B = ${slack.toFixed(4)}. Raise maxIter or eps, or check for tiny groups.`,
      );
    }
    this.mixture = new RandomizedClassifier(lagrangian.predictors, weights);
    this.fitted = {
      constraint: constraint.name,
      eps,
      nu,
      bestIter,
      lastIter: gaps.length - 1,
      bestGap: gaps[bestIter],
      weights: Array.from(weights),
      oracleCalls: lagrangian.oracleCalls,
      trainingError: value.error,
      gamma: gammaRecord,
      maxViolation,
      warnings,
    };
    return this;
  }

  /** What was learned; throws NotFittedError before `fit`. */
  get summary(): ExponentiatedGradientSummary {
    return requireFitted(this.fitted, OWNER);
  }

  /** P(ŷ = 1 | x) = Σ_j Q_j h_j(x) of the randomized classifier. */
  async predictProba(X: Matrix): Promise<Float64Array> {
    return requireFitted(this.mixture, OWNER).expectedPredictions(X);
  }

  /** Randomized 0/1 predictions drawn with `seed` (default: the `seed` option). */
  async predict(X: Matrix, seed = this.options.seed ?? 0): Promise<Uint8Array> {
    return requireFitted(this.mixture, OWNER).samplePredictions(X, seed);
  }
}

/** Validates shapes and labels shared by the reductions. */
export function checkReductionInput(
  owner: string,
  X: Matrix,
  y: Uint8Array,
  groups: readonly string[],
): void {
  if (X.rows !== y.length || groups.length !== y.length) {
    throw new DataValidationError(
      `${owner} needs one label and one sensitive-feature value per row of X (${X.rows} rows). Got ${y.length} labels and ${groups.length} sensitive-feature values.`,
    );
  }
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new DataValidationError(`${owner} needs 0/1 labels. Got ${y[i]} at row ${i}.`);
  }
}

/** Sample standard deviation (n − 1) of |pred − y|. */
function stdAbsError(pred: Uint8Array, y: Uint8Array): number {
  const n = y.length;
  if (n < 2) return 0;
  const mean = errorRate(pred, y);
  let s = 0;
  for (let i = 0; i < n; i++) s += (Math.abs(pred[i] - y[i]) - mean) ** 2;
  return Math.sqrt(s / (n - 1));
}
