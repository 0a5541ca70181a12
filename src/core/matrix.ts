import { InvalidParameterError } from './errors.js';

/** A dense row-major matrix of float64 values: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  /** Row-major values, length rows × cols. */
  readonly data: Float64Array;
  /** Number of rows (samples). */
  readonly rows: number;
  /** Number of columns (features). */
  readonly cols: number;
}

/** Creates a zero matrix, or wraps `data` (without copying) as a rows × cols matrix. */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new InvalidParameterError(
      `The 'data' argument of matrix must have rows × cols = ${rows * cols} values. Got ${values.length} instead.`,
    );
  }
  return { data: values, rows, cols };
}

/** Builds a matrix from an array of rows (all of the same length). */
export function fromRows(rows: ArrayLike<number>[]): Matrix {
  const cols = rows.length > 0 ? rows[0].length : 0;
  const m = matrix(rows.length, cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) {
      throw new InvalidParameterError(
        `Every row given to fromRows must have ${cols} values. Row ${i} has ${r.length} instead.`,
      );
    }
    m.data.set(Array.from(r), i * cols);
  });
  return m;
}

/** A view of row `i` (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Copies the given rows (by index) into a new matrix. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = matrix(indices.length, m.cols);
  for (let k = 0; k < indices.length; k++) out.data.set(row(m, indices[k]), k * m.cols);
  return out;
}

/** Dot product of two equal-length vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm of a vector. */
export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Numerically stable logistic function σ(z) = 1 / (1 + e^{-z}). */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Numerically stable log(1 + e^{z}). */
export function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Takes elements of a typed array (or plain array) at the given indices. */
export function take<T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(
  a: T,
  indices: ArrayLike<number>,
): T {
  const out = new (a.constructor as new (n: number) => T)(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = a[indices[k]];
  return out;
}
