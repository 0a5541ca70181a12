import { checkNumber, InvalidParameterError } from '../../core/index.js';

/** Lanczos coefficients for g = 7, n = 9 (Godfrey's set, relative error of Γ about 1e-15). */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
/** Smallest magnitude the Lentz recurrences may hold before it is replaced (avoids division by zero). */
const TINY = 1e-300;
/** Relative convergence of the continued fraction. */
const CF_EPS = 1e-16;

/**
 * log Γ(x) for x > 0 by the Lanczos approximation (Lanczos 1964, g = 7, 9 terms):
 * Γ(x + 1) = √(2π) (x + g + ½)^{x+½} e^{−(x+g+½)} A_g(x), with the reflection Γ(x)Γ(1−x) = π / sin(πx) below ½.
 */
export function logGammaLanczos(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGammaLanczos(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The remainder of Stirling's series, log Γ(x) − [(x − ½) log x − x + ½ log 2π] =
 * 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹) (Abramowitz & Stegun 6.1.41), for x >= 10
 * (the next term is below 2e-14 there).
 */
function stirlingRemainder(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), with p = min(a, b), q = max(a, b). To avoid subtracting
 * log-gammas of size (a + b) log(a + b), Stirling's terms are combined before they are added: for q >= 10,
 * log Γ(q) − log Γ(p + q) = −(q − ½) log(1 + p/q) − p log(p + q) + p + remainders; for p >= 10 too,
 * log B = ½ log 2π − ½ log q + (p − ½) log(p/(p+q)) + q log(q/(p+q)) + remainders. Lanczos below 10.
 */
export function logBetaFunction(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (q < 10) return logGammaLanczos(a) + logGammaLanczos(b) - logGammaLanczos(a + b);
  if (p < 10) {
    // log Γ(q) − log Γ(p + q) from Stirling's terms: −(q − ½) log(1 + p/q) − p log(p + q) + p + remainders.
    const ratio = -(q - 0.5) * Math.log1p(p / q) - p * Math.log(p + q) + p;
    return logGammaLanczos(p) + ratio + stirlingRemainder(q) - stirlingRemainder(p + q);
  }
  const corrections = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(p + q);
  return (
    HALF_LOG_TWO_PI -
    0.5 * Math.log(q) +
    corrections +
    (p - 0.5) * Math.log(p / (p + q)) +
    q * Math.log1p(-p / (p + q))
  );
}

/**
 * The continued fraction of I_x(a, b) (Abramowitz & Stegun 26.5.8), evaluated by the modified Lentz
 * method: I_x(a,b) = x^a (1−x)^b / (a B(a,b)) · 1/(1 + d₁/(1 + d₂/(1 + …))) with
 * d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)).
 * Converges fast for x < (a+1)/(a+b+2).
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 / clampTiny(1 - ((a + b) * x) / (a + 1));
  let h = d;
  const maxTerms = 10_000 + Math.ceil(20 * Math.sqrt(a + b));
  for (let m = 1; m <= maxTerms; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = clampTiny(1 + even * d);
    c = clampTiny(1 + even / c);
    d = 1 / d;
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = clampTiny(1 + odd * d);
    c = clampTiny(1 + odd / c);
    d = 1 / d;
    const factor = d * c;
    h *= factor;
    if (Math.abs(factor - 1) < CF_EPS) return h;
  }
  throw new InvalidParameterError(
    `regularizedIncompleteBeta did not converge for a = ${a}, b = ${b}, x = ${x}. Check that a and b are below 1e12.`,
  );
}

/** Replaces a value closer to 0 than TINY by TINY (Lentz's guard). */
function clampTiny(v: number): number {
  return Math.abs(v) < TINY ? TINY : v;
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b) (the Beta(a, b) CDF at x),
 * by the continued fraction of Abramowitz & Stegun 26.5.8 and the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  checkNumber('regularizedIncompleteBeta', 'a', a, (v) => v > 0, '> 0');
  checkNumber('regularizedIncompleteBeta', 'b', b, (v) => v > 0, '> 0');
  checkNumber('regularizedIncompleteBeta', 'x', x, (v) => v >= 0 && v <= 1, 'in [0, 1]');
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBetaFunction(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The Beta(a, b) density x^{a−1}(1−x)^{b−1} / B(a, b), in log space to avoid underflow. */
function logBetaDensity(x: number, a: number, b: number, logB: number): number {
  return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB;
}

/**
 * The inverse of the regularized incomplete beta function: the x in [0, 1] with I_x(a, b) = p (the Beta(a, b)
 * quantile). Newton's method on I_x(a, b) − p with the Beta density as derivative, safeguarded by a bracket
 * [lo, hi] that every evaluation shrinks (bisection whenever a Newton step would leave it).
 */
export function inverseRegularizedIncompleteBeta(p: number, a: number, b: number): number {
  checkNumber('inverseRegularizedIncompleteBeta', 'a', a, (v) => v > 0, '> 0');
  checkNumber('inverseRegularizedIncompleteBeta', 'b', b, (v) => v > 0, '> 0');
  checkNumber('inverseRegularizedIncompleteBeta', 'p', p, (v) => v >= 0 && v <= 1, 'in [0, 1]');
  if (p === 0) return 0;
  if (p === 1) return 1;
  const logB = logBetaFunction(a, b);
  let lo = 0;
  let hi = 1;
  let x = a / (a + b);
  for (let iteration = 0; iteration < 2000; iteration++) {
    const f = regularizedIncompleteBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp(logBetaDensity(x, a, b, logB));
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.min(x, 1 - x) || hi - lo <= 4e-16 * hi) {
      return next;
    }
    x = next;
  }
  return x;
}
