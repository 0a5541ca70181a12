import { type Matrix, matrix } from '../../core/index.js';
import {
  type CsrMatrix,
  forward,
  forwardCsr,
  layerOffsets,
  logisticLossSigmoid,
  parameterCount,
} from '../../models/index.js';

/**
 * Per-sample gradients of the log-loss of a ReLU network with one sigmoid output (logistic regression
 * is `sizes = [d, 1]`), one row at a time in preallocated buffers. Backpropagation (Rumelhart, Hinton
 * & Williams 1986) gives δ_L = σ(z) − y and δ_l = (W_{l+1} δ_{l+1}) ⊙ 1[a_l > 0]; the gradient of layer
 * l is the rank-one a_{l−1} δ_lᵀ plus δ_l for the bias, so its squared norm is
 * ‖g_i‖² = Σ_l (‖a_{l−1}‖² + 1)·‖δ_l‖² without materialising g_i (Goodfellow 2015, "Efficient per-example
 * gradient computations"). `accumulate(grad, c)` then adds c·g_i, which is how DP-SGD sums the clipped
 * gradients c_i·g_i, c_i = min(1, C/‖g_i‖) (Abadi et al. 2016), with no per-sample vector.
 * Parameters use the layout of `MLPClassifier` (per layer: weights [in][out] row-major, then bias).
 */
export class DpSgdPerSampleBackprop {
  /** Layer sizes [inputs, ...hidden, 1]. */
  readonly sizes: readonly number[];
  /** Number of parameters. */
  readonly size: number;
  private readonly offsets: number[];
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];
  private readonly scaled: Float64Array;
  private readonly prob = new Float64Array(1);
  private X: Matrix | undefined;
  private csr: CsrMatrix | undefined;
  private row = 0;
  private inputSq = 0;

  /** Allocates the buffers of a network with layer sizes `sizes`. */
  constructor(sizes: readonly number[]) {
    this.sizes = [...sizes];
    this.size = parameterCount({ kind: 'mlp', sizes }, sizes[0]);
    this.offsets = layerOffsets(sizes);
    this.acts = sizes.map((s) => new Float64Array(s));
    this.deltas = sizes.map((s) => new Float64Array(s));
    this.scaled = new Float64Array(Math.max(...sizes.slice(1)));
  }

  /**
   * Runs row `i` of `X` (read from `csr` when given: same sums, fewer terms) forward and backward at
   * `params`; keeps its activations and deltas and returns its log-loss.
   */
  evaluate(params: Float64Array, X: Matrix, csr: CsrMatrix | undefined, i: number, y: number): number {
    const { sizes, offsets, acts, deltas } = this;
    this.X = X;
    this.csr = csr;
    this.row = i;
    const z = csr
      ? forwardCsr(params, sizes, offsets, csr, i, acts)
      : forward(params, sizes, offsets, X.data.subarray(i * X.cols, (i + 1) * X.cols), acts);
    const loss = logisticLossSigmoid(z, y, this.prob);
    const nl = sizes.length - 1;
    deltas[nl][0] = this.prob[0] - y;
    for (let l = nl - 1; l >= 1; l--) {
      const nOut = sizes[l + 1];
      const w = offsets[l];
      const input = acts[l];
      const dOut = deltas[l + 1];
      const dIn = deltas[l];
      if (nOut === 1) {
        const d = dOut[0];
        for (let j = 0; j < sizes[l]; j++) dIn[j] = input[j] > 0 ? params[w + j] * d : 0;
        continue;
      }
      for (let j = 0; j < sizes[l]; j++) {
        if (input[j] <= 0) {
          dIn[j] = 0;
          continue;
        }
        let sum = 0;
        for (let o = 0, row = w + j * nOut; o < nOut; o++) sum += params[row + o] * dOut[o];
        dIn[j] = sum;
      }
    }
    let sq = 0;
    if (csr) {
      for (let t = csr.indptr[i], end = csr.indptr[i + 1]; t < end; t++) sq += csr.values[t] * csr.values[t];
    } else {
      for (let j = 0, base = i * X.cols; j < X.cols; j++) sq += X.data[base + j] * X.data[base + j];
    }
    this.inputSq = sq;
    return loss;
  }

  /** ‖g_i‖² of the row last evaluated: Σ_l (‖a_{l−1}‖² + 1)·‖δ_l‖². */
  squaredNorm(): number {
    const { sizes, acts, deltas } = this;
    let total = 0;
    for (let l = 1; l < sizes.length; l++) {
      const inSq = l === 1 ? this.inputSq : sumSquares(acts[l - 1]);
      total += (inSq + 1) * sumSquares(deltas[l]);
    }
    return total;
  }

  /** grad += scale·g_i for the row last evaluated (only the non-zero inputs of each layer are visited). */
  accumulate(grad: Float64Array, scale: number): void {
    const { sizes, offsets, acts, deltas, scaled } = this;
    const nl = sizes.length - 1;
    for (let l = nl; l >= 1; l--) {
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      const w = offsets[l - 1];
      const bias = w + nIn * nOut;
      const d = deltas[l];
      for (let o = 0; o < nOut; o++) {
        scaled[o] = scale * d[o];
        grad[bias + o] += scaled[o];
      }
      if (l > 1 && nOut === 1) {
        const input = acts[l - 1];
        const s0 = scaled[0];
        for (let j = 0; j < nIn; j++) if (input[j] !== 0) grad[w + j] += input[j] * s0;
      } else if (l > 1) {
        const input = acts[l - 1];
        for (let j = 0; j < nIn; j++) if (input[j] !== 0) axpy(input[j], scaled, grad, w + j * nOut, nOut);
      } else if (this.csr) {
        const { indptr, indices, values } = this.csr;
        for (let t = indptr[this.row], end = indptr[this.row + 1]; t < end; t++) {
          axpy(values[t], scaled, grad, w + indices[t] * nOut, nOut);
        }
      } else if (this.X) {
        const { data, cols } = this.X;
        for (let j = 0, base = this.row * cols; j < cols; j++) {
          const v = data[base + j];
          if (v !== 0) axpy(v, scaled, grad, w + j * nOut, nOut);
        }
      }
    }
  }
}

/**
 * The per-sample log-loss gradients of the network `sizes` at `params` for every row of `X`, as a
 * rows × parameters matrix (for tests, audits and membership attacks; DP-SGD never materialises it).
 */
export function dpSgdPerSampleGradients(
  sizes: readonly number[],
  params: Float64Array,
  X: Matrix,
  y: Uint8Array,
): Matrix {
  const bp = new DpSgdPerSampleBackprop(sizes);
  const out = matrix(X.rows, bp.size);
  for (let i = 0; i < X.rows; i++) {
    bp.evaluate(params, X, undefined, i, y[i]);
    bp.accumulate(out.data.subarray(i * bp.size, (i + 1) * bp.size), 1);
  }
  return out;
}

function sumSquares(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return s;
}

/** y[yo + o] += a·x[o] for o < n, unrolled by four (each element sees the same operations). */
function axpy(a: number, x: Float64Array, y: Float64Array, yo: number, n: number): void {
  let o = 0;
  for (; o + 3 < n; o += 4) {
    y[yo + o] += a * x[o];
    y[yo + o + 1] += a * x[o + 1];
    y[yo + o + 2] += a * x[o + 2];
    y[yo + o + 3] += a * x[o + 3];
  }
  for (; o < n; o++) y[yo + o] += a * x[o];
}
