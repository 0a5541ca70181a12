import { log1pExp } from '../core/index.js';
import type { CsrMatrix } from './sparse-rows.js';

/** What a gradient kernel computes: a logistic-regression or an MLP loss over a range of rows. */
export type GradientTask =
  | { readonly kind: 'logistic'; readonly fitIntercept: boolean }
  | { readonly kind: 'mlp'; readonly sizes: readonly number[] };

/** The arrays a kernel reads (plain or SharedArrayBuffer-backed, so workers can share them). */
export interface KernelArrays {
  /** Row-major features, rows × cols; may be empty when `csr` is given. */
  readonly X: Float64Array;
  /** Number of rows of `X`. */
  readonly rows: number;
  /** Number of columns of `X`. */
  readonly cols: number;
  /** The same features in CSR form; when given, the kernel reads these instead of `X`. */
  readonly csr?: CsrMatrix;
  /** 0/1 labels. */
  readonly y: Uint8Array;
  /** Weight per row. */
  readonly weights: Float64Array;
  /** Row order: `evaluate(from, to)` visits rows order[from..to). */
  readonly order: Uint32Array;
  /** Current parameters (written by the caller before each evaluation). */
  readonly params: Float64Array;
}

/** Computes the weighted loss Σ s_i·ℓ_i and its gradient over one shard of rows. */
export interface GradientKernel {
  /** Writes Σ s_i·∇ℓ_i over rows order[from..to) into `grad` (overwriting it) and returns Σ s_i·ℓ_i. */
  evaluate(from: number, to: number, grad: Float64Array): number;
}

/** Number of parameters of a task with `cols` input features. */
export function parameterCount(task: GradientTask, cols: number): number {
  if (task.kind === 'logistic') return cols + (task.fitIntercept ? 1 : 0);
  let count = 0;
  for (let l = 0; l + 1 < task.sizes.length; l++)
    count += task.sizes[l] * task.sizes[l + 1] + task.sizes[l + 1];
  return count;
}

/** Creates the kernel of `task` over `arrays`; the same code runs on the main thread and in workers. */
export function createKernel(task: GradientTask, arrays: KernelArrays): GradientKernel {
  return task.kind === 'logistic' ? logisticKernel(task.fitIntercept, arrays) : mlpKernel(task.sizes, arrays);
}

/** Per-row log-loss ℓ(z, y) = log(1 + e^z) − y·z, evaluated without cancellation. */
export function logisticLoss(z: number, y: number): number {
  return y === 1 ? log1pExp(-z) : log1pExp(z);
}

/**
 * `logisticLoss(z, y)`, with σ(z) written to `prob[0]`, from the one exponential e^{−|z|} both need:
 * the same bits as `logisticLoss` and `sigmoid` for half the calls to `Math.exp`.
 */
export function logisticLossSigmoid(z: number, y: number, prob: Float64Array): number {
  const e = Math.exp(-Math.abs(z));
  prob[0] = z >= 0 ? 1 / (1 + e) : e / (1 + e);
  const l = Math.log1p(e);
  if (y === 1) return z < 0 ? l - z : l;
  return z > 0 ? z + l : l;
}

function logisticKernel(fitIntercept: boolean, a: KernelArrays): GradientKernel {
  if (a.csr) return logisticKernelCsr(fitIntercept, a, a.csr);
  const { X, cols, y, weights, order, params } = a;
  const prob = new Float64Array(1);
  return {
    evaluate(from, to, grad) {
      grad.fill(0);
      let loss = 0;
      const b = fitIntercept ? params[cols] : 0;
      for (let k = from; k < to; k++) {
        const i = order[k];
        const s = weights[i];
        if (s === 0) continue;
        const base = i * cols;
        let z = b;
        for (let j = 0; j < cols; j++) z += X[base + j] * params[j];
        loss += s * logisticLossSigmoid(z, y[i], prob);
        const r = s * (prob[0] - y[i]);
        for (let j = 0; j < cols; j++) grad[j] += r * X[base + j];
        if (fitIntercept) grad[cols] += r;
      }
      return loss;
    },
  };
}

