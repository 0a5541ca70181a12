import { describeValue, InvalidParameterError, type Matrix } from '../core/index.js';

/**
 * A matrix in compressed sparse row form (Saad, Iterative Methods for Sparse Linear Systems, §3.4):
 * the non-zeros of row i are values[indptr[i]..indptr[i+1]) at columns indices[...], columns ascending.
 */
export interface CsrMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row starts, length rows + 1. */
  readonly indptr: Int32Array;
  /** Column of each non-zero, ascending within a row. */
  readonly indices: Int32Array;
  /** Value of each non-zero. */
  readonly values: Float64Array;
}

/** The `sparse` option of the estimators: 'auto' uses CSR below `SPARSE_DENSITY`, true always, false never. */
export type SparseOption = 'auto' | boolean;

/** Fraction of non-zeros below which `sparse: 'auto'` trains on a CSR copy of the design matrix. */
export const SPARSE_DENSITY = 0.3;

/** Fraction of entries of `X` that are not 0 (−0 counts as 0). */
export function density(X: Matrix): number {
  const { data } = X;
  let nnz = 0;
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) nnz++;
  return data.length === 0 ? 0 : nnz / data.length;
}

/**
 * The non-zeros of `X` in CSR form, columns ascending, so a loop over them adds the same products in
 * the same order as a dense loop that skips zeros (and gives the same sums as one that does not).
 */
export function toCsr(X: Matrix): CsrMatrix {
  const { rows, cols, data } = X;
  const indptr = new Int32Array(rows + 1);
  let nnz = 0;
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) nnz++;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (v === 0) continue;
      indices[at] = j;
      values[at++] = v;
    }
    indptr[i + 1] = at;
  }
  return { rows, cols, indptr, indices, values };
}

/** Throws InvalidParameterError unless `option` is 'auto', true or false. */
export function checkSparseOption(owner: string, option: unknown): SparseOption {
  if (option !== 'auto' && option !== true && option !== false) {
    throw new InvalidParameterError(
      `The 'sparse' option of ${owner} must be 'auto', true or false. Got ${describeValue(option)} instead.`,
    );
  }
  return option;
}

/** The CSR form of `X` when `option` asks for it (true, or 'auto' with density < SPARSE_DENSITY), else undefined. */
export function sparseDesign(option: SparseOption, X: Matrix): CsrMatrix | undefined {
  if (option === false || (option === 'auto' && density(X) >= SPARSE_DENSITY)) return undefined;
  return toCsr(X);
}
