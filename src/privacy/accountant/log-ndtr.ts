/**
 * Error-function family in double precision: erfc, the scaled erfcx, Φ (`ndtr`) and log Φ (`logNdtr`).
 *
 * The rational approximations are W. J. Cody, "Rational Chebyshev approximations for the error
 * function", Mathematics of Computation 23 (1969) 631-637, with the coefficients of his SPECFUN
 * routine CALERF: erf on |x| ≤ 0.46875, erfcx(x) = exp(x²)·erfc(x) on (0.46875, 4] and an
 * asymptotic form erfcx(x) = (1/√π − R(1/x²)/x²)/x beyond 4. exp(−x²) is split as
 * exp(−s²)·exp(−(x−s)(x+s)) with s = ⌊16x⌋/16 so that no accuracy is lost in forming x².
 */

const SQRT_1_PI = 0.5641895835477563; // 1/√π

const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const Q = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918,
];

/** erf(y)/y-style rational part for |y| ≤ 0.46875 (Cody's first interval): returns erf(y). */
function erfSmall(y: number): number {
  const z = y * y;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (y * (num + A[3])) / (den + B[3]);
}

/** erfcx(y) = exp(y²)·erfc(y) for y > 0.46875 (Cody's second and third intervals). */
function erfcxLarge(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
  return (SQRT_1_PI - r) / y;
}

/** exp(−y²) for y ≥ 0 without the rounding error of forming y² first (Cody's split). */
function expMinusSquare(y: number): number {
  const s = Math.trunc(16 * y) / 16;
  const del = (y - s) * (y + s);
  return Math.exp(-s * s) * Math.exp(-del);
}

/** Complementary error function erfc(x) = 1 − erf(x), accurate in relative terms for large x (Cody 1969). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let r: number;
  if (y <= 0.46875) return 1 - erfSmall(x);
  if (y >= 27.3) r = 0;
  else r = expMinusSquare(y) * erfcxLarge(y);
  return x < 0 ? 2 - r : r;
}

/** Scaled complementary error function erfcx(x) = exp(x²)·erfc(x) (Cody 1969); finite for all x ≥ −26. */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) {
    // erfcx(−y) = 2·exp(y²) − erfcx(y); the first term dominates.
    const y = -x;
    return y > 26.7 ? Number.POSITIVE_INFINITY : 2 * Math.exp(y * y) - erfcx(y);
  }
  if (x <= 0.46875) return Math.exp(x * x) * (1 - erfSmall(x));
  return erfcxLarge(x);
}

/**
 * log Φ(a), the log of the standard normal CDF, accurate in relative terms over the whole real line.
 * With t = a/√2: for a < −1, log Φ(a) = log(erfcx(−t)/2) − a²/2 (no underflow down to a ≈ −1e154);
 * otherwise log Φ(a) = log1p(−Φ(−a)) with Φ(−a) = erfc(t)/2, which keeps the tiny value −Φ(−a) for
 * large positive a. The same split as scipy.special.log_ndtr, with exp(−a²/2) split as in Cody.
 */
export function logNdtr(a: number): number {
  if (Number.isNaN(a)) return Number.NaN;
  if (a === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (a === Number.POSITIVE_INFINITY) return 0;
  const t = a * Math.SQRT1_2;
  if (a < -1) return Math.log(erfcx(-t) / 2) - 0.5 * a * a;
  if (t <= 0.46875) return Math.log1p(-erfc(t) / 2);
  if (t >= 27.3) return 0;
  // Upper tail Φ(−a) = exp(−a²/2)·erfcx(t)/2, with exp(−a²/2) split so a² is not rounded.
  return Math.log1p(-0.5 * expMinusHalfSquare(a) * erfcxLarge(t));
}

/**
 * Φ(a), the standard normal CDF, accurate in relative terms in the lower tail: for a < −1,
 * Φ(a) = exp(−a²/2)·erfcx(−a/√2)/2 with exp(−a²/2) split as in Cody (1969), so a² is not rounded;
 * otherwise Φ(a) = erfc(−a/√2)/2 (scipy.special.ndtr's formula).
 */
export function ndtr(a: number): number {
  if (Number.isNaN(a)) return Number.NaN;
  if (a === Number.NEGATIVE_INFINITY) return 0;
  const t = a * Math.SQRT1_2;
  if (a < -1) return 0.5 * expMinusHalfSquare(a) * erfcx(-t);
  return 0.5 * erfc(-t);
}

/** exp(−a²/2) with a split at s = ⌊16a⌋/16 (toward 0) so that no accuracy is lost in forming a². */
function expMinusHalfSquare(a: number): number {
  const s = Math.trunc(16 * a) / 16;
  return Math.exp(-0.5 * s * s) * Math.exp(-0.5 * (a - s) * (a + s));
}
