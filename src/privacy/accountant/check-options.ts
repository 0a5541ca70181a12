import { describeValue, InvalidParameterError } from '../../core/index.js';

/** Throws InvalidParameterError naming `owner`'s option `name` and the accepted range. */
function fail(owner: string, name: string, value: unknown, expectation: string): never {
  throw new InvalidParameterError(
    `The '${name}' option of ${owner} must be ${expectation}. Got ${describeValue(value)} instead.`,
  );
}

/** Checks a Poisson sampling rate: a number in (0, 1]. */
export function checkSampleRate(owner: string, value: number, name = 'sampleRate'): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) fail(owner, name, value, 'in (0, 1]');
  return value;
}

/** Checks a noise multiplier σ: a finite number ≥ 0 (0 means no noise, so ε = ∞). */
export function checkNoiseMultiplier(owner: string, value: number, name = 'noiseMultiplier'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(owner, name, value, 'a finite number >= 0');
  }
  return value;
}

/** Checks a step count: an integer ≥ 1 (and at most 2^53 − 1). */
export function checkSteps(owner: string, value: number, name = 'steps'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(owner, name, value, 'an integer >= 1');
  }
  return value;
}

/** Checks δ: a number in (0, 1). */
export function checkDelta(owner: string, value: number, name = 'delta'): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) fail(owner, name, value, 'in (0, 1)');
  return value;
}

/** Checks ε: a finite number > 0. */
export function checkEpsilon(owner: string, value: number, name = 'epsilon'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    fail(owner, name, value, 'a finite number > 0');
  }
  return value;
}

/** Checks a list of RDP orders: non-empty, every order a number > 1 (+∞ allowed). */
export function checkOrders(owner: string, orders: readonly number[], name = 'orders'): readonly number[] {
  if (!Array.isArray(orders) || orders.length === 0)
    fail(owner, name, orders, 'a non-empty array of numbers > 1');
  orders.forEach((a, i) => {
    if (typeof a !== 'number' || !(a > 1)) fail(owner, `${name}[${i}]`, a, 'a number > 1 (an RDP order)');
  });
  return orders;
}
