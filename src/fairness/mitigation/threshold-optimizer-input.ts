import { DataValidationError } from '../../core/index.js';

/** Group membership per row: a code per row (e.g. a privileged flag) or a group label per row. */
export type GroupMembership = Uint8Array | readonly string[];

/** The group label of every row as a string (codes become their decimal text). */
export function groupKeys(owner: string, groups: GroupMembership, n: number): string[] {
  if (groups.length !== n) {
    throw new DataValidationError(
      `${owner} needs one group per score: got ${groups.length} for ${n} scores.`,
    );
  }
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (typeof g !== 'string' && typeof g !== 'number') {
      throw new DataValidationError(`${owner} needs a group for every row; row ${i + 1} has ${String(g)}.`);
    }
    keys[i] = String(g);
  }
  return keys;
}

/** Row indices per group, groups in first-seen order. */
export function splitByGroup(keys: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const rows = out.get(keys[i]);
    if (rows === undefined) out.set(keys[i], [i]);
    else rows.push(i);
  }
  return out;
}

/** The entries of `values` at `rows`, as a new typed array of the same kind. */
export function pick<T extends Float64Array | Uint8Array>(values: T, rows: readonly number[]): T {
  const out = new (values.constructor as new (n: number) => T)(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = values[rows[j]];
  return out;
}
