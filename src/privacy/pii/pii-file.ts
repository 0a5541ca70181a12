import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataValidationError, InvalidParameterError, writeFilesAtomically } from '../../core/index.js';
import {
  DataEngine,
  quoteIdent,
  readFunction,
  sqlString,
  sqlTypeKind,
  translateReadError,
} from '../../data/index.js';
import { type PiiOperator, redactText } from './operators.js';
import {
  cellPiiMatches,
  type PiiColumnReport,
  piiHeaderEntity,
  type ScanColumnsOptions,
  scanColumns,
} from './scan-columns.js';

/** A file read as text: every cell as written (null when empty), and which columns hold text. */
export interface PiiTable {
  /** The path read. */
  file: string;
  /** Data rows read (header excluded; at most `maxRows` when given). */
  rows: number;
  /** Data rows in the file (equals `rows` unless `maxRows` cut the read). */
  totalRows: number;
  /** Column names in file order. */
  names: string[];
  /** Names of the text (VARCHAR) columns: the ones scanned. */
  textColumns: string[];
  /** Cells by column, as text. */
  values: (string | null)[][];
}

const formatOf = (path: string) =>
  /\.parquet$/i.test(path) ? 'parquet' : /\.(json|jsonl|ndjson)$/i.test(path) ? 'json' : 'csv';

/**
 * Reads a CSV, Parquet or JSON file for PII scanning: all cells as text (CSV cells exactly as
 * written), and the columns DuckDB types as text. A missing or empty file, a file without data rows
 * and a file without text columns are `DataValidationError`s naming the file.
 */
export async function readPiiTable(path: string, maxRows?: number): Promise<PiiTable> {
  if (maxRows !== undefined && !(Number.isInteger(maxRows) && maxRows >= 1)) {
    throw new InvalidParameterError(
      `The 'maxRows' option of readPiiTable must be an integer >= 1. Got ${maxRows} instead.`,
    );
  }
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : -1),
    () => undefined,
  );
  if (size === undefined)
    throw new DataValidationError('The file was not found. Check the path.', { file: path });
  if (size < 0) throw new DataValidationError('The path is a folder; give a data file.', { file: path });
  if (size === 0)
    throw new DataValidationError('The file is empty: there is nothing to scan.', { file: path });
  const format = formatOf(path);
  const typed = `${readFunction(format)}(${sqlString(path)}${format === 'csv' ? `, header = true, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR']` : ''})`;
  const raw = format === 'csv' ? `read_csv(${sqlString(path)}, header = true, all_varchar = true)` : typed;
  const engine = await DataEngine.open();
  try {
    let described: Record<string, unknown>[];
    let result: { names: string[]; values: unknown[][] };
    let totalRows: number | undefined;
    try {
      described = await engine.rows(`DESCRIBE SELECT * FROM ${typed}`);
      const names = described.map((r) => String(r.column_name));
      const select = names.map((n, k) => `CAST(${quoteIdent(n)} AS VARCHAR) AS c${k}`).join(', ');
      result = await engine.columns(
        `SELECT ${select} FROM ${raw}${maxRows === undefined ? '' : ` LIMIT ${maxRows}`}`,
      );
      if (maxRows !== undefined && (result.values[0]?.length ?? 0) === maxRows) {
        const counted = await engine.columns(`SELECT count(*) AS n FROM ${raw}`);
        totalRows = Number(counted.values[0][0]);
      }
    } catch (error) {
      throw translateReadError(error, path);
    }
    const names = described.map((r) => String(r.column_name));
    const rows = result.values[0]?.length ?? 0;
    if (rows === 0) throw new DataValidationError('The file has no data rows to scan.', { file: path });
    const textColumns = names.filter((_, k) => sqlTypeKind(String(described[k].column_type)) === 'text');
    if (textColumns.length === 0) {
      throw new DataValidationError(
        `The file has no text columns to scan for PII: its columns (${names.join(', ')}) are all numeric.`,
        { file: path },
      );
    }
    return {
      file: path,
      rows,
      totalRows: totalRows ?? rows,
      names,
      textColumns,
      values: result.values as (string | null)[][],
    };
  } finally {
    engine.close();
  }
}

