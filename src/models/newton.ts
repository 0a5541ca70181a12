import { type Matrix, sigmoid } from '../core/index.js';
import type { CsrMatrix } from './sparse-rows.js';

/**
 * The Hessian of the L2-penalised logistic objective F(w, b) = C·Σ s_i·ℓ_i + ½‖w‖²:
 * H = C·Σ s_i·p_i(1 − p_i)·x̃_i x̃_iᵀ + diag(1, …, 1, 0), x̃_i = (x_i, 1) when there is an intercept.
 * Dense, row-major, size p × p with p = cols (+ 1). Only non-zero features enter (read from the CSR
 * rows when `X` is a `CsrMatrix`, in the same order), so one-hot data is cheap.
 */
export function logisticHessian(
  X: Matrix | CsrMatrix,
  weights: Float64Array,
  params: Float64Array,
  C: number,
  fitIntercept: boolean,
): Float64Array {
  const { rows, cols } = X;
  const csr = 'indptr' in X ? X : undefined;
  const data = 'data' in X ? X.data : undefined;
  const p = cols + (fitIntercept ? 1 : 0);
  const H = new Float64Array(p * p);
  const idx = new Int32Array(p);
  const val = new Float64Array(p);
  const b = fitIntercept ? params[cols] : 0;
  for (let i = 0; i < rows; i++) {
    const s = weights[i];
    if (s === 0) continue;
    let z = b;
    let nnz = 0;
    if (csr) {
      const { indptr, indices, values } = csr;
      for (let t = indptr[i], end = indptr[i + 1]; t < end; t++) {
        const v = values[t];
        const j = indices[t];
        z += v * params[j];
        idx[nnz] = j;
        val[nnz++] = v;
      }
    } else if (data) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        const v = data[base + j];
        if (v === 0) continue;
        z += v * params[j];
        idx[nnz] = j;
        val[nnz++] = v;
      }
    }
    if (fitIntercept) {
      idx[nnz] = cols;
      val[nnz++] = 1;
    }
    const pr = sigmoid(z);
    const h = C * s * pr * (1 - pr);
    if (h === 0) continue;
    for (let a = 0; a < nnz; a++) {
      const ha = h * val[a];
      const rowA = idx[a] * p;
      for (let c = a; c < nnz; c++) H[rowA + idx[c]] += ha * val[c];
    }
  }
  for (let j = 0; j < cols; j++) H[j * p + j] += 1;
  for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) H[a * p + c] = H[c * p + a];
  return H;
}

/**
 * Solves A x = b for a symmetric positive-definite A (row-major n × n) by the Cholesky factorisation
 * A = L Lᵀ (Golub & Van Loan, Matrix Computations, Alg. 4.2.1) and two triangular solves. When A is
 * not numerically positive definite, it retries with A + λI, λ growing from 1e-12·max diag(A).
 */
export function choleskySolve(A: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(A[i * n + i]));
  let jitter = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    const L = cholesky(A, n, jitter);
    if (L) return triangularSolve(L, b, n);
    jitter = jitter === 0 ? 1e-12 * (maxDiag || 1) : jitter * 10;
  }
  throw new Error('choleskySolve: the matrix is not positive definite even after regularisation.');
}

function cholesky(A: Float64Array, n: number, jitter: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diag = A[j * n + j] + jitter;
    for (let k = 0; k < j; k++) diag -= L[j * n + k] * L[j * n + k];
    if (!(diag > 0)) return undefined;
    const ljj = Math.sqrt(diag);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let sum = A[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = sum / ljj;
    }
  }
  return L;
}

function triangularSolve(L: Float64Array, b: Float64Array, n: number): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * n + k] * z[k];
    z[i] = sum / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * x[k];
    x[i] = sum / L[i * n + i];
  }
  return x;
}
