import { checkNumber, InvalidParameterError } from '../../core/index.js';
import {
  checkEpsilon,
  type MechanismRandomOptions,
  type Rational,
  reduce,
  toRational,
} from './parameters.js';
import { type RandomBits, type RandomSource, randomSource } from './random-source.js';

/** Options of `discreteLaplaceMechanism`. */
export interface DiscreteLaplaceOptions extends MechanismRandomOptions {
  /** Privacy parameter ε > 0, taken as the exact rational value of the double. */
  epsilon: number;
  /** Integer ℓ1 sensitivity Δ ≥ 1; default 1. */
  sensitivity?: number;
}

/** Options of `discreteGaussianMechanism`. */
export interface DiscreteGaussianOptions extends MechanismRandomOptions {
  /** Noise parameter σ > 0 (a number, taken exactly, or a rational); the noise has pmf ∝ exp(−y²/(2σ²)). */
  sigma: number | Rational;
}

/**
 * Bernoulli(n/d) exactly, for 0 ≤ n ≤ d: compares a uniform U in [0, 1), drawn bit by bit, with the
 * binary expansion of n/d and stops at the first differing bit (2 bits expected, whatever the size of d).
 */
function bernoulli(n: bigint, d: bigint, source: RandomSource): boolean {
  let r = n; // n/d = 0.b1 b2 … with b_k the k-th bit of the expansion of r/d
  while (r !== 0n) {
    r *= 2n;
    const digit = r >= d ? 1 : 0;
    if (digit === 1) r -= d;
    const u = source.bit();
    if (u !== digit) return u < digit;
  }
  return false; // the expansion ended (p is dyadic): U ≥ p with probability 1
}

/**
 * Bernoulli(exp(−γ)) for a rational γ = n/d ≥ 0, exactly, with no floating point (Canonne, Kamath &
 * Steinke 2020, Alg. 1). For γ ≤ 1: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until one is 0 and
 * return 1 iff that k is odd. For γ > 1: ⌊γ⌋ draws of Bernoulli(e^−1), then one of Bernoulli(e^−(γ−⌊γ⌋)).
 */
export function bernoulliExp(gamma: Rational, random: RandomBits): 0 | 1 {
  const { numerator: n, denominator: d } = gamma;
  if (typeof n !== 'bigint' || typeof d !== 'bigint' || n < 0n || d <= 0n) {
    throw new InvalidParameterError(
      `The 'gamma' option of bernoulliExp must be a rational { numerator >= 0n, denominator > 0n }. Got ${n}/${d} instead.`,
    );
  }
  const source = randomSource(random);
  if (n <= d) {
    let k = 1n;
    while (bernoulli(n, d * k, source)) k++;
    return k % 2n === 1n ? 1 : 0;
  }
  const one = { numerator: 1n, denominator: 1n };
  for (let i = 0n; i < n / d; i++) if (bernoulliExp(one, source) === 0) return 0;
  return bernoulliExp({ numerator: n % d, denominator: d }, source);
}

/**
 * A discrete Laplace deviate with scale t/s (pmf ∝ exp(−|y|·s/t) on the integers), exactly
 * (Canonne, Kamath & Steinke 2020, Alg. 2): X = U + t·V with U uniform on {0..t−1} kept with
 * probability exp(−U/t) and V geometric (Bernoulli(e^−1) trials), so X ~ Geometric(1 − e^(−1/t));
 * Y = ⌊X/s⌋ and a random sign, rejecting "−0".
 */
