import { checkNumber, DataValidationError, InvalidParameterError } from '../../core/index.js';
import { discreteLaplaceMechanism } from './discrete.js';
import { laplaceMechanism } from './laplace.js';
import { checkEpsilon, type DpRelease, type MechanismRandomOptions } from './parameters.js';
import { randomSource } from './random-source.js';

/** Options every DP statistic takes. Adjacency is add/remove one row throughout. */
export interface DpStatisticOptions extends MechanismRandomOptions {
  /** Privacy parameter ε > 0 spent by the release. */
  epsilon: number;
}

/** Options of `dpSum` and `dpMean`: every value is clamped to [lower, upper] first. */
export interface DpBoundedOptions extends DpStatisticOptions {
  /** Lower clamping bound (finite, public: never derive it from the data). */
  lower: number;
  /** Upper clamping bound (finite, > lower, public). */
  upper: number;
}

/** Options of `dpHistogram`: either public categories or public numeric bin edges. */
export interface DpHistogramOptions extends DpStatisticOptions {
  /** Categories, one bin each; values equal to none of them are not counted. */
  bins?: readonly (string | number)[];
  /** Ascending numeric edges e_0 < … < e_k: bin i is [e_i, e_{i+1}), the last one closed; values outside are not counted. */
  edges?: readonly number[];
}

/** A released histogram: one label and one noisy count per bin. */
export interface DpHistogramValue {
  /** Bin labels (the category, or "[a, b)" for numeric edges). */
  labels: string[];
  /** Noisy non-negative integer counts, one per bin. */
  counts: number[];
}

/**
 * ε-DP row count: n + Y with Y ~ Lap_ℤ(1/ε) (discrete Laplace, exact sampling; sensitivity 1 under
 * add/remove), clamped at 0 — post-processing, which costs no privacy (Dwork & Roth 2014, Prop. 2.1).
 */
export function dpCount(rows: ArrayLike<unknown>, options: DpStatisticOptions): DpRelease<number> {
  checkEpsilon('dpCount', options.epsilon);
  const noisy = discreteLaplaceMechanism(rows.length, {
    ...options,
    random: randomSource(options.random, options.seed),
  });
  return { value: Math.max(0, noisy), epsilon: options.epsilon, delta: 0, mechanism: 'discrete-laplace' };
}

/**
 * ε-DP sum of values clamped to [lower, upper]: Σ clamp(x) + Laplace noise by the snapping mechanism
 * (Mironov 2012), sensitivity Δ = max(|lower|, |upper|) (adding or removing one row moves the sum by at most Δ).
 */
export function dpSum(values: ArrayLike<number>, options: DpBoundedOptions): DpRelease<number> {
  checkEpsilon('dpSum', options.epsilon);
  const { lower, upper } = checkBounds('dpSum', options);
  const sensitivity = Math.max(Math.abs(lower), Math.abs(upper));
  const value = laplaceMechanism(clampedSum(values, lower, upper), {
    epsilon: options.epsilon,
    sensitivity,
    random: randomSource(options.random, options.seed),
  });
  return { value, epsilon: options.epsilon, delta: 0, mechanism: 'snapping-laplace' };
}

/**
 * ε-DP mean of values clamped to [lower, upper]: half the budget on a noisy sum (`dpSum`, ε/2), half on
 * a noisy count (`dpCount`, ε/2), basic composition (Dwork & Roth 2014, Thm 3.16); the ratio
 * S̃/max(ñ, 1) is clamped to [lower, upper] (post-processing, free).
 */
export function dpMean(values: ArrayLike<number>, options: DpBoundedOptions): DpRelease<number> {
  checkEpsilon('dpMean', options.epsilon);
  const { lower, upper } = checkBounds('dpMean', options);
  const random = randomSource(options.random, options.seed);
  const half = options.epsilon / 2;
  const sum = dpSum(values, { epsilon: half, lower, upper, random }).value;
  const count = dpCount(values, { epsilon: half, random }).value;
  const value = Math.min(upper, Math.max(lower, sum / Math.max(count, 1)));
  return { value, epsilon: options.epsilon, delta: 0, mechanism: 'snapping-laplace+discrete-laplace' };
}

/**
 * ε-DP histogram: each bin count plus independent Lap_ℤ(1/ε) noise. Adding or removing one row
 * changes exactly one bin by 1, so the ℓ1 sensitivity of the whole vector is 1 (parallel
 * composition: ε in total, not per bin). Bins must be public; counts are clamped at 0 (free).
 */
export function dpHistogram(
  values: ArrayLike<string | number>,
  options: DpHistogramOptions,
): DpRelease<DpHistogramValue> {
  checkEpsilon('dpHistogram', options.epsilon);
  const { labels, binOf } = histogramBins(options);
  const counts = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = binOf(values[i]);
    if (bin >= 0) counts[bin]++;
  }
  const random = randomSource(options.random, options.seed);
  const noisy = counts.map((c) =>
    Math.max(0, discreteLaplaceMechanism(c, { epsilon: options.epsilon, random })),
  );
  return {
    value: { labels, counts: noisy },
    epsilon: options.epsilon,
    delta: 0,
    mechanism: 'discrete-laplace',
  };
}

function histogramBins(options: DpHistogramOptions): {
  labels: string[];
  binOf: (v: string | number) => number;
} {
  if ((options.bins === undefined) === (options.edges === undefined)) {
    throw new InvalidParameterError(
      "dpHistogram needs exactly one of the options 'bins' (categories) or 'edges' (numeric). Got both or neither.",
    );
  }
  if (options.bins !== undefined) {
    const index = new Map<string | number, number>();
    options.bins.forEach((b, i) => {
      if (index.has(b))
        throw new InvalidParameterError(
          `The 'bins' option of dpHistogram must not repeat a category. Got ${String(b)} twice.`,
        );
      index.set(b, i);
    });
    if (index.size === 0)
      throw new InvalidParameterError(
        "The 'bins' option of dpHistogram must hold at least one category. Got none.",
      );
    return { labels: options.bins.map(String), binOf: (v) => index.get(v) ?? -1 };
  }
  const edges = options.edges as readonly number[];
  const ascending =
    edges.length >= 2 && edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > edges[i - 1]));
  if (!ascending) {
    throw new InvalidParameterError(
      `The 'edges' option of dpHistogram must be at least 2 finite, strictly ascending numbers. Got ${JSON.stringify(edges)} instead.`,
    );
  }
  const k = edges.length - 1;
  const labels = Array.from(
    { length: k },
    (_, i) => `[${edges[i]}, ${edges[i + 1]}${i === k - 1 ? ']' : ')'}`,
  );
  const binOf = (v: string | number): number => {
    if (typeof v !== 'number' || !(v >= edges[0] && v <= edges[k])) return -1;
    let lo = 0;
    let hi = k - 1; // last i with edges[i] <= v
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { labels, binOf };
}

/** Checks that lower < upper are finite numbers. */
export function checkBounds(
  owner: string,
  options: { lower: number; upper: number },
): { lower: number; upper: number } {
  checkNumber(owner, 'lower', options.lower, () => true, 'a finite number');
  checkNumber(
    owner,
    'upper',
    options.upper,
    (u) => u > options.lower,
    `a finite number > lower (${options.lower})`,
  );
  return { lower: options.lower, upper: options.upper };
}

function clampedSum(values: ArrayLike<number>, lower: number, upper: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v))
      throw new DataValidationError('A DP sum or mean needs numbers; drop or impute missing values first.', {
        row: i + 1,
      });
    sum += Math.min(upper, Math.max(lower, v));
  }
  return sum;
}
