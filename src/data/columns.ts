/** One column of raw values read from the engine: numbers as float64 (NaN = missing), text as strings (null = missing). */
export type Column = Float64Array | (string | null)[];

/** Raw columns by name, all of the same length: the unit of data that crosses from DuckDB into JS. */
export interface ColumnBatch {
  /** Number of rows. */
  readonly rows: number;
  /** Columns by name. */
  readonly columns: Readonly<Record<string, Column>>;
}

/** True when the column holds numbers. */
export function isNumericColumn(c: Column): c is Float64Array {
  return c instanceof Float64Array;
}
