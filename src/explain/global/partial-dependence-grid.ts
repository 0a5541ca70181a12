import { InvalidParameterError } from '../../core/index.js';
import { compareCodeUnits } from '../../data/index.js';

/** How a partial-dependence grid was built. */
export type GridMethod = 'unique' | 'percentiles';

/**
 * Sample quantiles of sorted data by scipy.stats.mstats.mquantiles with its defaults (αₚ = βₚ = 0.4,
 * Cunnane 1978): m = αₚ + p(1 − αₚ − βₚ), ℵ = n·p + m, k = ⌊clip(ℵ, 1, n − 1)⌋, γ = clip(ℵ − k, 0, 1),
 * Q(p) = (1 − γ)·x₍ₖ₎ + γ·x₍ₖ₊₁₎ (1-based order statistics). This is the rule scikit-learn's
 * `_grid_from_X` uses for the ends of a partial-dependence grid.
 */
export function mquantile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0];
  const m = 0.4 + p * (1 - 0.4 - 0.4);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * sorted[k - 1] + gamma * sorted[k];
}

/**
 * `num` evenly spaced points from `start` to `stop` inclusive, computed as numpy.linspace does
 * (y_i = i·step + start with step = (stop − start)/(num − 1), the last point set to `stop`), so the
 * grid matches scikit-learn's bit for bit.
 */
export function linspace(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  const out = new Array<number>(num);
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * The grid of one numeric feature by scikit-learn's `_grid_from_X` rules: its distinct values when
 * there are fewer than `gridResolution` of them, else `gridResolution` evenly spaced points between
 * the `percentiles` (mquantiles) of the values. Missing values (NaN) are left out.
 */
export function numericGrid(
  values: Float64Array,
  gridResolution: number,
  percentiles: readonly [number, number],
): { grid: number[]; method: GridMethod } {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  if (present.length === 0) {
    throw new InvalidParameterError(
      'partialDependence needs at least one non-missing value of the feature. Got none instead.',
    );
  }
  const unique: number[] = [];
  for (let i = 0; i < present.length; i++)
    if (i === 0 || present[i] !== present[i - 1]) unique.push(present[i]);
  if (unique.length < gridResolution) return { grid: unique, method: 'unique' };
  const lo = mquantile(present, percentiles[0]);
  const hi = mquantile(present, percentiles[1]);
  // numpy.allclose(lo, hi): |lo − hi| <= 1e-8 + 1e-5·|hi|.
  if (Math.abs(lo - hi) <= 1e-8 + 1e-5 * Math.abs(hi)) {
    throw new InvalidParameterError(
      `The 'percentiles' option of partialDependence gives ends too close to each other to build a grid (${lo} and ${hi}). Choose percentiles further apart.`,
    );
  }
  return { grid: linspace(lo, hi, gridResolution), method: 'percentiles' };
}

/** The grid of a categorical feature: its distinct non-missing values, sorted by code units (numpy.unique's order). */
export function categoricalGrid(values: ArrayLike<string | number | null>): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    seen.add(String(v));
  }
  if (seen.size === 0) {
    throw new InvalidParameterError(
      'partialDependence needs at least one non-missing value of the feature. Got none instead.',
    );
  }
  return [...seen].sort(compareCodeUnits);
}
