import { type BucketTable, fromBuckets } from './bootstrap-buckets.js';
import type { DisaggregatedCounts } from './group-counts.js';
import { regularizedGammaQ } from './representativeness-chi-square.js';

/** Standard normal CDF Φ(z), from Q(1/2, z²/2) = erfc(|z|/√2): Φ(z) = ½ Q for z < 0, 1 − ½ Q otherwise. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? tail : 1 - tail;
}

/**
 * Standard normal quantile Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation (relative error
 * 1.2e-9) refined by one Halley step on `normalCdf`, which brings it to near machine precision.
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 1 - low) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Jackknife acceleration of BCa for each metric key, a = Σ_i d_i³ / (6 (Σ_i d_i²)^{3/2}) with
 * d_i = θ̄ − θ_(i) (Efron & Tibshirani 1993, eq. 14.15). Leaving out any one row of a bucket gives the
 * same audit, so the n leave-one-out values take only one metric evaluation per non-empty bucket,
 * weighted by the bucket's rows. NaN for a key whose leave-one-out values are not all finite.
 */
export function jackknifeAcceleration(
  counts: DisaggregatedCounts,
  table: BucketTable,
  metric: (c: DisaggregatedCounts) => Record<string, number>,
  keys: readonly string[],
): Record<string, number> {
  const drawn = Float64Array.from(table.rows);
  const weights: number[] = [];
  const values: Record<string, number>[] = [];
  for (let b = 0; b < drawn.length; b++) {
    if (table.rows[b] < 1) continue;
    drawn[b] -= 1;
    weights.push(table.rows[b]);
    values.push(metric(fromBuckets(counts, table, drawn)));
    drawn[b] += 1;
  }
  const out: Record<string, number> = {};
  for (const key of keys) {
    let total = 0;
    let mean = 0;
    for (let i = 0; i < values.length; i++) {
      total += weights[i];
      mean += weights[i] * (values[i][key] ?? Number.NaN);
    }
    mean /= total;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < values.length; i++) {
      const d = mean - values[i][key];
      s2 += weights[i] * d * d;
      s3 += weights[i] * d * d * d;
    }
    out[key] = !Number.isFinite(mean) ? Number.NaN : s2 === 0 ? 0 : s3 / (6 * s2 ** 1.5);
  }
  return out;
}

/**
 * The BCa percentile levels [α₁, α₂] for a two-sided interval with tail mass `alpha / 2` each:
 * α = Φ(z₀ + (z₀ + z) / (1 − a (z₀ + z))) for z = Φ⁻¹(alpha/2) and Φ⁻¹(1 − alpha/2), where the bias
 * correction z₀ = Φ⁻¹(share of replicates below the estimate, ties counted half) (Efron &
 * Tibshirani 1993, eqs. 14.9-14.14). Null when z₀ or a is not finite (all replicates on one side).
 */
export function bcaLevels(
  sorted: Float64Array,
  estimate: number,
  acceleration: number,
  alpha: number,
): [number, number] | null {
  let below = 0;
  let ties = 0;
  for (const v of sorted) {
    if (v < estimate) below++;
    else if (v === estimate) ties++;
  }
  const z0 = normalQuantile((below + ties / 2) / sorted.length);
  if (!Number.isFinite(z0) || !Number.isFinite(acceleration)) return null;
  const level = (z: number) => {
    const shifted = z0 + z;
    return normalCdf(z0 + shifted / (1 - acceleration * shifted));
  };
  return [level(normalQuantile(alpha / 2)), level(normalQuantile(1 - alpha / 2))];
}