/** The logistic kernel over CSR rows: the dense one without its x_ij = 0 terms, which add nothing. */
function logisticKernelCsr(fitIntercept: boolean, a: KernelArrays, csr: CsrMatrix): GradientKernel {
  const { cols, y, weights, order, params } = a;
  const { indptr, indices, values } = csr;
  const prob = new Float64Array(1);
  return {
    evaluate(from, to, grad) {
      grad.fill(0);
      let loss = 0;
      const b = fitIntercept ? params[cols] : 0;
      for (let k = from; k < to; k++) {
        const i = order[k];
        const s = weights[i];
        if (s === 0) continue;
        const start = indptr[i];
        const end = indptr[i + 1];
        let z = b;
        for (let t = start; t < end; t++) z += values[t] * params[indices[t]];
        loss += s * logisticLossSigmoid(z, y[i], prob);
        const r = s * (prob[0] - y[i]);
        for (let t = start; t < end; t++) grad[indices[t]] += r * values[t];
        if (fitIntercept) grad[cols] += r;
      }
      return loss;
    },
  };
}

/**
 * Backpropagation (Rumelhart, Hinton & Williams 1986) for ReLU layers and one sigmoid output with
 * binary cross-entropy: δ_L = s·(σ(z) − y), ∂W_l = a_{l−1} δ_lᵀ, δ_{l−1} = (W_l δ_l) ⊙ 1[a_{l−1} > 0].
 * The first layer reads only the non-zero inputs (from CSR rows when given), in column order, so the
 * dense and CSR paths add the same products in the same order.
 */
function mlpKernel(sizes: readonly number[], a: KernelArrays): GradientKernel {
  const { X, cols, csr, y, weights, order, params } = a;
  const nl = sizes.length - 1;
  const acts = sizes.map((s) => new Float64Array(s));
  const deltas = sizes.map((s) => new Float64Array(s));
  const offsets = layerOffsets(sizes);
  const nOut0 = sizes[1];
  const prob = new Float64Array(1);
  return {
    evaluate(from, to, grad) {
      grad.fill(0);
      let loss = 0;
      for (let k = from; k < to; k++) {
        const i = order[k];
        const s = weights[i];
        if (s === 0) continue;
        if (csr) csrInputLayer(params, sizes, csr, i, acts[1]);
        else denseInputLayer(params, sizes, X, i * cols, acts[1]);
        const z = hiddenLayers(params, sizes, offsets, acts);
        loss += s * logisticLossSigmoid(z, y[i], prob);
        deltas[nl][0] = s * (prob[0] - y[i]);
        for (let l = nl - 1; l >= 1; l--) {
          const nIn = sizes[l];
          const nOut = sizes[l + 1];
          const w = offsets[l];
          const bias = w + nIn * nOut;
          const input = acts[l];
          const dOut = deltas[l + 1];
          const dIn = deltas[l];
          for (let o = 0; o < nOut; o++) grad[bias + o] += dOut[o];
          if (nOut === 1) {
            const d = dOut[0];
            for (let j = 0; j < nIn; j++) {
              const v = input[j];
              if (v !== 0) grad[w + j] += v * d;
              dIn[j] = v > 0 ? 0 + params[w + j] * d : 0;
            }
            continue;
          }
          for (let j = 0; j < nIn; j++) {
            const v = input[j];
            if (v !== 0) axpy(v, dOut, 0, grad, w + j * nOut, nOut);
          }
          for (let j = 0; j < nIn; j++) {
            if (input[j] <= 0) {
              dIn[j] = 0;
              continue;
            }
            const row = w + j * nOut;
            let sum = 0;
            for (let o = 0; o < nOut; o++) sum += params[row + o] * dOut[o];
            dIn[j] = sum;
          }
        }
        // First layer: ∂W_0 += x δ_1ᵀ over the non-zero x_j only.
        const dOut = deltas[1];
        const bias = cols * nOut0;
        for (let o = 0; o < nOut0; o++) grad[bias + o] += dOut[o];
        if (csr) {
          const { indptr, indices, values } = csr;
          for (let t = indptr[i], end = indptr[i + 1]; t < end; t++) {
            axpy(values[t], dOut, 0, grad, indices[t] * nOut0, nOut0);
          }
        } else {
          const base = i * cols;
          for (let j = 0; j < cols; j++) {
            const v = X[base + j];
            if (v !== 0) axpy(v, dOut, 0, grad, j * nOut0, nOut0);
          }
        }
      }
      return loss;
    },
  };
}

