import { InvalidParameterError } from '../../core/index.js';
import { checkDelta, checkSampleRate, checkSteps } from './check-options.js';
import { irfft, rfft } from './fft.js';
import { erfc } from './log-ndtr.js';
import { integrate } from './quadrature.js';
import { epsilonForSgm } from './rdp.js';

/** Options of {@link prvEpsilon}. */
export interface PrvEpsilonOptions {
  /** Noise multiplier σ (> 0). */
  noiseMultiplier: number;
  /** Poisson sampling rate q in (0, 1]. */
  sampleRate: number;
  /** Number of identical steps (integer ≥ 1). */
  steps: number;
  /** Target δ in (0, 1). */
  delta: number;
  /** Allowed error in ε (default 0.01, Opacus's default). */
  epsError?: number;
  /** Allowed error in δ (default δ/1000, Opacus's default). */
  deltaError?: number;
}

/** The PRV accountant's ε bounds. */
export interface PrvEpsilon {
  /** The guarantee: the upper bound (what Opacus's PRVAccountant.get_epsilon returns). */
  epsilon: number;
  /** Lower bound on the true ε of the mechanism. */
  epsilonLower: number;
  /** Point estimate. */
  epsilonEstimate: number;
  /** Upper bound (equals `epsilon`). */
  epsilonUpper: number;
}

/** CDF of the privacy loss of one Poisson-subsampled Gaussian step (Gopi, Lee & Wutschitz 2021, Prop. B4). */
function prvCdf(t: number, q: number, sigma: number): number {
  if (!(t > Math.log(1 - q))) return 0;
  const z = Math.log((Math.exp(t) + q - 1) / q);
  const s2 = sigma ** 2;
  const d = 2 * Math.SQRT2 * sigma;
  return (-q * erfc((2 * z * s2 - 1) / d)) / 2 - ((1 - q) * erfc((2 * z * s2 + 1) / d)) / 2 + 1.0;
}

/** numpy.linspace(start, stop, n): i·step + start, the last point exactly `stop`. */
function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = (stop - start) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = i * step + start;
  out[n - 1] = stop;
  return out;
}

