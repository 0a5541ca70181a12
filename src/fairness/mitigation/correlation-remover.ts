import { DataValidationError, InvalidParameterError, type Matrix, NotFittedError } from '../../core/index.js';

/** Options of `CorrelationRemover`. */
export interface CorrelationRemoverOptions {
  /** α in [0, 1]: 0 leaves the features unchanged, 1 removes their linear correlation fully; default 1 (Fairlearn's). */
  alpha?: number;
}

/**
 * Correlation remover (Fairlearn's `CorrelationRemover`): projects the features onto the orthogonal
 * complement of the centred one-hot sensitive features learned on the training rows,
 * x_p = x − (s − s̄)·β with β the least-squares fit of x on s − s̄, and returns
 * x' = α·x_p + (1 − α)·x. With α = 1 every column of the training output has zero sample
 * correlation with each sensitive indicator. One indicator (the last group) is left out of the
 * least-squares fit: the centred indicators sum to 0, so this spans the same space and keeps the
 * normal equations full rank.
 */
export class CorrelationRemover {
  /** The options as given. */
  readonly options: CorrelationRemoverOptions;
  private fitted: { groups: string[]; mean: Float64Array; beta: Float64Array; cols: number } | undefined;

  /** Stores the options; nothing is learned until `fit`. */
  constructor(options: CorrelationRemoverOptions = {}) {
    this.options = options;
  }

  /** Learns the sensitive indicators' means and the least-squares coefficients from `X` and one group per row. */
  fit(X: Matrix, groups: readonly string[]): this {
    checkAlpha(this.options.alpha ?? 1);
    checkInput(X, groups);
    const names = [...new Set(groups)].sort();
    if (names.length < 2) {
      throw new DataValidationError(
        `CorrelationRemover needs at least two sensitive groups. Got ${names.length === 0 ? 'none' : `only '${names[0]}'`}.`,
      );
    }
    const k = names.length - 1;
    const index = new Map(names.map((g, j) => [g, j]));
    const mean = new Float64Array(k);
    for (const g of groups) {
      const j = index.get(g) as number;
      if (j < k) mean[j] += 1;
    }
    for (let j = 0; j < k; j++) mean[j] /= X.rows;
    // Normal equations (SᵀS) β = SᵀX with S the centred indicators (n × k).
    const sts = new Float64Array(k * k);
    const stx = new Float64Array(k * X.cols);
    const s = new Float64Array(k);
    for (let i = 0; i < X.rows; i++) {
      indicatorRow(index.get(groups[i]) as number, mean, s);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) sts[a * k + b] += s[a] * s[b];
        const row = i * X.cols;
        for (let c = 0; c < X.cols; c++) stx[a * X.cols + c] += s[a] * X.data[row + c];
      }
    }
    const beta = solve(sts, stx, k, X.cols);
    this.fitted = { groups: names, mean, beta, cols: X.cols };
    return this;
  }

  /** Removes the learned correlation from `X` (a new matrix): x' = α·(x − (s − s̄)·β) + (1 − α)·x. */
  transform(X: Matrix, groups: readonly string[]): Matrix {
    if (this.fitted === undefined) throw new NotFittedError('CorrelationRemover');
    const alpha = checkAlpha(this.options.alpha ?? 1);
    checkInput(X, groups);
    const { groups: names, mean, beta, cols } = this.fitted;
    if (X.cols !== cols) {
      throw new InvalidParameterError(
        `CorrelationRemover was fitted on ${cols} columns, but X has ${X.cols}.`,
      );
    }
    const index = new Map(names.map((g, j) => [g, j]));
    const k = mean.length;
    const out = new Float64Array(X.data);
    const s = new Float64Array(k);
    for (let i = 0; i < X.rows; i++) {
      const j = index.get(groups[i]);
      if (j === undefined) {
        throw new DataValidationError(
          `CorrelationRemover got group '${groups[i]}', which was not seen during fit (${names.join(', ')}).`,
          { row: i + 1 },
        );
      }
      indicatorRow(j, mean, s);
      const row = i * cols;
      for (let c = 0; c < cols; c++) {
        let fit = 0;
        for (let a = 0; a < k; a++) fit += s[a] * beta[a * cols + c];
        out[row + c] -= alpha * fit;
      }
    }
    return { data: out, rows: X.rows, cols };
  }

  /** `fit` then `transform` on the same rows. */
  fitTransform(X: Matrix, groups: readonly string[]): Matrix {
    return this.fit(X, groups).transform(X, groups);
  }
}

function indicatorRow(j: number, mean: Float64Array, out: Float64Array): void {
  for (let a = 0; a < mean.length; a++) out[a] = (a === j ? 1 : 0) - mean[a];
}

/** Solves A·B = C for B (A k × k symmetric positive definite, C k × m) by Gaussian elimination with pivoting. */
function solve(A: Float64Array, C: Float64Array, k: number, m: number): Float64Array {
  const a = Float64Array.from(A);
  const c = Float64Array.from(C);
  for (let p = 0; p < k; p++) {
    let best = p;
    for (let r = p + 1; r < k; r++) if (Math.abs(a[r * k + p]) > Math.abs(a[best * k + p])) best = r;
    if (!(Math.abs(a[best * k + p]) > 1e-12)) {
      throw new DataValidationError('CorrelationRemover: the sensitive indicators are collinear.');
    }
    if (best !== p) {
      for (let q = 0; q < k; q++) [a[p * k + q], a[best * k + q]] = [a[best * k + q], a[p * k + q]];
      for (let q = 0; q < m; q++) [c[p * m + q], c[best * m + q]] = [c[best * m + q], c[p * m + q]];
    }
    for (let r = 0; r < k; r++) {
      if (r === p) continue;
      const f = a[r * k + p] / a[p * k + p];
      if (f === 0) continue;
      for (let q = p; q < k; q++) a[r * k + q] -= f * a[p * k + q];
      for (let q = 0; q < m; q++) c[r * m + q] -= f * c[p * m + q];
    }
  }
  for (let p = 0; p < k; p++) for (let q = 0; q < m; q++) c[p * m + q] /= a[p * k + p];
  return c;
}

function checkAlpha(alpha: number): number {
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new InvalidParameterError(
      `The 'alpha' option of CorrelationRemover must be a number in [0, 1]. Got ${alpha} instead.`,
    );
  }
  return alpha;
}

function checkInput(X: Matrix, groups: readonly string[]): void {
  if (groups.length !== X.rows) {
    throw new InvalidParameterError(
      `CorrelationRemover needs one group per row of X (${X.rows} rows). Got ${groups.length} groups instead.`,
    );
  }
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) {
      throw new DataValidationError('CorrelationRemover needs finite feature values.', {
        row: Math.floor(i / X.cols) + 1,
        column: String(i % X.cols),
      });
    }
  }
}
