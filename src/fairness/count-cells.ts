import { DataValidationError, InvalidParameterError } from '../core/index.js';
import type { CellCounts, DisaggregatedCounts } from './group-counts.js';

/** In-memory inputs of `countCells`: one entry per row in every array. */
export interface CountCellsInput {
  /** True labels: 1 = favourable (positive), 0 = not. */
  labels: ArrayLike<number>;
  /** Predictions, 1 = favourable, 0 = not; omit to audit the labels alone (prediction = label). */
  predictions?: ArrayLike<number>;
  /** Non-negative instance weights; default 1 per row. */
  weights?: ArrayLike<number>;
  /** Protected columns by name, in audit order; each holds the row's value as text. */
  protected: Readonly<Record<string, readonly string[]>>;
  /** Where the rows came from, for error messages (a file or table name). */
  source?: string;
}

interface MutableCell {
  group: Record<string, string>;
  key: string[];
  rows: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  tpRows: number;
  fpRows: number;
  tnRows: number;
  fnRows: number;
}

/**
 * The disaggregation engine on typed arrays: weighted confusion counts (TP, FP, TN, FN) per observed
 * combination of the protected columns, in one O(n) pass. Same contract and cell order as
 * `countCellsSql`, so every metric is computed identically from either.
 */
export function countCells(input: CountCellsInput): DisaggregatedCounts {
  const { labels, predictions, weights } = input;
  const file = input.source;
  const columns = Object.keys(input.protected);
  if (columns.length === 0) {
    throw new InvalidParameterError(
      "The 'protected' option of countCells must name at least one column. Got {} instead.",
    );
  }
  const n = labels.length;
  const sameLength = (name: string, length: number) => {
    if (length !== n) {
      throw new InvalidParameterError(
        `The '${name}' option of countCells must have one entry per label (${n}). Got ${length} instead.`,
      );
    }
  };
  if (predictions) sameLength('predictions', predictions.length);
  if (weights) sameLength('weights', weights.length);
  for (const c of columns) sameLength(`protected.${c}`, input.protected[c].length);
  if (n === 0) throw new DataValidationError('There are no rows to audit.', { file });

  const cells = new Map<string, MutableCell>();
  const values = columns.map((c) => input.protected[c]);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const p = predictions ? predictions[i] : y;
    const w = weights ? weights[i] : 1;
    if (y !== 0 && y !== 1) throw binaryError('label', y, i, file);
    if (p !== 0 && p !== 1) throw binaryError('prediction', p, i, file);
    if (!(w >= 0 && w < Number.POSITIVE_INFINITY)) {
      throw new DataValidationError(`Weights must be finite and >= 0. Got ${w} instead.`, {
        file,
        row: i + 1,
        column: 'weight',
      });
    }
    const key = values.map((v, j) => {
      const value = v[i];
      if (typeof value !== 'string') {
        throw new DataValidationError('A protected attribute value is missing.', {
          file,
          row: i + 1,
          column: columns[j],
        });
      }
      return value;
    });
    const id = key.join('\u0000');
    let cell = cells.get(id);
    if (cell === undefined) {
      const group = Object.fromEntries(columns.map((c, j) => [c, key[j]]));
      cell = { group, key, rows: 0, tp: 0, fp: 0, tn: 0, fn: 0, tpRows: 0, fpRows: 0, tnRows: 0, fnRows: 0 };
      cells.set(id, cell);
    }
    cell.rows++;
    if (y === 1 && p === 1) {
      cell.tp += w;
      cell.tpRows++;
    } else if (y === 0 && p === 1) {
      cell.fp += w;
      cell.fpRows++;
    } else if (y === 0) {
      cell.tn += w;
      cell.tnRows++;
    } else {
      cell.fn += w;
      cell.fnRows++;
    }
  }
  const sorted = [...cells.values()].sort((a, b) => compareKeys(a.key, b.key));
  return {
    protectedColumns: columns,
    cells: sorted.map(({ key: _key, ...cell }) => cell as CellCounts),
    hasPredictions: predictions !== undefined,
  };
}

/** Compares two group keys value by value in code-unit order (the engine's cell order). */
export function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let j = 0; j < a.length; j++) {
    if (a[j] < b[j]) return -1;
    if (a[j] > b[j]) return 1;
  }
  return 0;
}

function binaryError(what: string, value: unknown, i: number, file?: string): DataValidationError {
  return new DataValidationError(
    `Each ${what} must be 0 or 1 (1 = favourable). Got ${String(value)} instead.`,
    { file, row: i + 1, column: what },
  );
}
