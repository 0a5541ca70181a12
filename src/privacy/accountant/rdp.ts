import { InvalidParameterError } from '../../core/index.js';
import {
  checkDelta,
  checkNoiseMultiplier,
  checkOrders,
  checkSampleRate,
  checkSteps,
} from './check-options.js';
import { logNdtr } from './log-ndtr.js';

/** Opacus's default RDP orders (`RDPAccountant.DEFAULT_ALPHAS`): 1 + x/10 for x = 1..99, then 12..63 (151 orders). */
export const OPACUS_DEFAULT_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, k) => 1 + (k + 1) / 10),
  ...Array.from({ length: 52 }, (_, k) => 12 + k),
]);

/** log(e^x + e^y) in log space, as Opacus's `_log_add`. */
function logAdd(x: number, y: number): number {
  const a = Math.min(x, y);
  const b = Math.max(x, y);
  if (a === Number.NEGATIVE_INFINITY) return b;
  return Math.log1p(Math.exp(a - b)) + b;
}

/** log(e^x − e^y) in log space, as Opacus's `_log_sub`; NaN where Opacus raises (x < y). */
function logSub(x: number, y: number): number {
  if (x < y) return Number.NaN;
  if (y === Number.NEGATIVE_INFINITY) return x;
  if (x === y) return Number.NEGATIVE_INFINITY;
  const r = Math.log(Math.expm1(x - y)) + y;
  return Number.isFinite(r) ? r : x; // Python's math.expm1 overflows there; Opacus returns x
}

/** log A_α for integer α: logsumexp_i [log C(α,i) + i·log q + (α−i)·log(1−q) + (i²−i)/(2σ²)] (Mironov et al. 2019, §3.3). */
function logAInt(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log(1 - q);
  const twoSigma2 = 2 * sigma ** 2;
  let logA = Number.NEGATIVE_INFINITY;
  let coef = 1;
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) coef = (coef * (alpha - i + 1)) / i;
    const s = Math.log(coef) + i * logQ + (alpha - i) * log1mQ + (i * i - i) / twoSigma2;
    logA = logAdd(logA, s);
  }
  return logA;
}

/**
 * log A_α for fractional α: the two-sided series of Mironov, Talwar & Zhang 2019 ("Rényi differential
 * privacy of the sampled Gaussian mechanism", §3.3), split at z0 = σ²·log(1/q − 1) + 1/2. Terms whose
 * real binomial coefficient C(α,i) is negative are subtracted; the loop stops after the first i with
 * max(log s0, log s1) < −30, exactly as Opacus.
 */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = Number.NEGATIVE_INFINITY;
  let logA1 = Number.NEGATIVE_INFINITY;
  const z0 = sigma ** 2 * Math.log(1 / q - 1) + 0.5;
  const logQ = Math.log(q);
  const log1mQ = Math.log(1 - q);
  const twoSigma2 = 2 * sigma ** 2;
  const sqrt2Sigma = Math.SQRT2 * sigma;
  const logHalf = Math.log(0.5);
  let coef = 1;
  for (let i = 0; ; i++) {
    if (i > 0) coef = (coef * (alpha - i + 1)) / i;
    const logCoef = Math.log(Math.abs(coef));
    const j = alpha - i;
    const logT0 = logCoef + i * logQ + j * log1mQ;
    const logT1 = logCoef + j * logQ + i * log1mQ;
    const logE0 = logHalf + logErfc((i - z0) / sqrt2Sigma);
    const logE1 = logHalf + logErfc((z0 - j) / sqrt2Sigma);
    const logS0 = logT0 + (i * i - i) / twoSigma2 + logE0;
    const logS1 = logT1 + (j * j - j) / twoSigma2 + logE1;
    if (coef > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    // NaN (a failed subtraction) also ends the loop instead of running forever.
    if (!(Math.max(logS0, logS1) >= -30)) break;
  }
  return logAdd(logA0, logA1);
}

/** log erfc(x) = log 2 + log Φ(−√2·x), accurate for large x. */
function logErfc(x: number): number {
  return Math.LN2 + logNdtr(-x * Math.SQRT2);
}

