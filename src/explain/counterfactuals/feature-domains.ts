import { DataValidationError, InvalidParameterError, type Rng } from '../../core/index.js';
import { type ColumnBatch, compareCodeUnits, isNumericColumn } from '../../data/index.js';
import type { ExplainFeature } from '../explainable-model.js';

/** What a counterfactual may change: every name must be one of the model's features. */
export interface CounterfactualConstraints {
  /** Features that never change (protected attributes, age, ...). */
  readonly immutable?: readonly string[];
  /** Numeric features that may only go up (or stay). */
  readonly increaseOnly?: readonly string[];
  /** Numeric features that may only go down (or stay). */
  readonly decreaseOnly?: readonly string[];
  /** Numeric features: the allowed [min, max] (replaces the training range, as DiCE's `permitted_range`). */
  readonly ranges?: Readonly<Record<string, readonly [number, number]>>;
  /** Categorical features: the categories a counterfactual may move to (each must be a known category). */
  readonly allowedCategories?: Readonly<Record<string, readonly string[]>>;
}

/** The values one numeric feature may take in a counterfactual. */
export interface NumericDomain {
  readonly kind: 'numeric';
  readonly name: string;
  /** The explained row's value (NaN = missing). */
  readonly original: number;
  /** True when the feature never changes (immutable, or an empty allowed interval). */
  readonly fixed: boolean;
  /** Allowed interval after ranges and monotone constraints. */
  readonly lo: number;
  readonly hi: number;
  /** Decimal places of the column in the training data (values are rounded to it, as DiCE does). */
  readonly precision: number;
  /** Median absolute deviation in the training data (1 where it is 0, as DiCE's `get_valid_mads`). */
  readonly mad: number;
  /** Width of the training range (1 where it is 0): DiCE's min-max normalisation in the genetic loss. */
  readonly span: number;
}

/** The values one categorical feature may take; `values[0]` is always the original (gene 0 = unchanged). */
export interface CategoricalDomain {
  readonly kind: 'categorical';
  readonly name: string;
  readonly original: string | null;
  readonly fixed: boolean;
  readonly values: readonly (string | null)[];
}

/** One feature's search domain. */
export type FeatureDomain = NumericDomain | CategoricalDomain;

const OWNER = 'counterfactuals';
const MAX_PRECISION = 6;

/** Throws InvalidParameterError for a constraint naming an unknown or wrong-kind feature or contradicting another. */
export function validateConstraints(
  features: readonly ExplainFeature[],
  constraints: CounterfactualConstraints,
): void {
  const kinds = new Map(features.map((f) => [f.name, f.kind]));
  const known = features.map((f) => `'${f.name}'`).join(', ');
  const check = (option: string, name: string, kind?: 'numeric' | 'categorical') => {
    const actual = kinds.get(name);
    if (actual === undefined) {
      throw new InvalidParameterError(
        `The 'constraints.${option}' option of ${OWNER} names an unknown feature. Got '${name}' instead; the model's features are ${known}.`,
      );
    }
    if (kind !== undefined && actual !== kind) {
      throw new InvalidParameterError(
        `The 'constraints.${option}' option of ${OWNER} applies to ${kind} features only. Got the ${actual} feature '${name}' instead.`,
      );
    }
  };
  const immutable = new Set(constraints.immutable ?? []);
  for (const name of immutable) check('immutable', name);
  const increase = new Set(constraints.increaseOnly ?? []);
  for (const name of increase) check('increaseOnly', name, 'numeric');
  for (const name of constraints.decreaseOnly ?? []) {
    check('decreaseOnly', name, 'numeric');
    if (increase.has(name)) {
      throw new InvalidParameterError(
        `The feature '${name}' is both increaseOnly and decreaseOnly in the constraints of ${OWNER}; list it as immutable instead.`,
      );
    }
  }
  for (const name of [...increase, ...(constraints.decreaseOnly ?? [])]) {
    if (immutable.has(name)) {
      const which = increase.has(name) ? 'increaseOnly' : 'decreaseOnly';
      throw new InvalidParameterError(
        `The feature '${name}' is both immutable and ${which} in the constraints of ${OWNER}; keep one of the two.`,
      );
    }
  }
  for (const [name, range] of Object.entries(constraints.ranges ?? {})) {
    check('ranges', name, 'numeric');
    const ok = Array.isArray(range) && range.length === 2 && range.every((v) => Number.isFinite(v));
    if (!ok || range[0] > range[1]) {
      throw new InvalidParameterError(
        `The 'constraints.ranges.${name}' option of ${OWNER} must be [min, max] with finite min <= max. Got ${JSON.stringify(range)} instead.`,
      );
    }
  }
  for (const name of Object.keys(constraints.allowedCategories ?? {}))
    check('allowedCategories', name, 'categorical');
}

