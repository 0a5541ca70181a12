import { checkInRange, checkInteger, InvalidParameterError, Rng } from '../core/index.js';
import { bcaLevels, jackknifeAcceleration } from './bootstrap-bca.js';
import { BUCKETS_PER_CELL, fromBuckets, toBuckets } from './bootstrap-buckets.js';
import { multinomialSample } from './bootstrap-sampling.js';
import type { DisaggregatedCounts } from './group-counts.js';

/** A function of an audit's counts returning named metric values (group rates, disparities, ...). */
export type CountsMetric = (counts: DisaggregatedCounts) => Record<string, number>;

/** Options of `bootstrapIntervals`. */
export interface BootstrapOptions {
  /** Bootstrap replicates; default 1000. */
  replicates?: number;
  /** Two-sided confidence level in (0, 1); default 0.95. */
  confidence?: number;
  /** Seed of the resampling; the same seed and counts give identical intervals. Default 0. */
  seed?: number;
  /**
   * Resample within each cell, keeping every group's size fixed (default false: resample all rows).
   * See `bootstrapIntervals` for when each is appropriate.
   */
  stratified?: boolean;
  /** 'percentile' (default) or 'bca' (bias-corrected and accelerated, Efron & Tibshirani 1993, ch. 14). */
  method?: 'percentile' | 'bca';
}

/** A bootstrap confidence interval of one metric. */
export interface BootstrapInterval {
  /** The metric on the original counts. */
  estimate: number;
  /** Lower end of the interval (NaN when no replicate was defined). */
  lower: number;
  /** Upper end of the interval (NaN when no replicate was defined). */
  upper: number;
  /** Replicates whose value was finite: the ones the interval is computed from. */
  replicates: number;
  /** Share of all replicates where the metric was NaN, ±Infinity or missing; they are excluded. */
  undefinedShare: number;
  /** How the interval was computed; 'percentile' also when BCa was asked for but was not defined. */
  method: 'percentile' | 'bca';
}

/**
 * Nonparametric bootstrap confidence intervals (Efron & Tibshirani, "An Introduction to the
 * Bootstrap", 1993) for every key `metric` returns, computed from the per-cell confusion counts
 * without touching rows. Every metric is a function of the 4 × cells bucket counts (TP, FP, TN, FN
 * per cell), so resampling n rows with replacement is exactly a Multinomial(n, rows_b / n) draw over
 * the buckets: O(buckets) per replicate, whatever n is.
 *
 * - Plain (default): one multinomial over all buckets, so group sizes vary as they would in a new
 *   i.i.d. sample of the population. Use it when the rows are a random sample and group membership is
 *   random too; a group can then draw no rows, in which case it is absent from that replicate.
 * - Stratified: a multinomial within each cell of its own rows, so every group keeps its size. Use it
 *   when group sizes were fixed by design (stratified sampling, a curated test set) or to condition on
 *   them; intervals of metrics that mix groups are then a little narrower.
 *
 * Intervals are percentile intervals [θ*_(α/2), θ*_(1−α/2)] of the replicate values (quantiles
 * interpolated linearly, R's type 7), or BCa intervals with the jackknife acceleration when
 * `method` is 'bca'. Replicates where a metric is NaN, ±Infinity or missing are excluded from its
 * interval and counted in `undefinedShare`. Weighted counts: each drawn row carries its bucket's mean
 * weight; exact for unweighted data, an approximation otherwise (and a coarser one when cells lack
 * `tpRows`...`fnRows`, see `toBuckets`). Caveat: max − min and min / max over groups are not smooth
 * functions of the counts; when groups are nearly equal their bootstrap distribution sits above the
 * estimate, so such intervals can exclude it (BCa corrects part of this; its acceleration comes from
 * the unstratified jackknife in both modes).
 */
export function bootstrapIntervals(
  counts: DisaggregatedCounts,
  metric: CountsMetric,
  options: BootstrapOptions = {},
): Record<string, BootstrapInterval> {
  const replicates = checkInteger('bootstrapIntervals', 'replicates', options.replicates ?? 1000, 1);
  const confidence = checkInRange('bootstrapIntervals', 'confidence', options.confidence ?? 0.95, 0, 1, true);
  const seed = checkInteger('bootstrapIntervals', 'seed', options.seed ?? 0, 0);
  const method = options.method ?? 'percentile';
  if (method !== 'percentile' && method !== 'bca') {
    throw new InvalidParameterError(
      `The 'method' option of bootstrapIntervals must be 'percentile' or 'bca'. Got '${method}' instead.`,
    );
  }
  const table = toBuckets(counts);
  const estimates = metric(counts);
  const keys = Object.keys(estimates);
  const samples = keys.map(() => new Float64Array(replicates));
  const defined = new Array<number>(keys.length).fill(0);

  const rng = new Rng(seed);
  const drawn = new Float64Array(table.rows.length);
  const cellDraw = new Float64Array(BUCKETS_PER_CELL);
  for (let r = 0; r < replicates; r++) {
    if (options.stratified) {
      counts.cells.forEach((cell, i) => {
        const start = i * BUCKETS_PER_CELL;
        multinomialSample(rng, cell.rows, table.rows.subarray(start, start + BUCKETS_PER_CELL), cellDraw);
        drawn.set(cellDraw, start);
      });
    } else {
      multinomialSample(rng, table.totalRows, table.rows, drawn);
    }
    const values = metric(fromBuckets(counts, table, drawn));
    keys.forEach((key, k) => {
      const v = values[key];
      if (typeof v === 'number' && Number.isFinite(v)) samples[k][defined[k]++] = v;
    });
  }

  const alpha = 1 - confidence;
  const acceleration = method === 'bca' ? jackknifeAcceleration(counts, table, metric, keys) : {};
  const out: Record<string, BootstrapInterval> = {};
  keys.forEach((key, k) => {
    const sorted = samples[k].subarray(0, defined[k]).sort();
    const estimate = estimates[key];
    let levels: [number, number] | null = null;
    if (method === 'bca' && sorted.length > 0 && Number.isFinite(estimate)) {
      levels = bcaLevels(sorted, estimate, acceleration[key], alpha);
    }
    const [lo, hi] = levels ?? [alpha / 2, 1 - alpha / 2];
    out[key] = {
      estimate,
      lower: quantile(sorted, lo),
      upper: quantile(sorted, hi),
      replicates: sorted.length,
      undefinedShare: (replicates - sorted.length) / replicates,
      method: levels === null ? 'percentile' : 'bca',
    };
  });
  return out;
}

/** The q-quantile of sorted values with linear interpolation between order statistics (R type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(q)) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const i = Math.floor(h);
  const j = Math.min(n - 1, i + 1);
  return sorted[i] + (h - i) * (sorted[j] - sorted[i]);
}
