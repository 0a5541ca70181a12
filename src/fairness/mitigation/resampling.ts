import { DataValidationError, InvalidParameterError, Rng } from '../../core/index.js';

/**
 * How `resampleCells` sizes each group × label cell: 'independent' gives the size the cell would have
 * if group and label were independent, n(g)·n(y)/n (rounded); 'balanced' gives every cell the same
 * size, n / (groups × labels) (rounded).
 */
export type ResamplingMode = 'independent' | 'balanced';

/** Options of `resampleCells`. */
export interface ResamplingOptions {
  /** Binary labels (0 or 1), one per row. */
  readonly labels: ArrayLike<number>;
  /** Group of each row (e.g. a protected column's value, or an intersection key). */
  readonly groups: readonly string[];
  /** Cell sizing (default 'independent'). */
  readonly mode?: ResamplingMode;
  /** Seed of the draws (default 0). */
  readonly seed?: number;
  /** Names the data in error messages. */
  readonly source?: string;
}

/** One group × label cell: rows before, rows in the resample. */
export interface ResampledCell {
  readonly group: string;
  readonly label: 0 | 1;
  readonly before: number;
  readonly after: number;
}

/** The resample: row indices into the input (with repeats), and each cell's size before and after. */
export interface ResamplingResult {
  /** Row indices of the resample, grouped by cell (groups in first-seen order, label 0 then 1). */
  readonly indices: Uint32Array;
  /** Every group × label cell. */
  readonly cells: readonly ResampledCell[];
  readonly mode: ResamplingMode;
  readonly seed: number;
}

/**
 * Uniform sampling (Kamiran & Calders 2012, "Data preprocessing techniques for classification
 * without discrimination", section 4.2, "US"): each group × label cell is resized to its target, drawing
 * its rows uniformly at random with replacement from that cell, so that the label's base rate is the
 * same in every group of the resample (up to rounding). The target is n(g)·n(y)/n in 'independent'
 * mode (the paper's expected size; the total stays close to n) and n/(groups × labels) in 'balanced'
 * mode (every cell equal, so every group's base rate is 1/2 and every group has the same size).
 * Preferential sampling (the paper's "PS", which picks rows near the decision boundary) is not this.
 * Seeded: the same seed and data give the same indices. A cell with no rows cannot be resampled and is
 * an error naming it.
 */
export function resampleCells(options: ResamplingOptions): ResamplingResult {
  const { labels, groups } = options;
  const mode = options.mode ?? 'independent';
  const seed = options.seed ?? 0;
  const where = options.source ? ` in ${options.source}` : '';
  if (mode !== 'independent' && mode !== 'balanced') {
    throw new InvalidParameterError(
      `Resampling mode must be 'independent' or 'balanced'. Got '${String(mode)}' instead.`,
    );
  }
  if (labels.length !== groups.length) {
    throw new InvalidParameterError(
      `Resampling needs one group per label: got ${labels.length} labels and ${groups.length} groups.`,
    );
  }
  const n = labels.length;
  if (n === 0) throw new DataValidationError(`Resampling needs rows; the data${where} has none.`);
  const cellRows = new Map<string, [number[], number[]]>();
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) {
      throw new DataValidationError(`Resampling needs labels 0 or 1; row ${i}${where} has ${y}.`);
    }
    let cell = cellRows.get(groups[i]);
    if (cell === undefined) {
      cell = [[], []];
      cellRows.set(groups[i], cell);
    }
    cell[y].push(i);
  }
  if (cellRows.size < 2) {
    throw new DataValidationError(`Resampling needs at least two groups; the data${where} has one.`);
  }
  const positives = [...cellRows.values()].reduce((a, c) => a + c[1].length, 0);
  const labelCount = [n - positives, positives];
  const cells: ResampledCell[] = [];
  for (const [group, rows] of cellRows) {
    for (const label of [0, 1] as const) {
      if (rows[label].length === 0) {
        throw new DataValidationError(
          `Resampling cannot fill the cell group '${group}' × label ${label}${where}: it has no rows to draw from. Merge groups or drop '${group}'.`,
        );
      }
      const target =
        mode === 'balanced'
          ? Math.round(n / (cellRows.size * 2))
          : ((rows[0].length + rows[1].length) * labelCount[label]) / n;
      cells.push({ group, label, before: rows[label].length, after: Math.round(target) });
    }
  }
  const rng = new Rng(seed);
  const indices = new Uint32Array(cells.reduce((a, c) => a + c.after, 0));
  let k = 0;
  for (const cell of cells) {
    const rows = (cellRows.get(cell.group) as [number[], number[]])[cell.label];
    for (let j = 0; j < cell.after; j++) indices[k++] = rows[rng.int(rows.length)];
  }
  return { indices, cells, mode, seed };
}
