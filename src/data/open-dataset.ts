import { stat } from 'node:fs/promises';
import { extname, isAbsolute, relative } from 'node:path';
import { DataValidationError, InvalidParameterError } from '../core/index.js';
import { type ColumnInfo, Dataset } from './dataset.js';
import type { DatasetSpec } from './dataset-spec.js';
import { DataEngine, quoteIdent, readFunction, translateReadError } from './engine.js';
import { isFloatSqlType, isNumericSqlType, sqlString } from './sql.js';

/** Options of `openDataset`. */
export interface OpenDatasetOptions {
  /** Engine to use; a new in-memory DuckDB is opened (and owned by the dataset) when omitted. */
  engine?: DataEngine;
  /** Called with a short description of each step (for progress output). */
  onStep?: (step: string) => void;
}

/**
 * Opens the files of a dataset spec as a DuckDB table without loading rows into JS: validates
 * paths, encoding, the label, the positive value and the protected attributes; cleans text cells
 * (trim, `naValues` → NULL, NaN → NULL); applies the missing-value policy; infers column kinds.
 * Every data error names the file, row and column.
 */
export async function openDataset(spec: DatasetSpec, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const files = Array.isArray(spec.path) ? spec.path : [spec.path];
  if (files.length === 0) {
    throw new InvalidParameterError(
      `The 'path' option of dataset '${spec.name}' must name at least one file. Got [] instead.`,
    );
  }
  for (const f of files) await checkFile(f);
  const format = spec.format ?? formatOf(files[0]);
  const engine = options.engine ?? (await DataEngine.open());
  const owned = options.engine === undefined;
  try {
    options.onStep?.(`reading ${files.join(', ')}`);
    return await build(engine, spec, files, format, owned);
  } catch (error) {
    if (owned) engine.close();
    throw error;
  }
}

async function build(
  engine: DataEngine,
  spec: DatasetSpec,
  files: string[],
  format: 'csv' | 'parquet' | 'json',
  owned: boolean,
): Promise<Dataset> {
  const fileList = `[${files.map(sqlString).join(', ')}]`;
  // Only numbers and text are inferred: DuckDB would otherwise turn yes/no or dates into other types
  // and the label values a user names would no longer match what the file says.
  const csvOptions =
    format === 'csv' ? `, header = true, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR']` : '';
  const source = `${readFunction(format)}(${fileList}${csvOptions}, filename = true)`;
  const where = files.map(displayPath).join(' + ');
  const described = await describe(engine, source, where);
  const rawTypes = new Map(described.filter((c) => c.name !== 'filename').map((c) => [c.name, c.type]));
  if (rawTypes.size === 0 || (rawTypes.size === 1 && rawTypes.has('column0'))) {
    throw new DataValidationError('The file has no columns: it is empty or has no header row.', {
      file: where,
    });
  }

  const derived = spec.derive ?? {};
  const available = [...new Set([...rawTypes.keys(), ...Object.keys(derived)])];
  const need = (column: string, role: string) => {
    if (!available.includes(column)) {
      throw new DataValidationError(
        `The ${role} column '${column}' is not in the data. Available columns: ${available.join(', ')}.`,
        { file: where, column },
      );
    }
  };
  need(spec.label, 'label');
  for (const p of spec.protectedAttributes) need(p, 'protected attribute');
  const ignore = new Set(spec.ignore ?? []);
  const features = spec.features ?? available.filter((c) => c !== spec.label && !ignore.has(c));
  for (const f of features) need(f, 'feature');
  const used = [...new Set([spec.label, ...spec.protectedAttributes, ...features])];

  // Stage 1: clean each used column in SQL (trim text, NA strings and NaN to NULL, casts).
  const naValues = ['', ...(spec.naValues ?? [])];
  const naList = naValues.map(sqlString).join(', ');
  const exprs = used.map((name) => {
    const raw = derived[name] ?? quoteIdent(name);
    const type = derived[name] !== undefined ? 'DERIVED' : (rawTypes.get(name) ?? 'VARCHAR');
    const wantNumeric = spec.columnTypes?.[name] === 'numeric';
    if (isNumericSqlType(type)) {
      const value = isFloatSqlType(type) ? `CASE WHEN isnan(${raw}) THEN NULL ELSE ${raw} END` : raw;
      return `${value} AS ${quoteIdent(name)}`;
    }
    const text = `CASE WHEN trim(CAST(${raw} AS VARCHAR)) IN (${naList}) THEN NULL ELSE trim(CAST(${raw} AS VARCHAR)) END`;
    return wantNumeric
      ? `${text} AS ${quoteIdent(`${name}__text`)}, TRY_CAST(${text} AS DOUBLE) AS ${quoteIdent(name)}`
      : `${text} AS ${quoteIdent(name)}`;
  });
  const filter = spec.where ? `WHERE ${spec.where}` : '';
  try {
    await engine.exec(`CREATE OR REPLACE TABLE steward_data AS
      SELECT filename AS __file,
             CAST(list_position(${fileList}, filename) AS INTEGER) AS __part,
             CAST(__filerow AS BIGINT) AS __row,
             ${exprs.join(',\n             ')}
      FROM (SELECT *, row_number() OVER (PARTITION BY filename ORDER BY __scan) AS __filerow
            FROM (SELECT *, row_number() OVER () AS __scan FROM ${source})) ${filter}`);
  } catch (error) {
    throw translateReadError(error, where);
  }
  await checkNumericCasts(engine, spec, used);

  const rowsBefore = await engine.scalar('SELECT count(*) FROM steward_data');
  if (rowsBefore === 0) {
    throw new DataValidationError('The file has a header but no data rows.', { file: where });
  }
  const droppedRows = await applyMissingPolicy(engine, spec, used);
  const rows = rowsBefore - droppedRows;
  if (rows === 0) {
    throw new DataValidationError(
      `Every row has a missing value in a used column, so none is left. Used columns: ${used.join(', ')}.`,
      { file: where },
    );
  }
  await checkLabel(engine, spec, where);
  await checkProtected(engine, spec, where);

  const typesNow = new Map(
    (await engine.rows('DESCRIBE steward_data')).map((r) => [String(r.column_name), String(r.column_type)]),
  );
  const columns: ColumnInfo[] = used.map((name) => {
    const sqlType = typesNow.get(name) ?? 'VARCHAR';
    const kind = spec.columnTypes?.[name] ?? (isNumericSqlType(sqlType) ? 'numeric' : 'categorical');
    const role =
      name === spec.label ? 'label' : spec.protectedAttributes.includes(name) ? 'protected' : 'feature';
    return { name, sqlType, kind, role, isFeature: features.includes(name) };
  });
  return new Dataset(engine, owned, spec, where, columns, rows, droppedRows);
}