/** Round half to even, as numpy.round. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** numpy.searchsorted(a, v, side='left') with numpy's bisection (also on a not quite sorted array). */
function searchLeft(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * ε of `steps` Poisson-subsampled Gaussian steps by the PRV accountant of Gopi, Lee & Wutschitz 2021
 * ("Numerical composition of differential privacy"), as Opacus's PRVAccountant: truncate the privacy loss
 * to [−L, L] (L from the RDP bound at δ_err/4, Remark 5.6), discretise it on a mesh of
 * ε_err/√(T·ln(12/δ_err)/2) with its mean preserved, compose T copies by FFT (pmf^T in Fourier space),
 * and read ε at δ ∓ δ_err from δ(ε) = Σ_{t ≥ ε} p(t)(1 − e^{ε−t}), widened by ±ε_err.
 */
export function prvEpsilon(options: PrvEpsilonOptions): PrvEpsilon {
  const owner = 'prvEpsilon';
  const sigma = options.noiseMultiplier;
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || !(sigma > 0)) {
    throw new InvalidParameterError(
      `The 'noiseMultiplier' option of ${owner} must be a finite number > 0. Got ${String(sigma)} instead.`,
    );
  }
  const q = checkSampleRate(owner, options.sampleRate);
  const steps = checkSteps(owner, options.steps);
  const delta = checkDelta(owner, options.delta);
  const epsError = options.epsError ?? 0.01;
  const deltaError = options.deltaError ?? delta / 1000;
  if (!(epsError > 0 && Number.isFinite(epsError))) {
    throw new InvalidParameterError(
      `The 'epsError' option of ${owner} must be a finite number > 0. Got ${epsError} instead.`,
    );
  }
  if (!(deltaError > 0 && deltaError < delta)) {
    throw new InvalidParameterError(
      `The 'deltaError' option of ${owner} must be in (0, delta). Got ${deltaError} instead.`,
    );
  }

  // Safe domain size (Remark 5.6) and mesh.
  let lMax = epsilonForSgm({ noiseMultiplier: sigma, sampleRate: q, steps, delta: deltaError / 4 }).epsilon;
  lMax = Math.max(
    lMax,
    epsilonForSgm({ noiseMultiplier: sigma, sampleRate: q, steps: 1, delta: deltaError / (8 * steps) })
      .epsilon,
  );
  const L = Math.max(lMax, epsError) + 3;
  const mesh = epsError / Math.sqrt((steps * Math.log(12 / deltaError)) / 2);
  const tMin = Math.floor(-L / mesh) * mesh;
  let tMax = Math.ceil(L / mesh) * mesh;
  let size = roundHalfEven((tMax - tMin) / mesh) + 1;
  if (size % 2 === 1) {
    size += 1;
    tMax += mesh;
  }
  const dt = (tMax - tMin) / (size - 1);
  if (Math.abs(dt - mesh) / mesh >= 1e-8)
    throw new Error('prvEpsilon: the domain could not be aligned to the mesh.');

  // Truncated PRV and its discretisation with the mean preserved.
  const cdfMin = prvCdf(tMin, q, sigma);
  const mass = prvCdf(tMax, q, sigma) - cdfMin;
  const tcdf = (t: number) => (t < tMin ? 0 : t < tMax ? (prvCdf(t, q, sigma) - cdfMin) / mass : 1.0);
  const ts = linspace(tMin, tMax, size);
  const pmf = new Float64Array(size);
  let meanD = 0;
  for (let i = 0; i < size; i++) {
    pmf[i] = tcdf(ts[i] + dt / 2) - tcdf(ts[i] - dt / 2);
    meanD += ts[i] * pmf[i];
  }
  const cuts = [tMin, -0.1, -0.01, -0.001, -1e-4, -1e-5, 1e-5, 1e-4, 0.001, 0.01, 0.1, tMax];
  let meanC = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [a, b] = [cuts[k], cuts[k + 1]];
    meanC += b * tcdf(b) - a * tcdf(a) - integrate(tcdf, a, b, 1e-13);
  }
  const shift = meanC - meanD;
  if (Math.abs(shift) >= dt / 2)
    throw new Error('prvEpsilon: the discrete mean differs from the continuous mean.');

  // T-fold self-composition: irfft(rfft(pmf)^T), rolled back onto the domain.
  const { re, im } = rfft(pmf);
  const half = size / 2;
  for (let k = 0; k <= half; k++) {
    // z^T = exp(T·log z), as numpy's complex power (C99 cpow) for large integer T.
    const r = Math.hypot(re[k], im[k]);
    const th = Math.atan2(im[k], re[k]);
    const mag = r === 0 ? 0 : Math.exp(steps * Math.log(r));
    re[k] = mag * Math.cos(steps * th);
    im[k] = mag * Math.sin(steps * th);
  }
  const composed = irfft(re, im, size);
  let roll = steps - 1;
  if (steps % 2 === 0) roll += half;
  const p = new Float64Array(size);
  for (let i = 0; i < size; i++) p[(i + roll) % size] = composed[i];
  const t = linspace(tMin + shift + shift * (steps - 1), tMax + shift + shift * (steps - 1), size);

  // ε from the composed pmf.
  if (1.0842021724855044e-19 * size > delta - deltaError) {
    throw new InvalidParameterError(`prvEpsilon: δ = ${delta} is too small for a domain of ${size} points.`);
  }
  const d1 = new Float64Array(size);
  const d2 = new Float64Array(size);
  let s1 = 0;
  let s2 = 0;
  for (let i = size - 1; i >= 0; i--) {
    s1 += p[i];
    s2 += p[i] * Math.exp(-t[i]);
    d1[i] = s1;
    d2[i] = s2;
  }
  const ndelta = new Float64Array(size);
  for (let i = 0; i < size; i++) ndelta[i] = Math.exp(t[i]) * d2[i] - d1[i];
  const find = (target: number) => {
    const i = searchLeft(ndelta, -target);
    if (i <= 0) throw new Error('prvEpsilon: cannot compute epsilon.');
    return Math.log((d1[i] - target) / d2[i]);
  };
  const epsilonUpper = find(delta - deltaError) + epsError;
  return {
    epsilon: epsilonUpper,
    epsilonLower: find(delta + deltaError) - epsError,
    epsilonEstimate: find(delta),
    epsilonUpper,
  };
}
