import type { FairnessAudit } from './fairness-audit.js';

/** A JSON value in which NaN and ±Infinity are the strings "NaN", "Infinity" and "-Infinity". */
export type JsonSafe = string | number | boolean | null | JsonSafe[] | { [key: string]: JsonSafe };

/**
 * Replaces non-finite numbers by the strings "NaN", "Infinity", "-Infinity" (the reference files'
 * convention) so `JSON.stringify` keeps them instead of writing `null`; typed arrays become arrays.
 */
export function toJsonSafe(value: unknown): JsonSafe {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return Array.from(value as ArrayLike<unknown>, (v) => toJsonSafe(v));
  }
  if (typeof value === 'object') {
    const out: { [key: string]: JsonSafe } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = toJsonSafe(v);
    }
    return out;
  }
  return null;
}

/** Reads a number written by `toJsonSafe` back: "NaN", "Infinity", "-Infinity" or a JSON number. */
export function fromJsonNumber(value: unknown): number {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return typeof value === 'number' ? value : Number.NaN;
}

/** A fairness audit as a JSON-safe object (NaN and ±Infinity as strings), e.g. for `--json` output. */
export function fairnessAuditToJson(audit: FairnessAudit): JsonSafe {
  return toJsonSafe(audit);
}
