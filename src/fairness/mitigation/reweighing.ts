import { DataValidationError, InvalidParameterError, NotFittedError } from '../../core/index.js';
import { countCells } from '../count-cells.js';
import type { DisaggregatedCounts } from '../group-counts.js';
import { checkPrivileged, isPrivileged, type PrivilegedGroup, splitPrivileged } from '../privileged.js';
import type { MitigationFlag } from './mitigation-result.js';

/** Reweighing's four weights, one per (privileged side × label) cell, named as AIF360's outputs are. */
export interface ReweighingWeights {
  /** w(privileged, favourable). */
  readonly privileged_favorable: number;
  /** w(privileged, unfavourable). */
  readonly privileged_unfavorable: number;
  /** w(unprivileged, favourable). */
  readonly unprivileged_favorable: number;
  /** w(unprivileged, unfavourable). */
  readonly unprivileged_unfavorable: number;
}

/** The weights and the flags raised while computing them. */
export interface ReweighingFit {
  /** The four weights. */
  readonly weights: ReweighingWeights;
  /** Weighted row counts of each cell (n(g, y)), in the weights' names. */
  readonly cells: ReweighingWeights;
  /** An `empty_cell` flag for each cell with no rows (its weight is x/0 = Infinity and applies to no row). */
  readonly flags: readonly MitigationFlag[];
}

/**
 * Reweighing (Kamiran & Calders 2012, "Data preprocessing techniques for classification without
 * discrimination"): w(g, y) = P(g)·P(y) / P(g, y) = n(y)·n(g) / (n·n(g, y)), with g the privileged
 * side (rows matching every privileged pair, as in the audit) or the rest, computed from the
 * disaggregated counts in AIF360's operation order. An empty (g, y) cell gets AIF360's x/0 = Infinity
 * and an `empty_cell` flag (no row carries it); a label value absent from the data is an error.
 */
export function reweighingWeights(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
  source?: string,
): ReweighingFit {
  checkPrivileged(counts, privileged, source);
  const { privileged: p, unprivileged: u } = splitPrivileged(counts, privileged);
  const pFav = p.tp + p.fn;
  const pUnfav = p.fp + p.tn;
  const uFav = u.tp + u.fn;
  const uUnfav = u.fp + u.tn;
  const nP = pFav + pUnfav;
  const nU = uFav + uUnfav;
  const n = nP + nU;
  const nFav = pFav + uFav;
  const nUnfav = pUnfav + uUnfav;
  if (nFav === 0 || nUnfav === 0) {
    throw new DataValidationError(
      `Reweighing needs both label values, but no row has the ${nFav === 0 ? 'favourable' : 'unfavourable'} label, so every weight would be 0/0. Check the label column and the positive value.`,
      { file: source },
    );
  }
  const cells = {
    privileged_favorable: pFav,
    privileged_unfavorable: pUnfav,
    unprivileged_favorable: uFav,
    unprivileged_unfavorable: uUnfav,
  };
  const weights = {
    privileged_favorable: (nFav * nP) / (n * pFav),
    privileged_unfavorable: (nUnfav * nP) / (n * pUnfav),
    unprivileged_favorable: (nFav * nU) / (n * uFav),
    unprivileged_unfavorable: (nUnfav * nU) / (n * uUnfav),
  };
  const flags: MitigationFlag[] = [];
  for (const [name, rows] of Object.entries(cells)) {
    if (rows > 0) continue;
    const [side, label] = name.split('_');
    flags.push({
      code: 'empty_cell',
      message: `No ${side} row has the ${label === 'favorable' ? 'favourable' : 'unfavourable'} label, so w(${side}, ${label}) = P(g)·P(y)/0 = Infinity (as in AIF360); no row carries it, and reweighing cannot balance the ${side} group's labels.`,
    });
  }
  return { weights, cells, flags };
}

/** 1 for each row matching every `column = value` pair of the privileged group, else 0. */
export function privilegedMask(
  protectedColumns: Readonly<Record<string, readonly string[]>>,
  privileged: PrivilegedGroup,
  rows: number,
): Uint8Array {
  const mask = new Uint8Array(rows).fill(1);
  for (const [column, value] of Object.entries(privileged)) {
    const values = protectedColumns[column];
    if (values === undefined) {
      throw new InvalidParameterError(
        `The privileged column '${column}' is not among the protected columns given (${Object.keys(protectedColumns).join(', ')}).`,
      );
    }
    for (let i = 0; i < rows; i++) if (values[i] !== value) mask[i] = 0;
  }
  return mask;
}