/** Offset of each layer's weights in the flat parameter vector (weights [in][out], then bias). */
export function layerOffsets(sizes: readonly number[]): number[] {
  const offsets: number[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    offsets.push(off);
    off += sizes[l] * sizes[l + 1] + sizes[l + 1];
  }
  return offsets;
}

/** Runs one row through the network; fills `acts` (ReLU outputs of hidden layers) and returns the output logit. */
export function forward(
  params: Float64Array,
  sizes: readonly number[],
  offsets: readonly number[],
  x: Float64Array,
  acts: Float64Array[],
): number {
  denseInputLayer(params, sizes, x, 0, acts[1]);
  return hiddenLayers(params, sizes, offsets, acts);
}

/** `forward` for row `row` of a CSR matrix; the same sums in the same order as for its dense row. */
export function forwardCsr(
  params: Float64Array,
  sizes: readonly number[],
  offsets: readonly number[],
  csr: CsrMatrix,
  row: number,
  acts: Float64Array[],
): number {
  csrInputLayer(params, sizes, csr, row, acts[1]);
  return hiddenLayers(params, sizes, offsets, acts);
}

/** out = b_0 + Σ_{j: x_j ≠ 0} x_j·W_0[j], x = X[base..base + sizes[0]), before the activation. */
function denseInputLayer(
  params: Float64Array,
  sizes: readonly number[],
  X: Float64Array,
  base: number,
  out: Float64Array,
): void {
  const nIn = sizes[0];
  const nOut = sizes[1];
  for (let o = 0; o < nOut; o++) out[o] = params[nIn * nOut + o];
  for (let j = 0; j < nIn; j++) {
    const v = X[base + j];
    if (v !== 0) axpy(v, params, j * nOut, out, 0, nOut);
  }
}

/** out = b_0 + Σ_t values[t]·W_0[indices[t]] over row `i` of `csr`, before the activation. */
function csrInputLayer(
  params: Float64Array,
  sizes: readonly number[],
  csr: CsrMatrix,
  i: number,
  out: Float64Array,
): void {
  const nIn = sizes[0];
  const nOut = sizes[1];
  const { indptr, indices, values } = csr;
  for (let o = 0; o < nOut; o++) out[o] = params[nIn * nOut + o];
  for (let t = indptr[i], end = indptr[i + 1]; t < end; t++) {
    axpy(values[t], params, indices[t] * nOut, out, 0, nOut);
  }
}

/** Applies the first layer's ReLU to acts[1], then runs layers 1..L−1; returns the output logit. */
function hiddenLayers(
  params: Float64Array,
  sizes: readonly number[],
  offsets: readonly number[],
  acts: Float64Array[],
): number {
  const nl = sizes.length - 1;
  for (let l = 1; l < nl; l++) {
    const input = acts[l];
    for (let o = 0; o < input.length; o++) if (input[o] < 0) input[o] = 0;
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = offsets[l];
    const out = acts[l + 1];
    for (let o = 0; o < nOut; o++) out[o] = params[w + nIn * nOut + o];
    if (nOut === 1) {
      let z = out[0];
      for (let j = 0; j < nIn; j++) {
        const v = input[j];
        if (v !== 0) z += v * params[w + j];
      }
      out[0] = z;
      continue;
    }
    for (let j = 0; j < nIn; j++) {
      const v = input[j];
      if (v !== 0) axpy(v, params, w + j * nOut, out, 0, nOut);
    }
  }
  return acts[nl][0];
}

/** y[yo + o] += a·x[xo + o] for o < n, unrolled by four (each element sees the same operations). */
function axpy(a: number, x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): void {
  let o = 0;
  for (; o + 3 < n; o += 4) {
    y[yo + o] += a * x[xo + o];
    y[yo + o + 1] += a * x[xo + o + 1];
    y[yo + o + 2] += a * x[xo + o + 2];
    y[yo + o + 3] += a * x[xo + o + 3];
  }
  for (; o < n; o++) y[yo + o] += a * x[xo + o];
}
