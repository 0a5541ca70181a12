import { checkNumber, describeValue, InvalidParameterError } from '../../core/index.js';
import type { RandomBits } from './random-source.js';

/** What a DP release returns: the value and the privacy it cost, so a budget ledger can be charged. */
export interface DpRelease<T> {
  /** The noisy (differentially private) value. */
  value: T;
  /** ε spent by this release. */
  epsilon: number;
  /** δ spent by this release (0 for pure ε-DP mechanisms). */
  delta: number;
  /** The mechanism that produced `value` (e.g. 'discrete-laplace'). */
  mechanism: string;
}

/** Options shared by the mechanisms: where the randomness comes from. */
export interface MechanismRandomOptions {
  /** Source of random bits; default a fresh `SecureRandom` (the OS CSPRNG). */
  random?: RandomBits;
  /** Seed for a reproducible `SeededRandom`: for tests and demos only, a seeded release is NOT private. */
  seed?: number;
}

/** An exact non-negative rational number numerator/denominator (denominator > 0). */
export interface Rational {
  /** Numerator (≥ 0). */
  numerator: bigint;
  /** Denominator (> 0). */
  denominator: bigint;
}

/** Throws InvalidParameterError unless ε is finite and > 0. */
export function checkEpsilon(owner: string, epsilon: number, name = 'epsilon'): number {
  return checkNumber(owner, name, epsilon, (v) => v > 0, 'a finite number > 0');
}

/** Throws InvalidParameterError unless 0 < δ < 1. */
export function checkDelta(owner: string, delta: number, name = 'delta'): number {
  return checkNumber(owner, name, delta, (v) => v > 0 && v < 1, 'in (0, 1)');
}

/** Throws InvalidParameterError unless the sensitivity is finite and > 0. */
export function checkSensitivity(owner: string, sensitivity: number, name = 'sensitivity'): number {
  return checkNumber(owner, name, sensitivity, (v) => v > 0, 'a finite number > 0');
}

/** Throws InvalidParameterError unless `value` is a finite number (the input a mechanism perturbs). */
export function checkFinite(owner: string, value: number, name = 'value'): number {
  return checkNumber(owner, name, value, () => true, 'a finite number');
}

/**
 * The exact value of a finite double ≥ 0 as a fraction: every double is m · 2^e with integer m, so
 * 0.1 becomes 3602879701896397 / 2^55, not 1/10. A `Rational` is passed through (checked).
 */
export function toRational(owner: string, name: string, value: number | Rational): Rational {
  if (typeof value !== 'number') {
    if (
      typeof value?.numerator !== 'bigint' ||
      typeof value.denominator !== 'bigint' ||
      value.numerator < 0n ||
      value.denominator <= 0n
    ) {
      throw new InvalidParameterError(
        `The '${name}' option of ${owner} must be a number or a rational { numerator >= 0n, denominator > 0n }. Got ${describeValue(value)} instead.`,
      );
    }
    return reduce(value.numerator, value.denominator);
  }
  checkNumber(owner, name, value, (v) => v >= 0, 'a finite number >= 0');
  let m = value;
  let den = 1n;
  while (!Number.isInteger(m)) {
    m *= 2; // exact: scaling by 2 only moves the exponent
    den *= 2n;
  }
  return reduce(BigInt(m), den);
}

/** a/b in lowest terms. */
export function reduce(a: bigint, b: bigint): Rational {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  const g = x === 0n ? 1n : x;
  return { numerator: a / g, denominator: b / g };
}
