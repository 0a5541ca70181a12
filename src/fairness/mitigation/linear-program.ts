/** A solution of a small box-constrained linear program. */
export interface BoxLpSolution {
  /** The minimiser. */
  readonly x: Float64Array;
  /** The objective c·x at the minimiser. */
  readonly value: number;
}

const TOL = 1e-10;

/**
 * Solves min c·x subject to A x = b and 0 ≤ x ≤ 1 for a handful of variables by vertex enumeration:
 * an optimum of a bounded feasible LP lies at a vertex, i.e. a basic solution where every variable
 * outside a set F (|F| ≤ rows of A, columns of A_F independent) sits at 0 or 1 and A_F x_F = b − A x
 * fixes the rest. All 3^n assignments (0, 1 or free) are tried, so n must stay small (≤ 10).
 * Returns undefined when no vertex is feasible. Ties keep the first vertex found.
 */
export function solveBoxLp(
  c: readonly number[],
  A: readonly (readonly number[])[],
  b: readonly number[],
): BoxLpSolution | undefined {
  const n = c.length;
  const m = A.length;
  if (n > 10) throw new RangeError(`solveBoxLp enumerates 3^n vertices; n = ${n} is too many.`);
  let best: BoxLpSolution | undefined;
  const states = new Uint8Array(n); // 0: at 0, 1: at 1, 2: free
  const total = 3 ** n;
  for (let code = 0; code < total; code++) {
    let rest = code;
    const free: number[] = [];
    for (let j = 0; j < n; j++) {
      states[j] = rest % 3;
      rest = Math.floor(rest / 3);
      if (states[j] === 2) free.push(j);
    }
    if (free.length > m) continue;
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) if (states[j] === 1) x[j] = 1;
    const residual = b.map((bi, i) => bi - A[i].reduce((s, a, j) => s + (states[j] === 1 ? a : 0), 0));
    if (free.length > 0) {
      const solved = leastSquares(
        A.map((row) => free.map((j) => row[j])),
        residual,
      );
      if (solved === undefined) continue;
      free.forEach((j, k) => {
        x[j] = solved[k];
      });
    }
    if (!clampIfFeasible(x, A, b)) continue;
    const value = c.reduce((s, cj, j) => s + cj * x[j], 0);
    if (best === undefined || value < best.value - TOL) best = { x, value };
  }
  return best;
}

/** True when x satisfies the box and A x = b within tolerance; then clamps x into the box in place. */
function clampIfFeasible(x: Float64Array, A: readonly (readonly number[])[], b: readonly number[]): boolean {
  for (const v of x) if (v < -TOL || v > 1 + TOL) return false;
  for (let i = 0; i < A.length; i++) {
    const lhs = A[i].reduce((s, a, j) => s + a * x[j], 0);
    const scale = 1 + Math.abs(b[i]) + A[i].reduce((s, a) => s + Math.abs(a), 0);
    if (Math.abs(lhs - b[i]) > TOL * scale) return false;
  }
  for (let j = 0; j < x.length; j++) x[j] = Math.min(1, Math.max(0, x[j]));
  return true;
}

/** Least-squares solution of M y = r (normal equations, Gaussian elimination); undefined when rank-deficient. */
function leastSquares(M: readonly (readonly number[])[], r: readonly number[]): number[] | undefined {
  const k = M[0].length;
  const N = Array.from({ length: k }, (_, p) => {
    const row = Array.from({ length: k }, (_, q) => M.reduce((s, mi) => s + mi[p] * mi[q], 0));
    row.push(M.reduce((s, mi, i) => s + mi[p] * r[i], 0));
    return row;
  });
  const scale = Math.max(1e-300, ...N.map((row) => Math.max(...row.slice(0, k).map(Math.abs))));
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let i = col + 1; i < k; i++) if (Math.abs(N[i][col]) > Math.abs(N[pivot][col])) pivot = i;
    if (Math.abs(N[pivot][col]) <= 1e-12 * scale) return undefined;
    [N[col], N[pivot]] = [N[pivot], N[col]];
    for (let i = 0; i < k; i++) {
      if (i === col) continue;
      const f = N[i][col] / N[col][col];
      for (let q = col; q <= k; q++) N[i][q] -= f * N[col][q];
    }
  }
  return N.map((row, i) => row[k] / row[i]);
}
