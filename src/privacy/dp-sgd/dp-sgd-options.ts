import {
  checkInRange,
  checkInteger,
  checkNumber,
  checkPositive,
  describeValue,
  InvalidParameterError,
} from '../../core/index.js';

/** The privacy spent after one epoch of DP-SGD, and the loss seen on that epoch's lots. */
export interface DpSgdEpoch {
  /** 1-based epoch number. */
  epoch: number;
  /** Noisy steps taken so far. */
  steps: number;
  /** ε spent so far at the run's δ (the RDP accountant's conversion); Infinity when σ = 0. */
  epsilon: number;
  /** The Rényi order that gave ε (NaN when σ = 0). */
  alpha: number;
  /** Mean log-loss of the rows of this epoch's lots before each step (not privatised: for monitoring only). */
  loss: number;
}

/** Options of `DpSgdClassifier`; give exactly one of `noiseMultiplier` and `targetEpsilon`. */
export interface DpSgdClassifierOptions {
  /** Units per hidden ReLU layer: [] is logistic regression (the default), [32] a one-hidden-layer MLP. */
  hiddenLayerSizes?: readonly number[];
  /** Passes over the data; each has round(1/q) = round(n / batchSize) steps. Default 5. */
  epochs?: number;
  /** Step size. Default 0.05 for 'adam', 1 for 'sgd'. */
  learningRate?: number;
  /** 'adam' (default) or 'sgd' (plain gradient steps). Both only post-process the noisy gradient. */
  optimizer?: 'sgd' | 'adam';
  /** Expected lot size L; each row joins a lot with probability q = L / n. Default 256. */
  batchSize?: number;
  /** Clipping norm C (> 0): each per-sample gradient g is scaled to g·min(1, C/‖g‖). Default 1. */
  maxGradNorm?: number;
  /** Noise multiplier σ (>= 0): the noise is N(0, σ²C²I). σ = 0 is non-private (ε = Infinity). */
  noiseMultiplier?: number;
  /** Target ε (> 0): σ is the smallest noise multiplier whose ε after all steps is <= this. */
  targetEpsilon?: number;
  /** δ in (0, 1). Default: the largest power of ten below 1/n, 10^−(⌊log₁₀ n⌋ + 1). */
  delta?: number;
  /** Seed of the initial weights, and of lots and noise when `secureNoise` is false. Default 0. */
  seed?: number;
  /** Draw lots and noise from node:crypto (default true); false draws them from `seed` (reproducible, for tests only). */
  secureNoise?: boolean;
}

/** The options with defaults applied and validated. */
export interface ResolvedDpSgdOptions {
  hiddenLayerSizes: number[];
  epochs: number;
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  batchSize: number;
  maxGradNorm: number;
  noiseMultiplier: number | undefined;
  targetEpsilon: number | undefined;
  delta: number | undefined;
  seed: number;
  secureNoise: boolean;
}

const OWNER = 'DpSgdClassifier';

/** δ's default for n training rows: the largest power of ten strictly below 1/n. */
export function defaultDpSgdDelta(n: number): number {
  // Parsed from its decimal form so that 1e-5 is the double nearest 10⁻⁵ (10 ** -5 is not).
  return Number(`1e-${Math.floor(Math.log10(n)) + 1}`);
}

/** Applies defaults and checks every option, throwing InvalidParameterError naming the option and its range. */
export function resolveDpSgdOptions(options: DpSgdClassifierOptions): ResolvedDpSgdOptions {
  const optimizer = options.optimizer ?? 'adam';
  if (optimizer !== 'sgd' && optimizer !== 'adam') {
    throw new InvalidParameterError(
      `The 'optimizer' option of ${OWNER} must be 'sgd' or 'adam'. Got ${describeValue(optimizer)} instead.`,
    );
  }
  const hidden = options.hiddenLayerSizes;
  if (
    hidden !== undefined &&
    (!Array.isArray(hidden) || !hidden.every((h) => Number.isInteger(h) && h >= 1))
  ) {
    throw new InvalidParameterError(
      `The 'hiddenLayerSizes' option of ${OWNER} must be an array of integers >= 1 ([] for logistic regression). Got ${describeValue(hidden)} instead.`,
    );
  }
  const o: ResolvedDpSgdOptions = {
    hiddenLayerSizes: [...(options.hiddenLayerSizes ?? [])],
    epochs: options.epochs ?? 5,
    learningRate: options.learningRate ?? (optimizer === 'adam' ? 0.05 : 1),
    optimizer,
    batchSize: options.batchSize ?? 256,
    maxGradNorm: options.maxGradNorm ?? 1,
    noiseMultiplier: options.noiseMultiplier,
    targetEpsilon: options.targetEpsilon,
    delta: options.delta,
    seed: options.seed ?? 0,
    secureNoise: options.secureNoise ?? true,
  };
  checkInteger(OWNER, 'epochs', o.epochs, 1);
  checkPositive(OWNER, 'learningRate', o.learningRate);
  checkInteger(OWNER, 'batchSize', o.batchSize, 1);
  checkPositive(OWNER, 'maxGradNorm', o.maxGradNorm);
  if (o.noiseMultiplier !== undefined && o.targetEpsilon !== undefined) {
    throw new InvalidParameterError(
      `${OWNER} takes either the 'noiseMultiplier' or the 'targetEpsilon' option, not both. Got noiseMultiplier ${o.noiseMultiplier} and targetEpsilon ${o.targetEpsilon}.`,
    );
  }
  if (o.noiseMultiplier === undefined && o.targetEpsilon === undefined) {
    throw new InvalidParameterError(
      `${OWNER} needs the 'noiseMultiplier' option (>= 0) or the 'targetEpsilon' option (> 0). Got neither.`,
    );
  }
  if (o.noiseMultiplier !== undefined)
    checkNumber(OWNER, 'noiseMultiplier', o.noiseMultiplier, (v) => v >= 0, '>= 0');
  if (o.targetEpsilon !== undefined) checkPositive(OWNER, 'targetEpsilon', o.targetEpsilon);
  if (o.delta !== undefined) checkInRange(OWNER, 'delta', o.delta, 0, 1, true);
  checkInteger(OWNER, 'seed', o.seed, 0);
  if (typeof o.secureNoise !== 'boolean') {
    throw new InvalidParameterError(
      `The 'secureNoise' option of ${OWNER} must be true or false. Got ${describeValue(o.secureNoise)} instead.`,
    );
  }
  return o;
}

/** q = L / n, checked to lie in (0, 1]. */
export function dpSgdSampleRate(batchSize: number, rows: number): number {
  const q = batchSize / rows;
  if (!(q > 0 && q <= 1)) {
    throw new InvalidParameterError(
      `The 'batchSize' option of ${OWNER} must be at most the ${rows} training rows, so that the sample rate batchSize / n is in (0, 1]. Got ${batchSize} (sample rate ${q}) instead.`,
    );
  }
  return q;
}
