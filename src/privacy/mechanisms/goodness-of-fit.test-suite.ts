/**
 * Goodness-of-fit statistics for the sampler tests (test-only, excluded from the build).
 * Critical values at significance 0.001 come from scipy 1.17 (`chi2.ppf(0.999, df)`,
 * `kstwo.ppf(0.999, n)·√n`) and agree with the NIST/SEMATECH e-Handbook tables (§1.3.6.7.4).
 */

/** χ²_{0.999}(df) for df = 1..40 (index df − 1): chi-square critical values at α = 0.001. */
const CHI2_CRITICAL_0999 = [
  10.827566, 13.815511, 16.266236, 18.466827, 20.515006, 22.457744, 24.321886, 26.124482, 27.877165,
  29.588298, 31.264134, 32.90949, 34.528179, 36.123274, 37.697298, 39.252355, 40.790217, 42.312396, 43.820196,
  45.314747, 46.797038, 48.267942, 49.728232, 51.178598, 52.619656, 54.051962, 55.47602, 56.892285, 58.301173,
  59.703064, 61.098306, 62.487219, 63.870099, 65.247217, 66.618829, 67.985168, 69.346452, 70.702887,
  72.054663, 73.401958,
];

/** The α = 0.001 chi-square critical value for `df` degrees of freedom (1..40). */
export function chi2Critical(df: number): number {
  if (!(df >= 1 && df <= 40)) throw new Error(`no tabulated chi-square critical value for df = ${df}`);
  return CHI2_CRITICAL_0999[df - 1];
}

/** The asymptotic Kolmogorov–Smirnov critical value at α = 0.001: √n·D_n ≤ √(−ln(α/2)/2) = 1.9495. */
export const KS_CRITICAL_0999 = Math.sqrt(-Math.log(0.0005) / 2);

/** The Kolmogorov–Smirnov statistic √n · sup_x |F_n(x) − F(x)| of `samples` against the continuous CDF `cdf`. */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return Math.sqrt(n) * d;
}

/**
 * Pearson's χ² = Σ (O_k − E_k)²/E_k of observed counts against exact probabilities, after pooling
 * neighbouring cells until every expected count is ≥ 5 (Cochran's rule). Returns the statistic and
 * the degrees of freedom (pooled cells − 1).
 */
export function chiSquare(
  observed: ArrayLike<number>,
  probabilities: ArrayLike<number>,
): { statistic: number; df: number } {
  let n = 0;
  for (let i = 0; i < observed.length; i++) n += observed[i];
  const cells: { o: number; e: number }[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < observed.length; i++) {
    o += observed[i];
    e += probabilities[i] * n;
    if (e >= 5) {
      cells.push({ o, e });
      o = 0;
      e = 0;
    }
  }
  if (cells.length > 0) {
    cells[cells.length - 1].o += o;
    cells[cells.length - 1].e += e;
  }
  const statistic = cells.reduce((s, c) => s + (c.o - c.e) ** 2 / c.e, 0);
  return { statistic, df: cells.length - 1 };
}

/** The sample mean and (unbiased) variance. */
export function meanAndVariance(samples: ArrayLike<number>): { mean: number; variance: number } {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (samples[i] - mean) ** 2;
  return { mean, variance: ss / (n - 1) };
}
