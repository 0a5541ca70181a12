import { MoreThuente } from './line-search.js';

/** An objective: writes ∇f(w) into `grad` and returns f(w); may be async (gradients on worker threads). */
export type Objective = (w: Float64Array, grad: Float64Array) => number | Promise<number>;

/** scipy's default `ftol` of L-BFGS-B (factr = 1e7 times machine epsilon), which scikit-learn 1.2 used. */
export const SCIPY_LBFGSB_FTOL = 1e7 * Number.EPSILON;

/** Options of `minimizeLbfgs`. */
export interface LbfgsOptions {
  /** Number of correction pairs kept (m). Default 10. */
  memory?: number;
  /** Maximum number of iterations. Default 1000. */
  maxIter?: number;
  /** Stop when max_i |∂f/∂w_i| <= gtol. Default 1e-5. */
  gtol?: number;
  /** Stop when (f_k − f_{k+1}) <= ftol · max(|f_k|, |f_{k+1}|, 1); 0 stops only when f stops decreasing. Default 0. */
  ftol?: number;
  /** Maximum number of function evaluations per line search. Default 20. */
  maxLineSearch?: number;
}

/** Why `minimizeLbfgs` stopped. */
export type LbfgsStatus = 'gtol' | 'ftol' | 'maxIter' | 'lineSearch';

/** The result of `minimizeLbfgs`. */
export interface LbfgsResult {
  /** The final iterate. */
  x: Float64Array;
  /** f(x). */
  f: number;
  /** ∇f(x). */
  grad: Float64Array;
  /** Iterations taken (accepted steps). */
  nIter: number;
  /** Objective evaluations made. */
  nEval: number;
  /** Why it stopped. */
  status: LbfgsStatus;
}

/**
 * Minimises f with limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4
 * two-loop recursion and Alg. 7.5): d_k = −H_k ∇f_k with H_k^0 = (s'y / y'y)·I from the newest pair,
 * and a Moré-Thuente line search for the strong Wolfe conditions (c1 = 1e-3, c2 = 0.9). The step
 * rules follow L-BFGS-B without bounds (Byrd, Lu, Nocedal & Zhu 1995; Zhu et al. 1997, as in scipy):
 * first step 1/‖∇f_0‖, pairs with s'y <= ε·(−∇f'd)·α skipped, memory reset after a failed search,
 * so a fit reproduces scipy's `minimize(method='L-BFGS-B')` trajectory up to rounding.
 */
export async function minimizeLbfgs(
  objective: Objective,
  x0: Float64Array,
  options: LbfgsOptions = {},
): Promise<LbfgsResult> {
  const m = options.memory ?? 10;
  const maxIter = options.maxIter ?? 1000;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 0;
  const maxLs = options.maxLineSearch ?? 20;
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let nEval = 1;
  let f = await objective(x, g);

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let theta = 1;
  const d = new Float64Array(n);
  const xOld = new Float64Array(n);
  const gOld = new Float64Array(n);
  const alpha = new Float64Array(m);
  const search = new MoreThuente({ ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpmin: 0, stpmax: 1e10 });

  let nIter = 0;
  if (maxAbs(g) <= gtol) return { x, f, grad: g, nIter, nEval, status: 'gtol' };
  for (;;) {
    direction(g, S, Y, rho, theta, alpha, d);
    xOld.set(x);
    gOld.set(g);
    const fOld = f;
    const gdOld = dotN(g, d);
    let stp = nIter === 0 ? Math.min(1 / Math.sqrt(dotN(d, d)), 1e10) : 1;
    let task = gdOld < 0 ? search.start(f, gdOld, stp) : 'error';
    let gd = gdOld;
    let evals = 0;
    while (task === 'evaluate' && evals < maxLs) {
      stp = search.stp;
      for (let i = 0; i < n; i++) x[i] = xOld[i] + stp * d[i];
      f = await objective(x, g);
      nEval++;
      evals++;
      gd = dotN(g, d);
      task = search.step(f, gd);
    }
    if (task === 'error' || task === 'evaluate') {
      // The search failed: go back to the last iterate; retry once along −∇f with an empty memory.
      x.set(xOld);
      g.set(gOld);
      f = fOld;
      if (S.length === 0) return { x, f, grad: g, nIter, nEval, status: 'lineSearch' };
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      theta = 1;
      continue;
    }
    nIter++;
    if (maxAbs(g) <= gtol) return { x, f, grad: g, nIter, nEval, status: 'gtol' };
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      return { x, f, grad: g, nIter, nEval, status: 'ftol' };
    }
    if (nIter >= maxIter) return { x, f, grad: g, nIter, nEval, status: 'maxIter' };

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = stp * d[i];
      y[i] = g[i] - gOld[i];
    }
    const sy = (gd - gdOld) * stp;
    if (sy <= Number.EPSILON * -gdOld * stp) continue;
    if (S.length === m) {
      S.shift();
      Y.shift();
      rho.shift();
    }
    S.push(s);
    Y.push(y);
    rho.push(1 / sy);
    theta = dotN(y, y) / sy;
  }
}

/** Nocedal & Wright Alg. 7.4: d = −H∇f by the two-loop recursion with H^0 = I/θ. */
function direction(
  g: Float64Array,
  S: Float64Array[],
  Y: Float64Array[],
  rho: number[],
  theta: number,
  alpha: Float64Array,
  d: Float64Array,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) d[i] = -g[i];
  for (let k = S.length - 1; k >= 0; k--) {
    alpha[k] = rho[k] * dotN(S[k], d);
    const yk = Y[k];
    for (let i = 0; i < n; i++) d[i] -= alpha[k] * yk[i];
  }
  const h0 = 1 / theta;
  for (let i = 0; i < n; i++) d[i] *= h0;
  for (let k = 0; k < S.length; k++) {
    const beta = rho[k] * dotN(Y[k], d);
    const sk = S[k];
    for (let i = 0; i < n; i++) d[i] += (alpha[k] - beta) * sk[i];
  }
}

function dotN(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