/**
 * Per-row training weights: w(g_i, y_i) · instanceWeight_i, with g_i from `privileged` (1/0) and y_i
 * from `labels` (1 = favourable). One O(n) pass over typed arrays.
 */
export function reweighingRowWeights(
  weights: ReweighingWeights,
  labels: ArrayLike<number>,
  privileged: ArrayLike<number>,
  instanceWeights?: ArrayLike<number>,
): Float64Array {
  const n = labels.length;
  if (privileged.length !== n || (instanceWeights !== undefined && instanceWeights.length !== n)) {
    throw new InvalidParameterError(
      `reweighingRowWeights needs one privileged flag and instance weight per label (${n}). Got ${privileged.length} and ${instanceWeights?.length ?? n} instead.`,
    );
  }
  const table = [
    weights.unprivileged_unfavorable,
    weights.unprivileged_favorable,
    weights.privileged_unfavorable,
    weights.privileged_favorable,
  ];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = table[(privileged[i] === 1 ? 2 : 0) + (labels[i] === 1 ? 1 : 0)];
    out[i] = instanceWeights === undefined ? w : w * instanceWeights[i];
  }
  return out;
}

/** Options of `Reweighing`. */
export interface ReweighingOptions {
  /** AIF360's privileged group: column → value (a row is privileged when it matches every pair). */
  privileged: PrivilegedGroup;
}

/** Rows to fit or transform: 0/1 labels (1 = favourable), protected columns as text, optional weights. */
export interface ReweighingInput {
  /** 1 = favourable label, 0 = not. */
  labels: ArrayLike<number>;
  /** Protected columns by name; each holds the row's value as text. */
  protected: Readonly<Record<string, readonly string[]>>;
  /** Instance weights to multiply; default 1 per row. */
  instanceWeights?: ArrayLike<number>;
}

/**
 * Reweighing as an estimator (scikit-learn style): the constructor stores the privileged group;
 * `fit` learns the four weights from disaggregated counts (from SQL or typed arrays); `transform`
 * maps rows to training weights for any estimator with `capabilities.sampleWeight`.
 */
export class Reweighing {
  /** The options as given. */
  readonly options: ReweighingOptions;
  private fitted: ReweighingFit | undefined;

  /** Stores the options; nothing is learned until `fit`. */
  constructor(options: ReweighingOptions) {
    this.options = options;
  }

  /** Learns the weights from disaggregated counts (e.g. `countCellsSql` without predictions). */
  fitCounts(counts: DisaggregatedCounts, source?: string): this {
    this.fitted = reweighingWeights(counts, this.options.privileged, source);
    return this;
  }

  /** Learns the weights from rows held in typed arrays. */
  fit(input: ReweighingInput): this {
    const counts = countCells({
      labels: input.labels,
      weights: input.instanceWeights,
      protected: input.protected,
    });
    return this.fitCounts(counts);
  }

  /** The learned weights, cell sizes and flags. */
  get result(): ReweighingFit {
    if (this.fitted === undefined) throw new NotFittedError('Reweighing');
    return this.fitted;
  }

  /** The learned weights. */
  get weights(): ReweighingWeights {
    return this.result.weights;
  }

  /** Training weights of the given rows: w(g_i, y_i) times their instance weight. */
  transform(input: ReweighingInput): Float64Array {
    const weights = this.weights;
    const mask = privilegedMask(input.protected, this.options.privileged, input.labels.length);
    return reweighingRowWeights(weights, input.labels, mask, input.instanceWeights);
  }

  /** `fit` then `transform` on the same rows. */
  fitTransform(input: ReweighingInput): Float64Array {
    return this.fit(input).transform(input);
  }
}

/**
 * The counts as the reweighed training set sees them: every cell's favourable mass times
 * w(g, favourable) and unfavourable mass times w(g, unfavourable). Its label base rates are equal on
 * both sides (P_w(y | g) = P(y)), the property that defines reweighing; empty cells stay 0.
 */
export function reweighedCounts(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
  weights: ReweighingWeights,
): DisaggregatedCounts {
  const scale = (mass: number, w: number) => (mass === 0 ? 0 : mass * w);
  return {
    ...counts,
    cells: counts.cells.map((c) => {
      const side = isPrivileged(c, privileged);
      const fav = side ? weights.privileged_favorable : weights.unprivileged_favorable;
      const unfav = side ? weights.privileged_unfavorable : weights.unprivileged_unfavorable;
      return {
        ...c,
        tp: scale(c.tp, fav),
        fn: scale(c.fn, fav),
        fp: scale(c.fp, unfav),
        tn: scale(c.tn, unfav),
      };
    }),
  };
}