/** Per-step RDP of the Sampled Gaussian Mechanism at order α (Mironov, Talwar & Zhang 2019): log A_α / (α − 1). */
function rdpPerStep(q: number, sigma: number, alpha: number): number {
  if (sigma === 0) return Number.POSITIVE_INFINITY;
  if (q === 1) return alpha / (2 * sigma ** 2); // plain Gaussian mechanism
  if (alpha === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return logA / (alpha - 1);
}

/**
 * Total RDP of `steps` identical steps of the Sampled Gaussian Mechanism (Poisson rate q, noise σ·sensitivity,
 * add/remove-one adjacency), per order: RDP_total(α) = steps · log A_α / (α − 1) (Mironov, Talwar & Zhang
 * 2019; Opacus `compute_rdp`). Integer orders use the binomial sum, fractional orders the signed series.
 */
export function computeRdp(
  sampleRate: number,
  noiseMultiplier: number,
  steps: number,
  orders: readonly number[],
): Float64Array {
  const owner = 'computeRdp';
  checkSampleRate(owner, sampleRate);
  checkNoiseMultiplier(owner, noiseMultiplier);
  checkSteps(owner, steps);
  checkOrders(owner, orders);
  const out = new Float64Array(orders.length);
  for (let k = 0; k < orders.length; k++) out[k] = rdpPerStep(sampleRate, noiseMultiplier, orders[k]) * steps;
  return out;
}

/** ε at the best order, and that order. */
export interface EpsilonAtOrder {
  /** ε of the (ε, δ)-DP guarantee; +∞ when there is no privacy (σ = 0). */
  epsilon: number;
  /** The RDP order α at which ε is smallest (NaN only when every order gave NaN). */
  alpha: number;
}

/**
 * Converts RDP to (ε, δ)-DP with the improved bound of Balle et al. 2020 ("Hypothesis testing
 * interpretations and Rényi DP", Thm. 21), as Opacus `get_privacy_spent`:
 * ε_α = RDP_α − (ln δ + ln α)/(α − 1) + ln((α − 1)/α), minimised over α ignoring NaN (first index on ties).
 */
export function rdpToEpsilon(
  orders: readonly number[],
  rdp: ArrayLike<number>,
  delta: number,
): EpsilonAtOrder {
  const owner = 'rdpToEpsilon';
  checkOrders(owner, orders);
  checkDelta(owner, delta);
  if (rdp.length !== orders.length) {
    throw new InvalidParameterError(
      `The 'rdp' option of rdpToEpsilon must have one value per order (${orders.length}). Got ${rdp.length} values instead.`,
    );
  }
  const logDelta = Math.log(delta);
  let best = -1;
  let bestEps = Number.NaN;
  for (let k = 0; k < orders.length; k++) {
    const a = orders[k];
    const eps = rdp[k] - (logDelta + Math.log(a)) / (a - 1) + Math.log((a - 1) / a);
    if (Number.isNaN(eps)) continue;
    if (best < 0 || eps < bestEps) {
      best = k;
      bestEps = eps;
    }
  }
  if (best < 0) return { epsilon: Number.POSITIVE_INFINITY, alpha: Number.NaN };
  return { epsilon: bestEps, alpha: orders[best] };
}

/** Options of {@link epsilonForSgm}. */
export interface SgmEpsilonOptions {
  /** Noise standard deviation over the L2 sensitivity (σ ≥ 0). */
  noiseMultiplier: number;
  /** Poisson sampling rate q in (0, 1]. */
  sampleRate: number;
  /** Number of identical steps (integer ≥ 1). */
  steps: number;
  /** Target δ in (0, 1). */
  delta: number;
  /** RDP orders (default {@link OPACUS_DEFAULT_ORDERS}). */
  orders?: readonly number[];
}

/** ε (and best order) of `steps` steps of the Sampled Gaussian Mechanism at δ: computeRdp then rdpToEpsilon (Opacus RDP accountant). */
export function epsilonForSgm(options: SgmEpsilonOptions): EpsilonAtOrder {
  const owner = 'epsilonForSgm';
  checkNoiseMultiplier(owner, options.noiseMultiplier);
  checkSampleRate(owner, options.sampleRate);
  checkSteps(owner, options.steps);
  checkDelta(owner, options.delta);
  const orders = options.orders ?? OPACUS_DEFAULT_ORDERS;
  checkOrders(owner, orders);
  return rdpToEpsilon(orders, prunedRdp(options, orders), options.delta);
}

/**
 * RDP per order for `epsilonForSgm`, skipping orders that cannot give the smallest ε. RDP is non-decreasing
 * in α (van Erven & Harremoës 2014, "Rényi divergence and Kullback-Leibler divergence", Thm. 3), so
 * RDP(α) ≥ RDP(⌊α⌋) (≥ 0 below 2) and ε_α ≥ RDP(⌊α⌋) − (ln δ + ln α)/(α − 1) + ln((α − 1)/α). Integer orders
 * are cheap; a fractional order whose bound exceeds the best ε found so far is left at +∞ instead of summing
 * its long series. The minimum and its order are the same as with every order computed (the reference tests
 * check it); only the skipped orders' RDP, which `computeRdp` still gives exactly, is not computed.
 */
function prunedRdp(options: SgmEpsilonOptions, orders: readonly number[]): Float64Array {
  const { sampleRate: q, noiseMultiplier: sigma, steps, delta } = options;
  const logDelta = Math.log(delta);
  const epsAt = (a: number, rdp: number) => rdp - (logDelta + Math.log(a)) / (a - 1) + Math.log((a - 1) / a);
  const rdp = new Float64Array(orders.length);
  const integerRdp = new Map<number, number>();
  const rdpAtInteger = (a: number) => {
    if (a < 2) return 0;
    let v = integerRdp.get(a);
    if (v === undefined) {
      v = rdpPerStep(q, sigma, a) * steps;
      integerRdp.set(a, v);
    }
    return v;
  };
  let best = Number.POSITIVE_INFINITY;
  const fractional: number[] = [];
  orders.forEach((a, k) => {
    if (Number.isInteger(a) || a === Number.POSITIVE_INFINITY) {
      rdp[k] = a === Number.POSITIVE_INFINITY ? rdpPerStep(q, sigma, a) * steps : rdpAtInteger(a);
      const eps = epsAt(a, rdp[k]);
      if (eps < best) best = eps;
    } else {
      fractional.push(k);
    }
  });
  for (const k of fractional) {
    const a = orders[k];
    // A small margin keeps an order whose true ε could tie the best within rounding.
    if (epsAt(a, rdpAtInteger(Math.floor(a))) > best + 1e-9 * Math.abs(best) + 1e-12) {
      rdp[k] = Number.POSITIVE_INFINITY;
      continue;
    }
    rdp[k] = rdpPerStep(q, sigma, a) * steps;
    const eps = epsAt(a, rdp[k]);
    if (eps < best) best = eps;
  }
  return rdp;
}
