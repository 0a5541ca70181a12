import { type BinaryClassifier, InvalidParameterError, type Matrix } from '../../../core/index.js';
import { errorRate, type LoadedMoment } from './moments.js';
import { simplexMax } from './simplex.js';

/** A fitted best response: the base estimator, or a constant when the relabelled data had one class. */
export type ReductionPredictor =
  | { readonly kind: 'estimator'; readonly model: BinaryClassifier }
  | { readonly kind: 'constant'; readonly value: 0 | 1 };

/** 0/1 predictions of a best response (the estimator's `predict`, threshold 0.5). */
export async function predictorPredict(p: ReductionPredictor, X: Matrix): Promise<Uint8Array> {
  return p.kind === 'constant' ? new Uint8Array(X.rows).fill(p.value) : p.model.predict(X);
}

/** Checks that `estimator` builds classifiers that honour sample weights. */
export function checkWeightedFactory(owner: string, estimator: () => BinaryClassifier): void {
  if (typeof estimator !== 'function') {
    throw new InvalidParameterError(
      `The 'estimator' option of ${owner} must be a factory () => BinaryClassifier. Got ${typeof estimator} instead.`,
    );
  }
  const probe = estimator();
  if (!probe?.capabilities?.sampleWeight) {
    throw new InvalidParameterError(
      `${owner} reduces fair classification to cost-sensitive classification and needs an estimator that accepts sample weights; the given estimator's capabilities.sampleWeight is false. Use one that supports sample weights (e.g. LogisticRegression), or a post-processing method such as ThresholdOptimizer.`,
    );
  }
}

/**
 * Fits the cost-sensitive classifier for per-row signed costs w_i = C_i⁰ − C_i¹ (Agarwal et al. 2018,
 * §3.2): relabel ŷ_i = 1[w_i > 0], weight |w_i| (rescaled to sum to n when `normalise`).
 */
export async function fitCostSensitive(
  estimator: () => BinaryClassifier,
  X: Matrix,
  signed: Float64Array,
  normalise: boolean,
): Promise<ReductionPredictor> {
  const n = signed.length;
  const y = new Uint8Array(n);
  const w = new Float64Array(n);
  let total = 0;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    y[i] = signed[i] > 0 ? 1 : 0;
    ones += y[i];
    w[i] = Math.abs(signed[i]);
    total += w[i];
  }
  if (ones === 0 || ones === n) return { kind: 'constant', value: ones === 0 ? 0 : 1 };
  if (normalise && total > 0) for (let i = 0; i < n; i++) w[i] = (n * w[i]) / total;
  const model = estimator();
  await model.fit(X, y, { sampleWeight: w });
  return { kind: 'estimator', model };
}

/** Values of the Lagrangian for a mixture Q and multipliers λ. */
export interface LagrangianValue {
  /** L(Q, λ̂) with λ̂ projected. */
  readonly L: number;
  /** max_λ L(Q, λ) over ‖λ‖₁ ≤ B. */
  readonly Lhigh: number;
  /** Signed constraint values of Q. */
  readonly gamma: Float64Array;
  /** Training error of Q. */
  readonly error: number;
}

/** A duality-gap certificate: gap = max(L − L_low, L_high − L). */
export interface GapResult extends LagrangianValue {
  /** min over the best responses tried of L(h, λ̂). */
  readonly Llow: number;
  /** The duality gap. */
  readonly gap: number;
}

const PRECISION = 1e-8;

/**
 * The Lagrangian L(Q, λ) = err(Q) + λ·(γ(Q) − bound) of Agarwal et al. (2018), with the set of best
 * responses found so far (their training predictions, errors and constraint values cached).
 */
export class Lagrangian {
  /** Best responses found so far. */
  readonly predictors: ReductionPredictor[] = [];
  /** Their training errors. */
  readonly errors: number[] = [];
  /** Their signed constraint values. */
  readonly gammas: Float64Array[] = [];
  /** Their 0/1 training predictions. */
  readonly predictions: Uint8Array[] = [];
  /** Calls to the base estimator's fit (constants included). */
  oracleCalls = 0;
  private lastLp: { nHs: number; Q: Float64Array; lambda: Float64Array; result: GapResult } | undefined;

  /** Binds data, constraint, estimator factory and the multiplier bound B. */
  constructor(
    readonly X: Matrix,
    readonly y: Uint8Array,
    readonly moment: LoadedMoment,
    readonly estimator: () => BinaryClassifier,
    readonly B: number,
  ) {}

