import { InvalidParameterError } from '../core/index.js';

const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 0.00003399464998481189,
  0.00004652362892704858, -0.00009837447530487956, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 0.00008441822398385275, -0.000026190838401581408,
  0.0000036899182659531625,
];

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation with g = 607/128 and 14 terms (Numerical Recipes,
 * 3rd ed., §6.1, `gammln`); relative error below 1e-15.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    throw new InvalidParameterError(`logGamma needs x > 0. Got ${x} instead.`);
  }
  let y = x;
  const tmp = x + 5.2421875;
  const t = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.9999999999999971;
  for (const c of LANCZOS) ser += c / ++y;
  return t + Math.log((2.5066282746310007 * ser) / x);
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) = 1 − P(a, x), for a > 0
 * and x >= 0. For x < a + 1 it sums the series of P(a, x) and returns 1 − P; otherwise it evaluates
 * the continued fraction of Q(a, x) by the modified Lentz method (Numerical Recipes, 3rd ed., §6.2,
 * `gser` and `gcf`). Relative accuracy about 1e-14 in both branches.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) {
    throw new InvalidParameterError(
      `regularizedGammaQ needs a > 0 and x >= 0. Got a = ${a}, x = ${x} instead.`,
    );
  }
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const logPrefactor = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) return 1 - seriesP(a, x, logPrefactor);
  return continuedFractionQ(a, x, logPrefactor);
}

/** P(a, x) = e^{−x} x^a / Γ(a) · Σ_n x^n / (a (a + 1) ... (a + n)). */
function seriesP(a: number, x: number, logPrefactor: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < 10_000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
  }
  return sum * Math.exp(logPrefactor);
}

/** Q(a, x) = e^{−x} x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − ...))). */
function continuedFractionQ(a: number, x: number, logPrefactor: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(logPrefactor) * h;
}

/** Survival function of the chi-square distribution: P(X² >= x) = Q(k/2, x/2) with k degrees of freedom. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) {
    throw new InvalidParameterError(
      `The degrees of freedom of a chi-square test must be > 0. Got ${degreesOfFreedom} instead.`,
    );
  }
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
}
