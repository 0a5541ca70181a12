/**
 * Weighted confusion counts of one cell: one observed combination of the protected columns' values.
 * Every group metric in steward/fairness is derived from a list of these (the disaggregation engine):
 * AIF360's privileged/unprivileged sides are sums of cells; Fairlearn's groups are the cells.
 * With b_i = ŷ_i − y_i + 1 ∈ {0, 1, 2} (FN → 0, TP/TN → 1, FP → 2), even the Theil and generalized
 * entropy indices follow from these counts.
 */
export interface CellCounts {
  /** The cell's value of each protected column, as text (e.g. { sex: 'Female', race: 'Black' }). */
  readonly group: Readonly<Record<string, string>>;
  /** Rows in the cell (unweighted). */
  readonly rows: number;
  /** Weighted true positives (label positive, prediction positive). */
  readonly tp: number;
  /** Weighted false positives (label negative, prediction positive). */
  readonly fp: number;
  /** Weighted true negatives (label negative, prediction negative). */
  readonly tn: number;
  /** Weighted false negatives (label positive, prediction negative). */
  readonly fn: number;
  /** Unweighted rows that are true positives; with weights, needed for exact bootstrap intervals. */
  readonly tpRows?: number;
  /** Unweighted rows that are false positives; with weights, needed for exact bootstrap intervals. */
  readonly fpRows?: number;
  /** Unweighted rows that are true negatives; with weights, needed for exact bootstrap intervals. */
  readonly tnRows?: number;
  /** Unweighted rows that are false negatives; with weights, needed for exact bootstrap intervals. */
  readonly fnRows?: number;
}

/** The cells of one audit, plus the protected columns they are keyed by. */
export interface DisaggregatedCounts {
  /** Protected columns, in the order given. */
  readonly protectedColumns: readonly string[];
  /** One entry per observed combination, sorted by the group values (code-unit order). */
  readonly cells: readonly CellCounts[];
  /** Whether predictions were present; without them (dataset metrics) the prediction equals the label. */
  readonly hasPredictions: boolean;
}