/** What `scanPiiFile` reports: the CLI's `steward pii scan --json` shape. */
export interface PiiFileScan {
  /** The file scanned. */
  file: string;
  /** Data rows scanned. */
  rows: number;
  /** Data rows in the file (more than `rows` when `maxRows` limited the scan). */
  totalRows: number;
  /** One report per text column. */
  columns: PiiColumnReport[];
}

/** Reads a file and runs `scanColumns` over its text columns. */
export async function scanPiiFile(
  path: string,
  options: ScanColumnsOptions & { maxRows?: number } = {},
): Promise<PiiFileScan> {
  const { maxRows, ...scanOptions } = options;
  const table = await readPiiTable(path, maxRows);
  const columns: Record<string, (string | null)[]> = {};
  for (const c of table.textColumns) columns[c] = table.values[table.names.indexOf(c)];
  return {
    file: path,
    rows: table.rows,
    totalRows: table.totalRows,
    columns: scanColumns(columns, scanOptions),
  };
}

/** Options of `redactPiiFile`. */
export interface RedactPiiFileOptions extends Pick<ScanColumnsOptions, 'entities' | 'minScore'> {
  /** The operator applied to every match. */
  operator: PiiOperator;
  /** Text columns to redact (default: every text column). */
  columns?: readonly string[];
}

/** What `redactPiiFile` did. */
export interface PiiRedaction {
  /** Input file. */
  file: string;
  /** Output file written. */
  out: string;
  /** Data rows. */
  rows: number;
  /** Per redacted column: cells changed and spans replaced. */
  columns: { column: string; cells: number; matches: number }[];
}

/** RFC 4180 field: quoted when it holds a comma, quote, line break or edge spaces. */
function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes a copy of a file as CSV with the PII in its text columns transformed by an operator.
 * The copy is written atomically (never a half file) and may not replace the input.
 */
export async function redactPiiFile(
  path: string,
  out: string,
  options: RedactPiiFileOptions,
): Promise<PiiRedaction> {
  const real = (p: string) => realpath(p).catch(() => resolve(p));
  if ((await real(path)) === (await real(out))) {
    throw new InvalidParameterError(
      `The output file must differ from the input '${path}': the redacted copy never overwrites the original.`,
    );
  }
  if (!/\.csv$/i.test(out)) {
    throw new InvalidParameterError(
      `The output of 'pii redact' is a CSV file; give a path ending in .csv. Got '${out}' instead.`,
    );
  }
  const table = await readPiiTable(path);
  const chosen = options.columns ?? table.textColumns;
  const bad = chosen.filter((c) => !table.textColumns.includes(c));
  if (bad.length > 0) {
    throw new InvalidParameterError(
      `The 'columns' option of pii redact must name text columns of '${path}' (${table.textColumns.join(', ')}). Got '${bad.join(', ')}' instead.`,
    );
  }
  const summary: PiiRedaction['columns'] = [];
  for (const column of chosen) {
    const k = table.names.indexOf(column);
    const named = piiHeaderEntity(column);
    let cells = 0;
    let matches = 0;
    table.values[k] = table.values[k].map((cell) => {
      if (cell === null) return cell;
      const found = cellPiiMatches(cell, named, options);
      if (found.length === 0) return cell;
      cells++;
      matches += found.length;
      return redactText(cell, found, options.operator);
    });
    summary.push({ column, cells, matches });
  }
  const lines = [table.names.map(csvField).join(',')];
  for (let r = 0; r < table.rows; r++) lines.push(table.values.map((col) => csvField(col[r])).join(','));
  await writeFilesAtomically([{ path: out, contents: `${lines.join('\n')}\n` }]);
  return { file: path, out, rows: table.rows, columns: summary };
}
