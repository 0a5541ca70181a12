/** The optimum of a linear program in canonical form, with its dual. */
export interface SimplexSolution {
  /** The primal maximiser x. */
  readonly x: Float64Array;
  /** The dual minimiser y (one per constraint row): min b·y s.t. Aᵀy ≥ c, y ≥ 0. */
  readonly dual: Float64Array;
  /** The optimal value c·x = b·y. */
  readonly value: number;
}

const EPS = 1e-12;

/**
 * Solves max c·x subject to A x ≤ b, x ≥ 0 with b ≥ 0 (so x = 0 is feasible) by the tableau simplex
 * method with Bland's rule (no cycling); the dual solution is read from the slack columns of the final
 * objective row. Dense, meant for the small LPs of the reductions (tens of rows and columns).
 * Returns undefined when the LP is unbounded.
 */
export function simplexMax(
  c: ArrayLike<number>,
  A: readonly ArrayLike<number>[],
  b: ArrayLike<number>,
): SimplexSolution | undefined {
  const m = A.length;
  const n = c.length;
  const width = n + m + 1;
  const T = new Float64Array((m + 1) * width);
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    if (!(b[i] >= 0)) throw new RangeError(`simplexMax needs b >= 0; row ${i} has ${b[i]}.`);
    for (let j = 0; j < n; j++) T[i * width + j] = A[i][j];
    T[i * width + n + i] = 1;
    T[i * width + width - 1] = b[i];
    basis[i] = n + i;
  }
  const obj = m * width;
  for (let j = 0; j < n; j++) T[obj + j] = -c[j];
  for (let iter = 0; iter < 50_000; iter++) {
    let enter = -1;
    for (let j = 0; j < n + m; j++) {
      if (T[obj + j] < -EPS) {
        enter = j;
        break;
      }
    }
    if (enter < 0) break;
    let leave = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const a = T[i * width + enter];
      if (a <= EPS) continue;
      const ratio = T[i * width + width - 1] / a;
      if (ratio < bestRatio - EPS || (Math.abs(ratio - bestRatio) <= EPS && basis[i] < basis[leave])) {
        bestRatio = ratio;
        leave = i;
      }
    }
    if (leave < 0) return undefined;
    pivot(T, width, m, leave, enter);
    basis[leave] = enter;
  }
  const x = new Float64Array(n);
  for (let i = 0; i < m; i++) if (basis[i] < n) x[basis[i]] = T[i * width + width - 1];
  const dual = new Float64Array(m);
  for (let i = 0; i < m; i++) dual[i] = Math.max(0, T[obj + n + i]);
  return { x, dual, value: T[obj + width - 1] };
}

/** Gauss-Jordan pivot of the tableau on (row r, column col). */
function pivot(T: Float64Array, width: number, m: number, r: number, col: number): void {
  const p = T[r * width + col];
  for (let j = 0; j < width; j++) T[r * width + j] /= p;
  for (let i = 0; i <= m; i++) {
    if (i === r) continue;
    const f = T[i * width + col];
    if (f === 0) continue;
    for (let j = 0; j < width; j++) T[i * width + j] -= f * T[r * width + j];
  }
}