export function sampleDiscreteLaplace(scale: number | Rational, random: RandomBits): bigint {
  const { numerator: t, denominator: s } = toRational('sampleDiscreteLaplace', 'scale', scale);
  if (t === 0n)
    throw new InvalidParameterError(
      "The 'scale' option of sampleDiscreteLaplace must be > 0. Got 0 instead.",
    );
  const source = randomSource(random);
  const one = { numerator: 1n, denominator: 1n };
  for (;;) {
    const u = source.bigInt(t);
    if (bernoulliExp({ numerator: u, denominator: t }, source) === 0) continue;
    let v = 0n;
    while (bernoulliExp(one, source) === 1) v++;
    const y = (u + t * v) / s;
    const negative = source.bit() === 1;
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/**
 * A discrete Gaussian deviate (pmf ∝ exp(−y²/(2σ²)) on the integers), exactly (Canonne, Kamath &
 * Steinke 2020, Alg. 3): with t = ⌊σ⌋ + 1, draw Y ~ Lap_ℤ(t) and accept it with probability
 * exp(−(|Y| − σ²/t)²/(2σ²)), computed as Bernoulli(exp(−γ)) of the rational γ = (|Y|·t·b − a)²/(2·a·b·t²), σ² = a/b.
 */
export function sampleDiscreteGaussian(sigma: number | Rational, random: RandomBits): bigint {
  const s = toRational('sampleDiscreteGaussian', 'sigma', sigma);
  if (s.numerator === 0n)
    throw new InvalidParameterError(
      "The 'sigma' option of sampleDiscreteGaussian must be > 0. Got 0 instead.",
    );
  const a = s.numerator * s.numerator; // σ² = a/b exactly
  const b = s.denominator * s.denominator;
  const t = isqrt(a / b) + 1n; // ⌊σ⌋ + 1
  const source = randomSource(random);
  for (;;) {
    const y = sampleDiscreteLaplace({ numerator: t, denominator: 1n }, source);
    const absY = y < 0n ? -y : y;
    const diff = absY * t * b - a;
    if (bernoulliExp({ numerator: diff * diff, denominator: 2n * a * b * t * t }, source) === 1) return y;
  }
}

/**
 * The discrete Laplace (two-sided geometric) mechanism (Ghosh, Roughgarden & Sundararajan 2009):
 * M(x) = x + Y, Y ~ Lap_ℤ(Δ/ε), pmf ∝ exp(−ε|y|/Δ); ε-DP for integer queries of sensitivity Δ,
 * sampled exactly by CKS 2020 Alg. 2 (no floating point touches the noise).
 */
export function discreteLaplaceMechanism(value: number, options: DiscreteLaplaceOptions): number {
  checkNumber('discreteLaplaceMechanism', 'value', value, Number.isSafeInteger, 'a safe integer');
  checkEpsilon('discreteLaplaceMechanism', options.epsilon);
  const sensitivity = options.sensitivity ?? 1;
  checkNumber(
    'discreteLaplaceMechanism',
    'sensitivity',
    sensitivity,
    (v) => Number.isSafeInteger(v) && v >= 1,
    'an integer >= 1',
  );
  const eps = toRational('discreteLaplaceMechanism', 'epsilon', options.epsilon);
  const scale = reduce(BigInt(sensitivity) * eps.denominator, eps.numerator); // Δ/ε
  return value + Number(sampleDiscreteLaplace(scale, randomSource(options.random, options.seed)));
}

/**
 * The discrete Gaussian mechanism (Canonne, Kamath & Steinke 2020): M(x) = x + Y, Y ~ N_ℤ(0, σ²);
 * ρ-zCDP with ρ = Δ²/(2σ²) for sensitivity Δ (CKS 2020, Thm 4); see `discreteGaussianRho`.
 */
export function discreteGaussianMechanism(value: number, options: DiscreteGaussianOptions): number {
  checkNumber('discreteGaussianMechanism', 'value', value, Number.isSafeInteger, 'a safe integer');
  return value + Number(sampleDiscreteGaussian(options.sigma, randomSource(options.random, options.seed)));
}

/** ρ of the discrete Gaussian mechanism: ρ = Δ²/(2σ²)-zCDP (CKS 2020, Thm 4, the same as the continuous one). */
export function discreteGaussianRho(sigma: number, sensitivity = 1): number {
  checkNumber('discreteGaussianRho', 'sigma', sigma, (v) => v > 0, 'a finite number > 0');
  checkNumber('discreteGaussianRho', 'sensitivity', sensitivity, (v) => v > 0, 'a finite number > 0');
  return (sensitivity * sensitivity) / (2 * sigma * sigma);
}

/** ρ-zCDP → (ε, δ)-DP: ε = ρ + 2√(ρ ln(1/δ)) (Bun & Steinke 2016, Prop. 1.3). */
export function zcdpEpsilon(rho: number, delta: number): number {
  checkNumber('zcdpEpsilon', 'rho', rho, (v) => v >= 0, 'a finite number >= 0');
  checkNumber('zcdpEpsilon', 'delta', delta, (v) => v > 0 && v < 1, 'in (0, 1)');
  return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
}

/** ⌊√n⌋ for a BigInt n ≥ 0 (Newton's method on integers). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n;
  for (;;) {
    const y = (x + n / x) / 2n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}
