import { InvalidParameterError } from '../core/index.js';
import type { CellCounts, DisaggregatedCounts } from './group-counts.js';

/** Buckets per cell, in this order: TP, FP, TN, FN. */
export const BUCKETS_PER_CELL = 4;

/**
 * The 4 × cells confusion buckets of an audit, the unit a count-level bootstrap resamples: bucket
 * 4i + j is outcome j (TP, FP, TN, FN) of cell i.
 */
export interface BucketTable {
  /** Unweighted rows in each bucket (fractional only under the mean-weight fallback, see `toBuckets`). */
  readonly rows: Float64Array;
  /** Mean row weight in each bucket: weighted count / rows (0 for an empty bucket). */
  readonly meanWeight: Float64Array;
  /** Rows in all cells: the n of a plain bootstrap. */
  readonly totalRows: number;
  /** True when some cell had weights but no per-bucket row counts, so rows were apportioned by weight. */
  readonly apportioned: boolean;
}

/**
 * Splits every cell into its TP/FP/TN/FN buckets with unweighted row counts and mean weights.
 * A bucket's rows come from `tpRows`/`fpRows`/`tnRows`/`fnRows` when the cell has them; otherwise,
 * when the weighted counts sum to `rows` (unweighted data), the counts are the rows; otherwise each
 * row of the cell is assumed to carry the cell's mean weight, so bucket rows = rows · count / Σ counts
 * (`apportioned` is then true: intervals are approximate when weights differ between outcomes).
 */
export function toBuckets(counts: DisaggregatedCounts): BucketTable {
  const n = counts.cells.length * BUCKETS_PER_CELL;
  const rows = new Float64Array(n);
  const meanWeight = new Float64Array(n);
  let totalRows = 0;
  let apportioned = false;
  counts.cells.forEach((cell, i) => {
    const weighted = [cell.tp, cell.fp, cell.tn, cell.fn];
    const given = [cell.tpRows, cell.fpRows, cell.tnRows, cell.fnRows];
    const weightSum = weighted[0] + weighted[1] + weighted[2] + weighted[3];
    checkCell(cell, weighted);
    let bucketRows: number[];
    if (given.every((v) => v !== undefined)) {
      bucketRows = given as number[];
    } else if (Math.abs(weightSum - cell.rows) <= 1e-9 * Math.max(1, cell.rows)) {
      bucketRows = weighted.map(Math.round);
    } else {
      apportioned = true;
      bucketRows = weighted.map((w) => (weightSum > 0 ? (cell.rows * w) / weightSum : cell.rows / 4));
    }
    for (let j = 0; j < BUCKETS_PER_CELL; j++) {
      const b = i * BUCKETS_PER_CELL + j;
      rows[b] = bucketRows[j];
      meanWeight[b] = bucketRows[j] > 0 ? weighted[j] / bucketRows[j] : 0;
    }
    totalRows += cell.rows;
  });
  return { rows, meanWeight, totalRows, apportioned };
}

/**
 * The audit a resample describes: each cell gets `drawn` rows per bucket, weighted by the bucket's
 * mean weight (so `tp` = drawn TP rows × mean TP weight). Cells that drew no rows are left out, as a
 * row-level resample would not observe them.
 */
export function fromBuckets(
  counts: DisaggregatedCounts,
  table: BucketTable,
  drawn: ArrayLike<number>,
): DisaggregatedCounts {
  const cells: CellCounts[] = [];
  counts.cells.forEach((cell, i) => {
    const b = i * BUCKETS_PER_CELL;
    const rows = drawn[b] + drawn[b + 1] + drawn[b + 2] + drawn[b + 3];
    if (rows <= 0) return;
    cells.push({
      group: cell.group,
      rows,
      tp: drawn[b] * table.meanWeight[b],
      fp: drawn[b + 1] * table.meanWeight[b + 1],
      tn: drawn[b + 2] * table.meanWeight[b + 2],
      fn: drawn[b + 3] * table.meanWeight[b + 3],
      tpRows: drawn[b],
      fpRows: drawn[b + 1],
      tnRows: drawn[b + 2],
      fnRows: drawn[b + 3],
    });
  });
  return { protectedColumns: counts.protectedColumns, cells, hasPredictions: counts.hasPredictions };
}

function checkCell(cell: CellCounts, weighted: number[]): void {
  const label = JSON.stringify(cell.group);
  const values: [string, number | undefined][] = [
    ['rows', cell.rows],
    ['tp', weighted[0]],
    ['fp', weighted[1]],
    ['tn', weighted[2]],
    ['fn', weighted[3]],
    ['tpRows', cell.tpRows],
    ['fpRows', cell.fpRows],
    ['tnRows', cell.tnRows],
    ['fnRows', cell.fnRows],
  ];
  for (const [name, v] of values) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new InvalidParameterError(
        `The '${name}' count of cell ${label} given to bootstrapIntervals must be a finite number >= 0. Got ${v} instead.`,
      );
    }
  }
  if (!Number.isInteger(cell.rows)) {
    throw new InvalidParameterError(
      `The 'rows' count of cell ${label} given to bootstrapIntervals must be an integer. Got ${cell.rows} instead.`,
    );
  }
  const given = [cell.tpRows, cell.fpRows, cell.tnRows, cell.fnRows];
  if (given.every((v) => v !== undefined)) {
    const sum = (given as number[]).reduce((s, v) => s + v, 0);
    if (sum !== cell.rows || !given.every((v) => Number.isInteger(v))) {
      throw new InvalidParameterError(
        `The tpRows, fpRows, tnRows and fnRows of cell ${label} given to bootstrapIntervals must be integers summing to its rows (${cell.rows}). Got ${given.join(', ')} instead.`,
      );
    }
  }
}
