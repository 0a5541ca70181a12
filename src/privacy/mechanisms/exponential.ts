import { checkNumber, InvalidParameterError } from '../../core/index.js';
import { checkEpsilon, checkSensitivity, type MechanismRandomOptions } from './parameters.js';
import { type RandomBits, randomSource } from './random-source.js';

/** Options of `exponentialMechanism`. */
export interface ExponentialOptions extends MechanismRandomOptions {
  /** Privacy parameter ε > 0. */
  epsilon: number;
  /** Sensitivity Δu of the utility function (> 0); default 1. */
  sensitivity?: number;
}

/**
 * Draws index i with probability exp(w_i) / Σ_j exp(w_j) from unnormalised log-weights (−∞ allowed for
 * weight 0): shifts by max w (so no overflow), forms the cumulative sums and inverts one uniform
 * T·U, U with 53 bits. Exact up to the rounding of exp and the 2^−53 grid of U.
 */
export function sampleLogWeights(logWeights: ArrayLike<number>, random: RandomBits): number {
  const n = logWeights.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const w = logWeights[i];
    if (Number.isNaN(w) || w === Number.POSITIVE_INFINITY) {
      throw new InvalidParameterError(
        `The log-weight at index ${i} of sampleLogWeights must be finite or −Infinity. Got ${w} instead.`,
      );
    }
    if (w > max) max = w;
  }
  if (max === Number.NEGATIVE_INFINITY) {
    throw new InvalidParameterError(
      'The log-weights of sampleLogWeights must have at least one finite entry. Got none.',
    );
  }
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += Math.exp(logWeights[i] - max);
    cumulative[i] = total;
  }
  const target = randomSource(random).double() * total;
  let lo = 0;
  let hi = n - 1; // first i with cumulative[i] > target (binary search)
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The exponential mechanism (McSherry & Talwar 2007): picks candidate r with probability
 * P(r) ∝ exp(ε·u(r) / (2Δu)), ε-DP when changing one row moves any utility by at most Δu.
 * Returns the chosen index into `utilities`. Sampled by inverting the CDF of the normalised pmf at one
 * 53-bit uniform (`sampleLogWeights`): the same distribution as the Gumbel-max trick, argmax_r of
 * ε·u(r)/(2Δu) + Gumbel noise, with one draw instead of one per candidate. The weights are doubles:
 * not hardened against floating-point attacks (see docs/privacy-mechanisms.md).
 */
export function exponentialMechanism(utilities: ArrayLike<number>, options: ExponentialOptions): number {
  checkEpsilon('exponentialMechanism', options.epsilon);
  const sensitivity = checkSensitivity('exponentialMechanism', options.sensitivity ?? 1);
  if (utilities.length === 0) {
    throw new InvalidParameterError(
      "The 'utilities' of exponentialMechanism must hold at least one candidate. Got none.",
    );
  }
  const logWeights = new Float64Array(utilities.length);
  for (let i = 0; i < utilities.length; i++) {
    checkNumber('exponentialMechanism', `utilities[${i}]`, utilities[i], () => true, 'a finite number');
    logWeights[i] = (options.epsilon * utilities[i]) / (2 * sensitivity);
  }
  return sampleLogWeights(logWeights, randomSource(options.random, options.seed));
}

/** The exact pmf of `exponentialMechanism`: P(i) = exp(ε u_i/(2Δu)) / Σ_j exp(ε u_j/(2Δu)). */
export function exponentialMechanismProbabilities(
  utilities: ArrayLike<number>,
  epsilon: number,
  sensitivity = 1,
): Float64Array {
  checkEpsilon('exponentialMechanismProbabilities', epsilon);
  checkSensitivity('exponentialMechanismProbabilities', sensitivity);
  const scores = Array.from(utilities, (u) => (epsilon * u) / (2 * sensitivity));
  const max = scores.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
  const p = Float64Array.from(scores, (s) => Math.exp(s - max));
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / total);
}