  /** The best response to λ: fits a new classifier and keeps it unless a known one is better. */
  async bestH(lambda: Float64Array): Promise<number> {
    const signed = this.moment.signedWeights(lambda);
    for (let i = 0; i < signed.length; i++) signed[i] += 2 * this.y[i] - 1;
    const predictor = await fitCostSensitive(this.estimator, this.X, signed, true);
    this.oracleCalls++;
    const pred = await predictorPredict(predictor, this.X);
    const error = errorRate(pred, this.y);
    const gamma = this.moment.gamma(pred);
    const value = error + dotArr(gamma, lambda);
    let bestIdx = -1;
    let bestValue = Number.POSITIVE_INFINITY;
    for (let j = 0; j < this.errors.length; j++) {
      const v = this.errors[j] + dotArr(this.gammas[j], lambda);
      if (v < bestValue) {
        bestValue = v;
        bestIdx = j;
      }
    }
    if (value < bestValue - PRECISION) {
      this.predictors.push(predictor);
      this.errors.push(error);
      this.gammas.push(gamma);
      this.predictions.push(pred);
      bestIdx = this.predictors.length - 1;
    }
    return bestIdx;
  }

  /** L, L_high, γ and error of the mixture Q (weights over the known best responses). */
  evaluate(Q: ArrayLike<number>, lambda: Float64Array): LagrangianValue {
    const size = this.moment.size;
    const gamma = new Float64Array(size);
    let error = 0;
    for (let j = 0; j < Q.length; j++) {
      if (Q[j] === 0) continue;
      error += Q[j] * this.errors[j];
      for (let k = 0; k < size; k++) gamma[k] += Q[j] * this.gammas[j][k];
    }
    const projected = this.moment.projectLambda(lambda);
    let L = error;
    let maxViolation = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < size; k++) {
      L += projected[k] * (gamma[k] - this.moment.bound);
      maxViolation = Math.max(maxViolation, gamma[k] - this.moment.bound);
    }
    const Lhigh = maxViolation <= 0 ? error : error + this.B * maxViolation;
    return { L, Lhigh, gamma, error };
  }

  /** The duality gap of (Q, λ̂): L_low from best responses to 1, 2, 5, 10 × λ̂ (stopping once gap > ν). */
  async evalGap(Q: ArrayLike<number>, lambdaHat: Float64Array, nu: number): Promise<GapResult> {
    const base = this.evaluate(Q, lambdaHat);
    let Llow = base.L;
    const gapOf = (low: number) => Math.max(base.L - low, base.Lhigh - base.L);
    for (const mul of [1, 2, 5, 10]) {
      const idx = await this.bestH(lambdaHat.map((v) => mul * v));
      const single = new Float64Array(this.predictors.length);
      single[idx] = 1;
      const low = this.evaluate(single, lambdaHat).L;
      if (low < Llow) Llow = low;
      if (gapOf(Llow) > nu + PRECISION) break;
    }
    return { ...base, Llow, gap: gapOf(Llow) };
  }

  /**
   * The best mixture of the known best responses and its multipliers by linear programming:
   * min_Q max_{λ ≥ 0, ‖λ‖₁ ≤ B} L(Q, λ), solved as its dual max_{λ, μ} μ s.t. μ ≤ err_j + λ·(γ_j − bound),
   * Σλ ≤ B; Q is read from the dual of that LP. Cached while no new best response was added.
   */
  async solveLinprog(nu: number): Promise<{ Q: Float64Array; lambda: Float64Array; result: GapResult }> {
    const nHs = this.predictors.length;
    if (this.lastLp !== undefined && this.lastLp.nHs === nHs) return this.lastLp;
    const size = this.moment.size;
    const c = new Float64Array(size + 1);
    c[size] = 1;
    const A: Float64Array[] = [];
    const b: number[] = [];
    for (let j = 0; j < nHs; j++) {
      const rowJ = new Float64Array(size + 1);
      for (let k = 0; k < size; k++) rowJ[k] = -(this.gammas[j][k] - this.moment.bound);
      rowJ[size] = 1;
      A.push(rowJ);
      b.push(this.errors[j]);
    }
    const last = new Float64Array(size + 1).fill(1);
    last[size] = 0;
    A.push(last);
    b.push(this.B);
    const solution = simplexMax(c, A, b);
    if (solution === undefined)
      throw new Error('The reductions LP is unbounded; this cannot happen for B > 0.');
    const Q = new Float64Array(nHs);
    let total = 0;
    for (let j = 0; j < nHs; j++) total += solution.dual[j];
    for (let j = 0; j < nHs; j++) Q[j] = total > 0 ? solution.dual[j] / total : 1 / nHs;
    const lambda = solution.x.slice(0, size);
    const result = await this.evalGap(Q, lambda, nu);
    this.lastLp = { nHs, Q, lambda, result };
    return this.lastLp;
  }
}

/** Dot product of two equal-length arrays. */
function dotArr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
