import { DataValidationError, InvalidParameterError, type Matrix, NotFittedError } from '../../core/index.js';

/** Options of `DisparateImpactRemover`. */
export interface DisparateImpactRemoverOptions {
  /** λ in [0, 1]: 0 leaves the features unchanged, 1 repairs them fully; default 1 (AIF360's default). */
  repairLevel?: number;
  /** Column indices to repair; default every column. */
  features?: readonly number[];
}

/** Per repaired column: each group's training values, sorted ascending. */
interface FittedColumn {
  readonly column: number;
  readonly sorted: ReadonlyMap<string, Float64Array>;
}

/**
 * Disparate impact remover (Feldman et al. 2015, "Certifying and removing disparate impact"): a
 * median-preserving quantile repair of each feature within groups. A value x of group g sits at
 * quantile u = F_g(x) (mid-rank of x among g's training values); the target distribution is the
 * median of the groups' quantile functions, T(u) = median_h F_h⁻¹(u), and the repaired value is
 * x' = (1 − λ)·x + λ·T(u). λ = 0 is the identity; λ = 1 gives every group the same marginal (up to
 * ties and the groups' sample sizes), so the feature no longer predicts the group.
 */
export class DisparateImpactRemover {
  /** The options as given. */
  readonly options: DisparateImpactRemoverOptions;
  private fitted: FittedColumn[] | undefined;

  /** Stores the options; nothing is learned until `fit`. */
  constructor(options: DisparateImpactRemoverOptions = {}) {
    this.options = options;
  }

  /** Learns each group's sorted values of every repaired column from `X` and one group per row. */
  fit(X: Matrix, groups: readonly string[]): this {
    checkRepairLevel(this.options.repairLevel ?? 1);
    checkGroups(X, groups);
    const columns = this.options.features ?? Array.from({ length: X.cols }, (_, j) => j);
    for (const j of columns) {
      if (!Number.isInteger(j) || j < 0 || j >= X.cols) {
        throw new InvalidParameterError(
          `The 'features' option of DisparateImpactRemover must hold column indices in [0, ${X.cols}). Got ${j} instead.`,
        );
      }
    }
    const rowsOf = new Map<string, number[]>();
    groups.forEach((g, i) => {
      const list = rowsOf.get(g);
      if (list === undefined) rowsOf.set(g, [i]);
      else list.push(i);
    });
    this.fitted = columns.map((j) => {
      const sorted = new Map<string, Float64Array>();
      for (const [g, rows] of rowsOf) {
        const values = Float64Array.from(rows, (i) => X.data[i * X.cols + j]);
        if (values.some((v) => !Number.isFinite(v))) {
          throw new DataValidationError('DisparateImpactRemover needs finite feature values.', {
            row: rows[values.findIndex((v) => !Number.isFinite(v))] + 1,
            column: String(j),
          });
        }
        sorted.set(g, values.sort());
      }
      return { column: j, sorted };
    });
    return this;
  }

  /** Repairs the columns of `X` (a new matrix): x' = (1 − λ)·x + λ·median_h F_h⁻¹(F_g(x)). */
  transform(X: Matrix, groups: readonly string[]): Matrix {
    if (this.fitted === undefined) throw new NotFittedError('DisparateImpactRemover');
    const lambda = checkRepairLevel(this.options.repairLevel ?? 1);
    checkGroups(X, groups);
    const out = new Float64Array(X.data);
    if (lambda === 0) return { data: out, rows: X.rows, cols: X.cols };
    for (const { column: j, sorted } of this.fitted) {
      if (j >= X.cols) {
        throw new InvalidParameterError(
          `DisparateImpactRemover was fitted on column ${j}, but X has ${X.cols} columns.`,
        );
      }
      const all = [...sorted.values()];
      const quantiles = new Float64Array(all.length);
      for (let i = 0; i < X.rows; i++) {
        const own = sorted.get(groups[i]);
        if (own === undefined) {
          throw new DataValidationError(
            `The group '${groups[i]}' was not seen by fit, so its values cannot be placed on its quantiles.`,
            { row: i + 1 },
          );
        }
        const x = X.data[i * X.cols + j];
        const u = (lowerBound(own, x) + upperBound(own, x)) / (2 * own.length);
        all.forEach((s, h) => {
          quantiles[h] = s[Math.min(s.length - 1, Math.floor(u * s.length))];
        });
        out[i * X.cols + j] = (1 - lambda) * x + lambda * median(quantiles);
      }
    }
    return { data: out, rows: X.rows, cols: X.cols };
  }

  /** `fit` then `transform` on the same rows. */
  fitTransform(X: Matrix, groups: readonly string[]): Matrix {
    return this.fit(X, groups).transform(X, groups);
  }
}

function checkRepairLevel(level: number): number {
  if (!(level >= 0 && level <= 1)) {
    throw new InvalidParameterError(
      `The 'repairLevel' option of DisparateImpactRemover must be in [0, 1]. Got ${level} instead.`,
    );
  }
  return level;
}

function checkGroups(X: Matrix, groups: readonly string[]): void {
  if (groups.length !== X.rows) {
    throw new InvalidParameterError(
      `DisparateImpactRemover needs one group per row of X (${X.rows}). Got ${groups.length} instead.`,
    );
  }
  if (X.rows === 0) throw new DataValidationError('DisparateImpactRemover needs at least one row.');
}

/** Number of values < x in an ascending array. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values <= x in an ascending array. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Median of a few values (mean of the middle two for an even count). */
function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >>> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
