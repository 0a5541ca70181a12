import { DataValidationError } from '../core/index.js';
import type { Column, ColumnBatch } from './columns.js';
import type { ColumnKind } from './dataset-spec.js';
import { DataEngine, quoteIdent, readFunction, translateReadError } from './engine.js';
import { sqlString } from './sql.js';

/** A column to read from a file, and how to read it. */
export interface ColumnRequest {
  /** Column name. */
  name: string;
  /** Numeric (read as float64) or categorical (read as trimmed text). */
  kind: ColumnKind;
}

/** Options of `readFileColumns`. */
export interface ReadFileOptions {
  /** Cell values that mean "missing" besides empty cells. */
  naValues?: string[];
  /** File format; inferred from the extension when omitted. */
  format?: 'csv' | 'parquet' | 'json';
  /**
   * SQL expressions for columns the file lacks, keyed by column name (a preset's `derive`). Trusted
   * code only: never pass expressions read from a file or a model.
   */
  derive?: Record<string, string>;
}

/**
 * Reads the named columns of a file (e.g. the inputs of a model at prediction time) in file order.
 * Unlike a training dataset, rows cannot be dropped here, so a missing or non-numeric cell is an
 * error naming its row and column.
 */
export async function readFileColumns(
  path: string,
  columns: readonly ColumnRequest[],
  options: ReadFileOptions = {},
): Promise<ColumnBatch> {
  const format =
    options.format ??
    (/\.parquet$/i.test(path) ? 'parquet' : /\.(json|jsonl|ndjson)$/i.test(path) ? 'json' : 'csv');
  const csv =
    format === 'csv' ? `, header = true, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR']` : '';
  const source = `${readFunction(format)}(${sqlString(path)}${csv})`;
  const engine = await DataEngine.open();
  try {
    let names: string[];
    try {
      names = (await engine.rows(`DESCRIBE SELECT * FROM ${source}`)).map((r) => String(r.column_name));
    } catch (error) {
      throw translateReadError(error, path);
    }
    const derive = options.derive ?? {};
    const missing = columns.filter((c) => !names.includes(c.name) && derive[c.name] === undefined);
    if (missing.length > 0) {
      throw new DataValidationError(
        `The model needs column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c.name}'`).join(', ')}, which the file lacks. Its columns are ${names.join(', ')}.`,
        { file: path, column: missing[0].name },
      );
    }
    const na = ['', ...(options.naValues ?? [])].map(sqlString).join(', ');
    const sourceOf = (c: string) => (names.includes(c) ? quoteIdent(c) : `(${derive[c]})`);
    const text = (c: string) =>
      `CASE WHEN trim(CAST(${sourceOf(c)} AS VARCHAR)) IN (${na}) THEN NULL ELSE trim(CAST(${sourceOf(c)} AS VARCHAR)) END`;
    const select = columns.map((c, k) => `${text(c.name)} AS c${k}`).join(', ');
    let result: { names: string[]; values: unknown[][] };
    try {
      result = await engine.columns(`SELECT ${select || '1'} FROM ${source}`);
    } catch (error) {
      throw translateReadError(error, path);
    }
    // DuckDB returns no column arrays at all for a header-only file.
    const rows = result.values[0]?.length ?? 0;
    if (rows === 0) throw new DataValidationError('The file has no data rows to score.', { file: path });
    const out: Record<string, Column> = {};
    columns.forEach((c, k) => {
      const values = result.values[k] as (string | null)[];
      const bad = values.findIndex(
        (v) => v === null || (c.kind === 'numeric' && !Number.isFinite(Number(v))),
      );
      if (bad >= 0) {
        throw new DataValidationError(
          values[bad] === null
            ? 'A blank, NA or NaN cell cannot be scored. Fill it in or remove the row.'
            : `Expected a number. Got '${values[bad]}' instead.`,
          { file: path, row: bad + 1, column: c.name },
        );
      }
      out[c.name] = c.kind === 'numeric' ? Float64Array.from(values, Number) : values;
    });
    return { rows, columns: out };
  } finally {
    engine.close();
  }
}
