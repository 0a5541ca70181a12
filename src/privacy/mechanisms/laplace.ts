import { checkNumber } from '../../core/index.js';
import { checkEpsilon, checkFinite, checkSensitivity, type MechanismRandomOptions } from './parameters.js';
import { type RandomBits, randomSource } from './random-source.js';

/** Options of `laplaceMechanism`. */
export interface LaplaceOptions extends MechanismRandomOptions {
  /** Privacy parameter ε > 0 (the whole snapped mechanism is ε-DP, the 2^−49 term included). */
  epsilon: number;
  /** ℓ1 sensitivity Δ of the query (> 0); default 1. */
  sensitivity?: number;
  /** Clamping bound B: the input and the output are clamped to [−B, B]. Default Δ · 2^30 / ε. */
  bound?: number;
}

/** The constants of a snapping mechanism, in units of the sensitivity Δ (the query scaled to sensitivity 1). */
export interface SnappingParameters {
  /** Noise scale λ, chosen so that 1/λ + 2^−49·B/λ = ε (Mironov 2012, Thm 1). */
  lambda: number;
  /** Rounding step Λ: the smallest power of two ≥ λ. */
  step: number;
  /** Clamping bound B/Δ. */
  bound: number;
}

const TWO_POW_MINUS_49 = 2 ** -49;

/**
 * A Laplace(0, scale) deviate as Mironov (2012, §5.2) prescribes it: S · scale · ln(U*), with S a
 * uniform sign and U* uniform on ALL doubles in (0, 1) (`fullPrecisionDouble`), so that ln(U*)
 * reaches every tail value a real uniform would, not only those of k/2^53.
 */
export function sampleLaplace(scale: number, random: RandomBits): number {
  const source = randomSource(random);
  const sign = source.bit() === 1 ? 1 : -1;
  return sign * scale * Math.log(source.fullPrecisionDouble());
}

/**
 * λ, Λ and B/Δ of the snapping mechanism (Mironov 2012, Thm 1): for a sensitivity-1 query the snapped
 * mechanism with noise scale λ and bound B is (1/λ + 2^−49·B/λ)-DP when λ < B < 2^46·λ; solving for λ
 * gives λ = (1 + 2^−49·B)/ε, so the mechanism spends exactly the ε asked for.
 */
export function snappingParameters(epsilon: number, sensitivity = 1, bound?: number): SnappingParameters {
  checkEpsilon('laplaceMechanism', epsilon);
  checkSensitivity('laplaceMechanism', sensitivity);
  const b = bound === undefined ? 2 ** 30 / epsilon : bound / sensitivity;
  const lambda = (1 + TWO_POW_MINUS_49 * b) / epsilon;
  checkNumber(
    'laplaceMechanism',
    'bound',
    bound ?? b * sensitivity,
    () => lambda < b && b < 2 ** 46 * lambda,
    `in (λ·Δ, 2^46·λ·Δ) = (${lambda * sensitivity}, ${2 ** 46 * lambda * sensitivity}) for this ε and sensitivity (Mironov 2012, Thm 1)`,
  );
  let step = 2 ** Math.ceil(Math.log2(lambda));
  while (step < lambda) step *= 2; // guard against log2 rounding
  while (step / 2 >= lambda) step /= 2;
  return { lambda, step, bound: b };
}

/**
 * The Laplace mechanism (Dwork, McSherry, Nissim & Smith 2006), M(x) = x + Lap(Δ/ε), made safe for
 * floating point by Mironov's (2012) snapping mechanism. In units of Δ (x' = x/Δ, B' = B/Δ):
 *   M(x) = Δ · clamp_B'( round_Λ( clamp_B'(x') + S·λ·ln(U*) ) ),
 * (1) clamp, (2) add Laplace noise from a full-precision uniform U* and a random sign S, (3) round
 * to the nearest multiple of Λ (the smallest power of two ≥ λ), (4) clamp again. Rounding to Λ hides
 * the low-order bits through which the textbook inverse-CDF sampler leaks its input. ε-DP with
 * λ = (1 + 2^−49·B')/ε (Thm 1); the output lies on the grid Δ·Λ·ℤ.
 */
export function laplaceMechanism(value: number, options: LaplaceOptions): number {
  checkFinite('laplaceMechanism', value);
  const sensitivity = options.sensitivity ?? 1;
  const { lambda, step, bound } = snappingParameters(options.epsilon, sensitivity, options.bound);
  const source = randomSource(options.random, options.seed);
  const x = clamp(value / sensitivity, bound);
  const noisy = x + sampleLaplace(lambda, source);
  const snapped = Math.round(noisy / step) * step; // exact: Λ is a power of two
  return clamp(snapped, bound) * sensitivity;
}

/** The Laplace CDF with location 0 and scale b: F(x) = ½e^(x/b) for x < 0, 1 − ½e^(−x/b) otherwise. */
export function laplaceCdf(x: number, scale: number): number {
  return x < 0 ? 0.5 * Math.exp(x / scale) : 1 - 0.5 * Math.exp(-x / scale);
}

function clamp(x: number, bound: number): number {
  return Math.min(bound, Math.max(-bound, x));
}
