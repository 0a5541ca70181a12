import { InvalidParameterError } from '../core/index.js';

/**
 * Renders a value as a SQL string literal ('' doubles a quote; DuckDB strings have no backslash
 * escapes). Used only where DuckDB takes no bound parameter (file lists in CREATE VIEW).
 */
export function sqlString(value: string): string {
  if (value.includes('\0')) {
    throw new InvalidParameterError(
      `A SQL string value must not contain NUL characters. Got ${JSON.stringify(value)} instead.`,
    );
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** True for DuckDB column types Steward treats as numbers. */
export function isNumericSqlType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/i.test(
    type,
  );
}

/** True for DuckDB floating-point types, whose cells may hold NaN. */
export function isFloatSqlType(type: string): boolean {
  return /^(FLOAT|DOUBLE|REAL)/i.test(type);
}
