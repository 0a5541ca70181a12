import type { Matrix } from '../../core/index.js';
import { type Column, isNumericColumn } from '../../data/index.js';

/** Per explained row, a code for the feature's value (equal codes ⇔ identical values), and how many codes. */
export interface ValueCodes {
  /** Code of each explained row's value, 0..count−1. */
  readonly code: Int32Array;
  /** Number of distinct values. */
  readonly count: number;
}

/** Value codes of each feature's encoded block (its columns compared bit for bit, −0 apart from 0). */
export function blockCodes(X: Matrix, blocks: readonly Int32Array[]): ValueCodes[] {
  return blocks.map((block) =>
    codesOf(X.rows, (r) => {
      let key = '';
      for (const c of block) key += `${keyOf(X.data[r * X.cols + c])},`;
      return key;
    }),
  );
}

/** Value codes of a raw column (numbers compared as SameValue, so −0 apart from 0 and NaN equal to NaN). */
export function columnCodes(column: Column): ValueCodes {
  return isNumericColumn(column)
    ? codesOf(column.length, (r) => keyOf(column[r]))
    : codesOf(column.length, (r) => column[r]);
}

function keyOf(v: number): number | string {
  return Object.is(v, -0) ? '-0' : v;
}

function codesOf(n: number, key: (r: number) => unknown): ValueCodes {
  const seen = new Map<unknown, number>();
  const code = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const k = key(r);
    let c = seen.get(k);
    if (c === undefined) {
      c = seen.size;
      seen.set(k, c);
    }
    code[r] = c;
  }
  return { code, count: seen.size };
}

/**
 * Coalition rows depend on the explained row only through its kept features, so explained rows that agree on
 * them share v(S): units (row r, mask k), numbered r·K + k for K masks, are grouped by the exact values of
 * the kept features (a mixed-radix integer of per-feature value codes). `evaluate` lists the first unit of each
 * group in order; `source[u]` is the unit whose value u takes (itself when evaluated).
 */
export function distinctUnits(
  codes: readonly ValueCodes[],
  n: number,
  masks: readonly Uint8Array[],
): { evaluate: Int32Array; source: Int32Array } {
  const nm = masks.length;
  const source = new Int32Array(n * nm);
  const first = new Map<number, number>();
  const table = new Int32Array(8 * n).fill(-1); // key → first unit, for masks with few possible keys
  const keys = new Float64Array(n);
  let evaluated = 0;
  masks.forEach((mask, k) => {
    let span = 1;
    let widest = 1;
    const kept: number[] = [];
    mask.forEach((on, j) => {
      if (on) {
        kept.push(j);
        span *= codes[j].count;
        widest = Math.max(widest, codes[j].count);
      }
    });
    // Few repeats are possible when a kept feature is nearly unique: evaluate every unit.
    const dedupe = span <= table.length || (span <= Number.MAX_SAFE_INTEGER && widest <= n / 4);
    for (let r = 0; r < n; r++) {
      const unit = r * nm + k;
      let target = unit;
      if (dedupe) {
        let key = 0;
        for (const j of kept) key = key * codes[j].count + codes[j].code[r];
        keys[r] = key;
        const seen = span <= table.length ? table[key] : first.get(key);
        if (seen === undefined || seen < 0) {
          if (span <= table.length) table[key] = unit;
          else first.set(key, unit);
        } else {
          target = seen;
        }
      }
      source[unit] = target;
      if (target === unit) evaluated++;
    }
    if (dedupe && span <= table.length) for (let r = 0; r < n; r++) table[keys[r]] = -1;
    first.clear();
  });
  const evaluate = new Int32Array(evaluated);
  let e = 0;
  for (let unit = 0; unit < source.length; unit++) if (source[unit] === unit) evaluate[e++] = unit;
  return { evaluate, source };
}