/** Builds each feature's domain from the training rows (ranges, categories, precision, MAD) and the constraints. */
export function buildDomains(
  features: readonly ExplainFeature[],
  row: ColumnBatch,
  data: ColumnBatch,
  constraints: CounterfactualConstraints,
): FeatureDomain[] {
  const immutable = new Set(constraints.immutable ?? []);
  const increase = new Set(constraints.increaseOnly ?? []);
  const decrease = new Set(constraints.decreaseOnly ?? []);
  return features.map((f): FeatureDomain => {
    const rowCol = requireColumn(row, f.name, 'row');
    const dataCol = requireColumn(data, f.name, 'data');
    if (f.kind === 'numeric') {
      if (!isNumericColumn(rowCol) || !isNumericColumn(dataCol)) {
        throw new DataValidationError(`Feature '${f.name}' is numeric in the model but holds text.`, {
          column: f.name,
        });
      }
      const original = rowCol[0];
      const values = Array.from(dataCol).filter((v) => Number.isFinite(v));
      const range = constraints.ranges?.[f.name];
      const min = values.reduce((a, v) => Math.min(a, v), Number.POSITIVE_INFINITY);
      const max = values.reduce((a, v) => Math.max(a, v), Number.NEGATIVE_INFINITY);
      let lo = range ? range[0] : min;
      let hi = range ? range[1] : max;
      const monotone = increase.has(f.name) || decrease.has(f.name);
      if (increase.has(f.name)) lo = Math.max(lo, original);
      if (decrease.has(f.name)) hi = Math.min(hi, original);
      const fixed =
        immutable.has(f.name) ||
        !(lo <= hi) ||
        (lo === hi && lo === original) ||
        (monotone && !Number.isFinite(original));
      return {
        kind: 'numeric',
        name: f.name,
        original,
        fixed,
        lo,
        hi,
        precision: precisionOf(values),
        mad: madOf(values),
        span: max > min ? max - min : 1,
      };
    }
    const original = isNumericColumn(rowCol) ? String(rowCol[0]) : rowCol[0];
    const known = f.categories ? [...f.categories] : categoriesOf(dataCol);
    const allowed = constraints.allowedCategories?.[f.name];
    for (const c of allowed ?? []) {
      if (!known.includes(c)) {
        throw new InvalidParameterError(
          `The 'constraints.allowedCategories.${f.name}' option of ${OWNER} must list known categories. Got '${c}' instead; known: ${known.join(', ')}.`,
        );
      }
    }
    const candidates = (allowed ?? known).filter((c) => c !== original);
    return {
      kind: 'categorical',
      name: f.name,
      original,
      fixed: immutable.has(f.name) || candidates.length === 0,
      values: [original, ...candidates],
    };
  });
}

/** Rounds a value to the domain's decimal precision, kept inside [lo, hi]. */
export function roundToDomain(d: NumericDomain, v: number): number {
  const scale = 10 ** d.precision;
  const k = Math.round(v * scale);
  const kLo = Math.ceil(d.lo * scale - 1e-9);
  const kHi = Math.floor(d.hi * scale + 1e-9);
  if (kLo > kHi) return Math.min(d.hi, Math.max(d.lo, v));
  return Math.min(kHi, Math.max(kLo, k)) / scale;
}

/** A uniform draw from the domain (numeric: on the grid of its precision, as DiCE's `get_continuous_samples`). */
export function sampleGene(d: FeatureDomain, rng: Rng): number {
  if (d.fixed) return d.kind === 'numeric' ? d.original : 0;
  if (d.kind === 'categorical') return 1 + rng.int(d.values.length - 1);
  const scale = 10 ** d.precision;
  const kLo = Math.ceil(d.lo * scale - 1e-9);
  const kHi = Math.floor(d.hi * scale + 1e-9);
  const n = kHi - kLo + 1;
  if (n <= 0) return d.lo;
  if (n > 2 ** 31) return roundToDomain(d, d.lo + rng.next() * (d.hi - d.lo));
  return (kLo + rng.int(n)) / scale;
}

/** True when gene `g` of feature `d` differs from the explained row. */
export function isChanged(d: FeatureDomain, g: number): boolean {
  if (d.kind === 'categorical') return g !== 0;
  return !(g === d.original || (Number.isNaN(g) && Number.isNaN(d.original)));
}

function requireColumn(batch: ColumnBatch, name: string, which: string) {
  const col = batch.columns[name];
  if (col === undefined) {
    throw new DataValidationError(`The '${which}' batch given to ${OWNER} has no column '${name}'.`, {
      column: name,
    });
  }
  return col;
}

function categoriesOf(col: ColumnBatch['columns'][string]): string[] {
  const set = new Set<string>();
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) set.add(String(v));
  }
  return [...set].sort(compareCodeUnits);
}

/** Largest number of decimals among the values (capped at 6; DiCE takes the modes' precision). */
function precisionOf(values: readonly number[]): number {
  let p = 0;
  for (const v of values) {
    if (p === MAX_PRECISION) break;
    while (
      p < MAX_PRECISION &&
      Math.abs(Math.round(v * 10 ** p) / 10 ** p - v) > 1e-9 * Math.max(1, Math.abs(v))
    ) {
      p++;
    }
  }
  return p;
}

/** MAD = median |x − median(x)|; 1 when it is 0 or undefined (DiCE's `get_valid_mads`). */
function madOf(values: readonly number[]): number {
  if (values.length === 0) return 1;
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  return mad > 0 ? mad : 1;
}

function median(values: readonly number[]): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
