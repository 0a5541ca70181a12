import { InvalidParameterError } from '../../core/index.js';
import { checkDelta, checkEpsilon, checkSampleRate, checkSteps } from './check-options.js';
import { epsilonForSgm, OPACUS_DEFAULT_ORDERS } from './rdp.js';

/** The largest σ the search tries before it gives up (Opacus `MAX_SIGMA`). */
export const MAX_NOISE_MULTIPLIER = 1e6;

/** Options of {@link noiseMultiplierFor}. */
export interface NoiseMultiplierOptions {
  /** Target ε (> 0) to reach after `steps` steps. */
  targetEpsilon: number;
  /** Target δ in (0, 1). */
  delta: number;
  /** Poisson sampling rate q in (0, 1]. */
  sampleRate: number;
  /** Number of steps (integer ≥ 1); Opacus's epochs/q rule is `Math.trunc(epochs / sampleRate)`. */
  steps: number;
  /** Stop when the ε reached is within this much below the target (default 0.01, Opacus's default). */
  epsilonTolerance?: number;
  /** RDP orders (default {@link OPACUS_DEFAULT_ORDERS}). */
  orders?: readonly number[];
}

/**
 * The noise multiplier σ that spends at most `targetEpsilon` (Opacus `get_noise_multiplier` with the RDP
 * accountant, bit for bit): double σ from 10 (so 20 is tried first) until ε(σ) ≤ target, then bisect
 * [0, σ_high] until target − ε(σ_high) ≤ tolerance; returns σ_high, whose ε never exceeds the target.
 */
export function noiseMultiplierFor(options: NoiseMultiplierOptions): number {
  const owner = 'noiseMultiplierFor';
  const target = checkEpsilon(owner, options.targetEpsilon, 'targetEpsilon');
  const delta = checkDelta(owner, options.delta);
  const sampleRate = checkSampleRate(owner, options.sampleRate);
  const steps = checkSteps(owner, options.steps);
  const tolerance = options.epsilonTolerance ?? 0.01;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || !(tolerance > 0)) {
    throw new InvalidParameterError(
      `The 'epsilonTolerance' option of ${owner} must be a finite number > 0. Got ${String(tolerance)} instead.`,
    );
  }
  const orders = options.orders ?? OPACUS_DEFAULT_ORDERS;
  const eps = (noiseMultiplier: number) =>
    epsilonForSgm({ noiseMultiplier, sampleRate, steps, delta, orders }).epsilon;

  let epsHigh = Number.POSITIVE_INFINITY;
  let sigmaLow = 0;
  let sigmaHigh = 10;
  while (epsHigh > target) {
    sigmaHigh *= 2;
    epsHigh = eps(sigmaHigh);
    if (sigmaHigh > MAX_NOISE_MULTIPLIER) {
      throw new InvalidParameterError(
        `The privacy budget is too low: no noise multiplier up to ${MAX_NOISE_MULTIPLIER} reaches ε = ${target} at δ = ${delta} with sample rate ${sampleRate} over ${steps} steps. Raise 'targetEpsilon' or 'delta', or lower 'sampleRate' or 'steps'.`,
      );
    }
  }
  while (target - epsHigh > tolerance) {
    const sigma = (sigmaLow + sigmaHigh) / 2;
    const e = eps(sigma);
    if (e < target) {
      sigmaHigh = sigma;
      epsHigh = e;
    } else {
      sigmaLow = sigma;
    }
  }
  return sigmaHigh;
}
