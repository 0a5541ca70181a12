import { InvalidParameterError } from '../core/index.js';
import type { CellCounts, DisaggregatedCounts } from '../fairness/index.js';
import { dpGroupCounts, type GroupCountCell } from '../privacy/index.js';

/** What a DP release of audit counts spent. */
export interface DpCountsRelease {
  /** The noisy counts, in the engine's cell order. */
  counts: DisaggregatedCounts;
  /** ε spent (δ = 0), the mechanism, and a sentence for the audit's warnings. */
  epsilon: number;
  mechanism: 'discrete-laplace';
  note: string;
}

/**
 * ε-DP release of an audit's disaggregated counts (`dpGroupCounts`: exact discrete Laplace noise on every
 * group × label × prediction cell, clamped at 0), so the audit computed from them can be published. Each
 * row is in one cell, so the whole table costs ε. Weighted counts are refused: a row of weight w moves a
 * count by w, not 1. Without predictions only the label cells are used (prediction = label is public).
 */
export function releaseCountsWithDp(
  counts: DisaggregatedCounts,
  epsilon: number,
  weighted: boolean,
): DpCountsRelease {
  if (weighted) {
    throw new InvalidParameterError(
      "The '--dp-epsilon' flag needs unweighted counts: with '--weight' one row can move a count by more than 1, so the noise would not cover it. Drop '--weight' or the DP release.",
    );
  }
  const key = (cell: CellCounts) => JSON.stringify(counts.protectedColumns.map((c) => cell.group[c]));
  const input: GroupCountCell[] = counts.cells.flatMap((cell) => {
    const group = key(cell);
    return [
      { group, label: 1 as const, prediction: 1 as const, count: cell.tp },
      { group, label: 0 as const, prediction: 1 as const, count: cell.fp },
      { group, label: 0 as const, prediction: 0 as const, count: cell.tn },
      { group, label: 1 as const, prediction: 0 as const, count: cell.fn },
    ];
  });
  const released = dpGroupCounts(input, { epsilon });
  const noisy = new Map(released.value.map((c) => [`${c.group}|${c.label}|${c.prediction}`, c.count]));
  const get = (group: string, label: number, prediction: number) =>
    noisy.get(`${group}|${label}|${prediction}`) ?? 0;
  const cells = counts.cells.map((cell): CellCounts => {
    const group = key(cell);
    const tp = get(group, 1, 1);
    const tn = get(group, 0, 0);
    const fp = counts.hasPredictions ? get(group, 0, 1) : 0;
    const fn = counts.hasPredictions ? get(group, 1, 0) : 0;
    return {
      group: cell.group,
      rows: tp + fp + tn + fn,
      tp,
      fp,
      tn,
      fn,
      tpRows: tp,
      fpRows: fp,
      tnRows: tn,
      fnRows: fn,
    };
  });
  return {
    counts: { ...counts, cells },
    epsilon,
    mechanism: 'discrete-laplace',
    note: `Every count behind these metrics was released with ε = ${epsilon} differential privacy (exact discrete Laplace noise of scale 1/ε on each group × label × prediction cell, clamped at 0; δ = 0): the metrics can be published, and they differ from the exact ones by that noise. Group names are released as they are.`,
  };
}
