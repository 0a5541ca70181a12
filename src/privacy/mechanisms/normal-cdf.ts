const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;

/**
 * ln erfc(z) for z ≥ 2 by the Laplace continued fraction (Abramowitz & Stegun 7.1.14),
 * erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated with the modified Lentz
 * method (Press et al., Numerical Recipes §5.2). In log space, so it never underflows.
 */
function logErfcContinuedFraction(z: number): number {
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let i = 1; i < 5000; i++) {
    const a = i / 2;
    d = z + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = z + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -z * z - LOG_SQRT_PI - Math.log(f);
}

/**
 * erf(z) for 0 ≤ z < 2 by the series with positive terms (A&S 7.1.6),
 * erf(z) = 2/√π · e^(−z²) · Σ_n 2^n z^(2n+1) / (1·3·…·(2n+1)), summed to double precision.
 */
function erfSeries(z: number): number {
  let term = z;
  let sum = z;
  const z2 = 2 * z * z;
  for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
    term *= z2 / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
}

/** ln Φ(x), the log of the standard normal CDF, accurate in the far lower tail (no underflow). */
export function logNormalCdf(x: number): number {
  const z = -x / SQRT2; // Φ(x) = ½ erfc(z)
  if (z >= 2) return Math.log(0.5) + logErfcContinuedFraction(z);
  return Math.log(normalCdf(x));
}

/** Φ(x), the standard normal CDF: ½ erfc(−x/√2), by the erf series near 0 and a continued fraction in the tails. */
export function normalCdf(x: number): number {
  const z = -x / SQRT2;
  if (z >= 2) return 0.5 * Math.exp(logErfcContinuedFraction(z));
  if (z <= -2) return 1 - 0.5 * Math.exp(logErfcContinuedFraction(-z));
  return z >= 0 ? 0.5 * (1 - erfSeries(z)) : 0.5 * (1 + erfSeries(-z));
}
