import { InvalidParameterError } from '../../core/index.js';
import { logNdtr, ndtr } from '../accountant/index.js';
import {
  checkDelta,
  checkEpsilon,
  checkFinite,
  checkSensitivity,
  type MechanismRandomOptions,
} from './parameters.js';
import { type RandomBits, randomSource } from './random-source.js';

/** Options of `gaussianMechanism`. */
export interface GaussianOptions extends MechanismRandomOptions {
  /** Privacy parameter ε > 0 (< 1 for the classic calibration). */
  epsilon: number;
  /** Privacy parameter δ in (0, 1). */
  delta: number;
  /** ℓ2 sensitivity Δ of the query (> 0); default 1. */
  sensitivity?: number;
  /** 'analytic' (Balle & Wang 2018, default) or 'classic' (Dwork & Roth 2014, Thm A.1). */
  calibration?: 'analytic' | 'classic';
}

/** Relative width of the final bisection bracket of `analyticGaussianSigma`. */
export const ANALYTIC_GAUSSIAN_TOLERANCE = 1e-12;

/**
 * The classic Gaussian mechanism's noise (Dwork & Roth 2014, Thm A.1): σ = Δ·√(2 ln(1.25/δ))/ε,
 * (ε, δ)-DP for ε in (0, 1) only.
 */
export function classicGaussianSigma(epsilon: number, delta: number, sensitivity = 1): number {
  checkEpsilon('classicGaussianSigma', epsilon);
  if (epsilon >= 1) {
    throw new InvalidParameterError(
      `The 'epsilon' option of classicGaussianSigma must be in (0, 1) (Dwork & Roth 2014, Thm A.1); use the analytic calibration for larger ε. Got ${epsilon} instead.`,
    );
  }
  checkDelta('classicGaussianSigma', delta);
  checkSensitivity('classicGaussianSigma', sensitivity);
  return (sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
}

/**
 * The exact δ of the Gaussian mechanism with noise σ (Balle & Wang 2018, Thm 8):
 * δ(σ) = Φ(Δ/(2σ) − εσ/Δ) − e^ε · Φ(−Δ/(2σ) − εσ/Δ); the second term is taken in log space.
 */
export function gaussianMechanismDelta(sigma: number, epsilon: number, sensitivity = 1): number {
  const a = sensitivity / (2 * sigma);
  const b = (epsilon * sigma) / sensitivity;
  return ndtr(a - b) - Math.exp(epsilon + logNdtr(-a - b));
}

/**
 * The analytic Gaussian mechanism (Balle & Wang 2018, Thm 8 and Alg. 1): the smallest σ with
 * δ(σ) ≤ δ for the exact condition of `gaussianMechanismDelta`. δ(σ) decreases in σ, so σ is found
 * by bracketing (doubling/halving) and bisection until the bracket is narrower than 1e−12·σ; the
 * upper end is returned, so the condition always holds at the returned σ. Valid for every ε > 0.
 */
export function analyticGaussianSigma(epsilon: number, delta: number, sensitivity = 1): number {
  checkEpsilon('analyticGaussianSigma', epsilon);
  checkDelta('analyticGaussianSigma', delta);
  checkSensitivity('analyticGaussianSigma', sensitivity);
  const ok = (sigma: number) => gaussianMechanismDelta(sigma, epsilon, sensitivity) <= delta;
  let hi = sensitivity;
  while (!ok(hi)) hi *= 2;
  let lo = hi;
  while (ok(lo)) lo /= 2;
  while (hi - lo > ANALYTIC_GAUSSIAN_TOLERANCE * hi) {
    const mid = 0.5 * (lo + hi);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A N(0, σ²) deviate by the Box–Muller transform (Box & Muller 1958): σ·√(−2 ln u)·cos(2πv), u in (0, 1]. */
export function sampleGaussian(sigma: number, random: RandomBits): number {
  const source = randomSource(random);
  const u = 1 - source.double();
  const v = source.double();
  return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * The Gaussian mechanism M(x) = x + N(0, σ²) with σ from the analytic (default) or classic
 * calibration. Floating-point noise: NOT protected against Mironov's (2012) attack on the low-order
 * bits; for integer queries prefer `discreteGaussianMechanism`.
 */
export function gaussianMechanism(value: number, options: GaussianOptions): number {
  checkFinite('gaussianMechanism', value);
  const sensitivity = options.sensitivity ?? 1;
  const sigma =
    options.calibration === 'classic'
      ? classicGaussianSigma(options.epsilon, options.delta, sensitivity)
      : analyticGaussianSigma(options.epsilon, options.delta, sensitivity);
  return value + sampleGaussian(sigma, randomSource(options.random, options.seed));
}
