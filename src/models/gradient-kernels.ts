import { log1pExp, sigmoid } from '../core/index.js';

/** What a gradient kernel computes: a logistic-regression or an MLP loss over a range of rows. */
export type GradientTask =
  | { readonly kind: 'logistic'; readonly fitIntercept: boolean }
  | { readonly kind: 'mlp'; readonly sizes: readonly number[] };

/** The arrays a kernel reads (plain or SharedArrayBuffer-backed, so workers can share them). */
export interface KernelArrays {
  /** Row-major features, rows × cols. */
  readonly X: Float64Array;
  /** Number of rows of `X`. */
  readonly rows: number;
  /** Number of columns of `X`. */
  readonly cols: number;
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

function logisticKernel(fitIntercept: boolean, a: KernelArrays): GradientKernel {
  const { X, cols, y, weights, order, params } = a;
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
        loss += s * logisticLoss(z, y[i]);
        const r = s * (sigmoid(z) - y[i]);
        for (let j = 0; j < cols; j++) grad[j] += r * X[base + j];
        if (fitIntercept) grad[cols] += r;
      }
      return loss;
    },
  };
}

/**
 * Backpropagation (Rumelhart, Hinton & Williams 1986) for ReLU layers and one sigmoid output with
 * binary cross-entropy: δ_L = s·(σ(z) − y), ∂W_l = a_{l−1} δ_lᵀ, δ_{l−1} = (W_l δ_l) ⊙ 1[a_{l−1} > 0].
 */
function mlpKernel(sizes: readonly number[], a: KernelArrays): GradientKernel {
  const { X, cols, y, weights, order, params } = a;
  const nl = sizes.length - 1;
  const acts = sizes.map((s) => new Float64Array(s));
  const deltas = sizes.map((s) => new Float64Array(s));
  const offsets = layerOffsets(sizes);
  return {
    evaluate(from, to, grad) {
      grad.fill(0);
      let loss = 0;
      for (let k = from; k < to; k++) {
        const i = order[k];
        const s = weights[i];
        if (s === 0) continue;
        const x = X.subarray(i * cols, (i + 1) * cols);
        const z = forward(params, sizes, offsets, x, acts);
        loss += s * logisticLoss(z, y[i]);
        deltas[nl][0] = s * (sigmoid(z) - y[i]);
        for (let l = nl - 1; l >= 0; l--) {
          const nIn = sizes[l];
          const nOut = sizes[l + 1];
          const w = offsets[l];
          const bias = w + nIn * nOut;
          const input = l === 0 ? x : acts[l];
          const dOut = deltas[l + 1];
          for (let o = 0; o < nOut; o++) grad[bias + o] += dOut[o];
          for (let j = 0; j < nIn; j++) {
            const v = input[j];
            if (v === 0) continue;
            const row = w + j * nOut;
            for (let o = 0; o < nOut; o++) grad[row + o] += v * dOut[o];
          }
          if (l === 0) break;
          const dIn = deltas[l];
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
  const nl = sizes.length - 1;
  for (let l = 0; l < nl; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = offsets[l];
    const input = l === 0 ? x : acts[l];
    const out = acts[l + 1];
    for (let o = 0; o < nOut; o++) out[o] = params[w + nIn * nOut + o];
    for (let j = 0; j < nIn; j++) {
      const v = input[j];
      if (v === 0) continue;
      const row = w + j * nOut;
      for (let o = 0; o < nOut; o++) out[o] += v * params[row + o];
    }
    if (l < nl - 1) for (let o = 0; o < nOut; o++) if (out[o] < 0) out[o] = 0;
  }
  return acts[nl][0];
}
