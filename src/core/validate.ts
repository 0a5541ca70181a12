import { InvalidParameterError } from './errors.js';

/** Formats a value for an error message: strings quoted, everything else as JSON or String(). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Throws InvalidParameterError unless `value` is a finite number satisfying `check`. */
export function checkNumber(
  owner: string,
  name: string,
  value: number,
  check: (v: number) => boolean,
  expectation: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new InvalidParameterError(
      `The '${name}' option of ${owner} must be ${expectation}. Got ${describeValue(value)} instead.`,
    );
  }
  return value;
}

/** Throws unless `value` is a finite number > 0. */
export function checkPositive(owner: string, name: string, value: number): number {
  return checkNumber(owner, name, value, (v) => v > 0, '> 0');
}

/** Throws unless `value` is an integer >= `min`. */
export function checkInteger(owner: string, name: string, value: number, min = 0): number {
  return checkNumber(owner, name, value, (v) => Number.isInteger(v) && v >= min, `an integer >= ${min}`);
}

/** Throws unless `value` is in the open or closed interval [lo, hi] (`open` excludes both ends). */
export function checkInRange(
  owner: string,
  name: string,
  value: number,
  lo: number,
  hi: number,
  open = false,
): number {
  const ok = open ? (v: number) => v > lo && v < hi : (v: number) => v >= lo && v <= hi;
  return checkNumber(owner, name, value, ok, open ? `in (${lo}, ${hi})` : `in [${lo}, ${hi}]`);
}
