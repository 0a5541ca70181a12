import { checkNumber, DataValidationError } from '../../core/index.js';
import type { DpBoundedOptions } from './dp-statistics.js';
import { checkBounds } from './dp-statistics.js';
import { sampleLogWeights } from './exponential.js';
import { checkEpsilon, type DpRelease } from './parameters.js';
import { randomSource } from './random-source.js';

/** Options of `dpQuantile`. */
export interface DpQuantileOptions extends DpBoundedOptions {
  /** The quantile q in [0, 1] (0.5 for the median). */
  q: number;
}

/**
 * The log-weights of `dpQuantile`'s intervals (Smith 2011): with z_0 = lower ≤ z_1 ≤ … ≤ z_n ≤ z_{n+1} = upper
 * the sorted clamped values, interval i = [z_i, z_{i+1}] has weight (z_{i+1} − z_i)·exp(ε·u_i/2),
 * u_i = −|i − q·n|. Also returns the interval ends.
 */
export function quantileIntervalLogWeights(
  values: ArrayLike<number>,
  q: number,
  epsilon: number,
  lower: number,
  upper: number,
): { ends: Float64Array; logWeights: Float64Array } {
  const n = values.length;
  const ends = new Float64Array(n + 2);
  ends[0] = lower;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v))
      throw new DataValidationError('dpQuantile needs numbers; drop or impute missing values first.', {
        row: i + 1,
      });
    ends[i + 1] = Math.min(upper, Math.max(lower, v));
  }
  ends[n + 1] = upper;
  ends.subarray(1, n + 1).sort();
  const logWeights = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const width = ends[i + 1] - ends[i];
    logWeights[i] =
      width > 0 ? Math.log(width) - (epsilon * Math.abs(i - q * n)) / 2 : Number.NEGATIVE_INFINITY;
  }
  return { ends, logWeights };
}

/**
 * ε-DP quantile by the exponential mechanism over the output range (Smith 2011; McSherry & Talwar 2007):
 * an output y in [lower, upper] has density ∝ exp(ε·u(y)/2), u(y) = −|#{x_j < y} − q·n|. The
 * utility is constant between consecutive sorted clamped values, so it picks interval i with weight
 * (z_{i+1} − z_i)·exp(−ε|i − q·n|/2) and returns a uniform point inside it. Adding or removing a
 * row moves u by at most max(q, 1 − q) ≤ 1 = Δu.
 */
export function dpQuantile(values: ArrayLike<number>, options: DpQuantileOptions): DpRelease<number> {
  checkEpsilon('dpQuantile', options.epsilon);
  const { lower, upper } = checkBounds('dpQuantile', options);
  checkNumber('dpQuantile', 'q', options.q, (v) => v >= 0 && v <= 1, 'in [0, 1]');
  const { ends, logWeights } = quantileIntervalLogWeights(values, options.q, options.epsilon, lower, upper);
  const random = randomSource(options.random, options.seed);
  const i = sampleLogWeights(logWeights, random);
  const value = ends[i] + random.double() * (ends[i + 1] - ends[i]);
  return { value, epsilon: options.epsilon, delta: 0, mechanism: 'exponential' };
}
