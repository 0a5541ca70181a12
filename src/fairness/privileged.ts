import { DataValidationError, InvalidParameterError } from '../core/index.js';
import type { CellCounts, DisaggregatedCounts } from './group-counts.js';

/** AIF360's privileged group: column → value; a row is privileged when it matches every pair. */
export type PrivilegedGroup = Readonly<Record<string, string>>;

/** Weighted confusion counts of a set of rows. */
export interface Confusion {
  /** Weighted true positives. */
  tp: number;
  /** Weighted false positives. */
  fp: number;
  /** Weighted true negatives. */
  tn: number;
  /** Weighted false negatives. */
  fn: number;
  /** Rows (unweighted). */
  rows: number;
}

/** True when a cell matches every `column = value` pair of the privileged group. */
export function isPrivileged(cell: CellCounts, privileged: PrivilegedGroup): boolean {
  for (const column in privileged) if (cell.group[column] !== privileged[column]) return false;
  return true;
}

/** Sums the confusion counts of the cells `include` accepts (all cells by default). */
export function sumCells(cells: readonly CellCounts[], include?: (cell: CellCounts) => boolean): Confusion {
  const s: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0, rows: 0 };
  for (const c of cells) {
    if (include !== undefined && !include(c)) continue;
    s.tp += c.tp;
    s.fp += c.fp;
    s.tn += c.tn;
    s.fn += c.fn;
    s.rows += c.rows;
  }
  return s;
}

/** The privileged and unprivileged sides of an audit (AIF360): matching all pairs, and the rest. */
export function splitPrivileged(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
): { privileged: Confusion; unprivileged: Confusion } {
  return {
    privileged: sumCells(counts.cells, (c) => isPrivileged(c, privileged)),
    unprivileged: sumCells(counts.cells, (c) => !isPrivileged(c, privileged)),
  };
}

/**
 * Checks a privileged group against the data: at least one pair, only protected columns, every
 * value present in its column, at least one privileged and one unprivileged row.
 */
export function checkPrivileged(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
  file?: string,
): void {
  const pairs = Object.entries(privileged);
  if (pairs.length === 0) {
    throw new InvalidParameterError(
      'The privileged group must name at least one column=value pair (e.g. sex=Male). Got none instead.',
    );
  }
  for (const [column, value] of pairs) {
    if (!counts.protectedColumns.includes(column)) {
      throw new InvalidParameterError(
        `The privileged column '${column}' is not a protected column; the protected columns are ${counts.protectedColumns.join(', ')}. Add it to the protected columns or fix the name.`,
      );
    }
    const values = [...new Set(counts.cells.map((c) => c.group[column]))];
    if (!values.includes(value)) {
      throw new DataValidationError(
        `The privileged value '${value}' matches no row of column '${column}'; its values are ${values
          .slice(0, 20)
          .map((v) => `'${v}'`)
          .join(', ')}${values.length > 20 ? ', ...' : ''}.`,
        { file, column },
      );
    }
  }
  const sides = splitPrivileged(counts, privileged);
  const described = pairs.map(([c, v]) => `${c}=${v}`).join(', ');
  if (sides.privileged.rows === 0) {
    throw new DataValidationError(
      `No row matches every privileged pair (${described}) at once, so the privileged group is empty.`,
      { file, column: pairs[0][0] },
    );
  }
  if (sides.unprivileged.rows === 0) {
    throw new DataValidationError(
      `Every row matches the privileged group (${described}), so the unprivileged group is empty.`,
      { file, column: pairs[0][0] },
    );
  }
}

/** "col=value, col=value": a group's label in messages and tables, columns in the given order. */
export function groupLabel(
  group: Readonly<Record<string, string>>,
  columns: readonly string[] = Object.keys(group),
): string {
  return columns.map((c) => `${c}=${group[c]}`).join(', ');
}
