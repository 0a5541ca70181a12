import { describeValue, InvalidParameterError, Rng } from '../../core/index.js';
import type { ColumnBatch } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import type { ShapExplanation, ShapOptions } from '../shap-result.js';
import { coalitionValues } from './coalition-values.js';
import { allCoalitions, type CoalitionSample, sampledCoalitions } from './kernel-coalitions.js';
import { checkShapInputs, finishExplanation, linkOf } from './shap-inputs.js';

/** Up to this many features KernelSHAP enumerates all 2^M − 2 coalitions by default. */
export const KERNEL_EXACT_MAX_FEATURES = 11;
/** Most features for which `exact: true` is accepted (2^20 coalitions per explained row). */
const KERNEL_EXACT_HARD_LIMIT = 20;

/** Options of `kernelShap`. */
export interface KernelShapOptions extends ShapOptions {
  /** Enumerate all 2^M − 2 coalitions. Default: when M <= 11. */
  exact?: boolean;
  /** Coalitions per explained row when sampling (shap's default 2M + 2048), capped at 2^M − 2. */
  nsamples?: number;
  /**
   * Threads that compute coalition values: 2 splits the distinct (row, coalition) units between this thread
   * and one worker thread, which scores its half by a forward pass over the pipeline model's
   * `toDenseNetwork()` (Steward pipelines of a DenseNetworkModel, from the built package only; otherwise 1
   * is used). Values agree with threads: 1 to 1e-12 (bit for bit for LogisticRegression; another network's
   * forward pass may sum in another order) and are the same run to run. Default: 2 when possible and there
   * are at least 1,000,000 coalition rows to score (a worker costs ~50 ms to start), else 1.
   */
  threads?: 1 | 2;
}

/**
 * KernelSHAP (Lundberg & Lee 2017, Theorem 2) over the original features: the SHAP values are the weighted
 * least-squares fit of g(z) = φ0 + Σ_j φ_j z_j to the coalition values link(v_x(S)), with the Shapley kernel
 * weights π(z) = (M − 1)/(C(M,|z|)·|z|·(M − |z|)) and the constraint Σ_j φ_j = link(f(x)) − link(E[f(b)])
 * enforced exactly by eliminating the last feature (as shap does). v_x(S) is interventional: the mean over
 * background rows of f(x_S, b_S̄). Exact (all coalitions, equal to the Shapley values) when M <= 11, else
 * shap's paired sampling with `nsamples` coalitions, seeded. The same coalitions serve every explained row,
 * so the solve is factored once. 'log-odds' output applies the logit to each coalition value (shap's link).
 */
export async function kernelShap(
  model: ExplainableModel,
  rows: ColumnBatch,
  options: KernelShapOptions,
): Promise<ShapExplanation> {
  checkShapInputs('kernelShap', model, rows, options);
  const m = model.features.length;
  const exact = options.exact ?? m <= KERNEL_EXACT_MAX_FEATURES;
  if (exact && m > KERNEL_EXACT_HARD_LIMIT) {
    throw new InvalidParameterError(
      `The 'exact' option of kernelShap is limited to ${KERNEL_EXACT_HARD_LIMIT} features (2^M − 2 coalitions per row). Got ${m} features instead; leave 'exact' unset to sample coalitions.`,
    );
  }
  const nsamples = options.nsamples ?? 2 * m + 2048;
  if (!Number.isInteger(nsamples) || nsamples < m + 1) {
    throw new InvalidParameterError(
      `The 'nsamples' option of kernelShap must be an integer >= M + 1 = ${m + 1}. Got ${String(options.nsamples)} instead.`,
    );
  }
  if (options.threads !== undefined && options.threads !== 1 && options.threads !== 2) {
    throw new InvalidParameterError(
      `The 'threads' option of kernelShap must be 1 or 2. Got ${describeValue(options.threads)} instead.`,
    );
  }
  const output = options.output ?? 'probability';
  const link = linkOf(output);
  const sample: CoalitionSample =
    m === 1
      ? { masks: [], weights: new Float64Array(0), exact: true }
      : exact || nsamples >= 2 ** m - 2
        ? allCoalitions(m)
        : sampledCoalitions(m, nsamples, new Rng(options.seed ?? 0));

  const cv = await coalitionValues(model, rows, options.background, { threads: options.threads ?? 'auto' });
  const v = await cv.values(sample.masks);
  const projector = m === 1 ? new Float64Array(0) : constrainedProjector(sample);
  const ns = sample.masks.length;
  const base = link(cv.fnull);
  const outputs = cv.fx.map(link);
  const values = new Float64Array(rows.rows * m);
  const target = new Float64Array(ns);
  for (let r = 0; r < rows.rows; r++) {
    const delta = outputs[r] - base;
    for (let k = 0; k < ns; k++) target[k] = link(v[r * ns + k]) - base - sample.masks[k][m - 1] * delta;
    let sum = 0;
    for (let j = 0; j < m - 1; j++) {
      let phi = 0;
      const row = j * ns;
      for (let k = 0; k < ns; k++) phi += projector[row + k] * target[k];
      values[r * m + j] = phi;
      sum += phi;
    }
    values[r * m + m - 1] = delta - sum;
  }
  return finishExplanation(
    'kernelShap',
    {
      features: model.features.map((f) => f.name),
      output,
      method: sample.exact ? 'kernel-exact' : 'kernel-sampled',
      baseValue: base,
      values,
      outputs,
      backgroundRows: cv.backgroundRows,
    },
    sample.exact,
  );
}

/**
 * P = (EᵀWE)⁻¹EᵀW, (M − 1) × n row-major, with E_kj = z_kj − z_k,M−1: the map from the adjusted targets
 * t_k = y_k − z_k,M−1·Δ to φ_0..φ_{M−2} of the constrained weighted least squares.
 */
function constrainedProjector(sample: CoalitionSample): Float64Array {
  const { masks, weights } = sample;
  const n = masks.length;
  const m = masks[0].length;
  const d = m - 1;
  const E = new Float64Array(n * d);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < d; j++) E[k * d + j] = masks[k][j] - masks[k][d];
  }
  const A = new Float64Array(d * d);
  for (let k = 0; k < n; k++) {
    const w = weights[k];
    for (let i = 0; i < d; i++) {
      const ei = w * E[k * d + i];
      if (ei === 0) continue;
      for (let j = 0; j < d; j++) A[i * d + j] += ei * E[k * d + j];
    }
  }
  const L = cholesky(A, d);
  const P = new Float64Array(d * n);
  const col = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < d; j++) col[j] = weights[k] * E[k * d + j];
    choleskySolveInPlace(L, d, col);
    for (let j = 0; j < d; j++) P[j * n + k] = col[j];
  }
  return P;
}

function cholesky(A: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, A[i * d + i]))) {
          throw new InvalidParameterError(
            `The coalitions sampled by kernelShap do not determine all ${d + 1} SHAP values (singular least-squares system). Raise the 'nsamples' option of kernelShap.`,
          );
        }
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / L[j * d + j];
      }
    }
  }
  return L;
}

function choleskySolveInPlace(L: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * b[k];
    b[i] = s / L[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * b[k];
    b[i] = s / L[i * d + i];
  }
}