async function describe(engine: DataEngine, source: string, file: string) {
  try {
    const rows = await engine.rows(`DESCRIBE SELECT * FROM ${source}`);
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  } catch (error) {
    throw translateReadError(error, file);
  }
}

async function checkFile(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new DataValidationError('The file was not found. Check the path.', { file: path });
  }
  if (!info.isFile()) throw new DataValidationError('The path is not a file.', { file: path });
  if (info.size === 0) throw new DataValidationError('The file is empty.', { file: path });
}

/** A path as shown in messages and reports: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function formatOf(path: string): 'csv' | 'parquet' | 'json' {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return 'json';
  return 'csv';
}

async function checkNumericCasts(engine: DataEngine, spec: DatasetSpec, used: string[]): Promise<void> {
  for (const name of used) {
    if (spec.columnTypes?.[name] !== 'numeric') continue;
    const text = quoteIdent(`${name}__text`);
    const bad = await engine
      .rows(
        `SELECT __file, __row, ${text} AS v FROM steward_data WHERE ${text} IS NOT NULL AND ${quoteIdent(name)} IS NULL ORDER BY __part, __row LIMIT 1`,
      )
      .catch(() => []);
    if (bad.length > 0) {
      const b = bad[0];
      throw new DataValidationError(`Expected a number. Got '${String(b.v)}' instead.`, {
        file: displayPath(String(b.__file)),
        row: Number(b.__row),
        column: name,
      });
    }
    await engine.exec(`ALTER TABLE steward_data DROP COLUMN ${text}`);
  }
}

async function applyMissingPolicy(engine: DataEngine, spec: DatasetSpec, used: string[]): Promise<number> {
  const anyNull = used.map((c) => `${quoteIdent(c)} IS NULL`).join(' OR ');
  const missing = await engine.scalar(`SELECT count(*) FROM steward_data WHERE ${anyNull}`);
  if (missing === 0) return 0;
  if ((spec.missing ?? 'drop') === 'refuse') {
    const first = (
      await engine.rows(`SELECT * FROM steward_data WHERE ${anyNull} ORDER BY __part, __row LIMIT 1`)
    )[0];
    const column = used.find((c) => first[c] === null);
    throw new DataValidationError(
      `A blank, NA or NaN cell was found and the 'missing' option is 'refuse' (${missing} incomplete rows in all). Fix the data or set "missing": "drop" to drop incomplete rows.`,
      { file: displayPath(String(first.__file)), row: Number(first.__row), column },
    );
  }
  await engine.exec(`DELETE FROM steward_data WHERE ${anyNull}`);
  return missing;
}

async function checkLabel(engine: DataEngine, spec: DatasetSpec, file: string): Promise<void> {
  const label = quoteIdent(spec.label);
  const values = (
    await engine.rows(`SELECT DISTINCT CAST(${label} AS VARCHAR) AS v FROM steward_data ORDER BY v LIMIT 3`)
  ).map((r) => String(r.v));
  if (values.length !== 2) {
    const found =
      values.length > 2 ? `3 or more (${values.join(', ')}, ...)` : `${values.length} (${values.join(', ')})`;
    throw new DataValidationError(
      `The label column must have exactly two values for binary classification. Found ${found} instead.`,
      { file, column: spec.label },
    );
  }
  if (!values.includes(String(spec.positiveLabel))) {
    throw new DataValidationError(
      `The positive label '${spec.positiveLabel}' never occurs in the label column; its values are ${values.map((v) => `'${v}'`).join(' and ')}. Set 'positiveLabel' to one of them.`,
      { file, column: spec.label },
    );
  }
}

async function checkProtected(engine: DataEngine, spec: DatasetSpec, file: string): Promise<void> {
  for (const p of spec.protectedAttributes) {
    const groups = await engine.rows(
      `SELECT DISTINCT CAST(${quoteIdent(p)} AS VARCHAR) AS g FROM steward_data LIMIT 2`,
    );
    if (groups.length < 2) {
      throw new DataValidationError(
        `The protected attribute '${p}' has only one group (${groups.map((g) => `'${String(g.g)}'`).join('')}); a fairness comparison needs at least two.`,
        { file, column: p },
      );
    }
  }
}
