import { checkIdentifier, type DataSourceDialect, quoteQualified } from './data-source.js';

/** PostgreSQL truncates longer identifiers silently (NAMEDATALEN - 1), so longer ones are refused. */
const MAX_IDENTIFIER_BYTES = 63;

/** Text that PostgreSQL's `double precision` input accepts: decimals, exponents, NaN and infinities. */
const NUMBER_PATTERN = String.raw`^\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|infinity|nan)\s*$`;

/**
 * The PostgreSQL dialect: identifiers up to 63 bytes, `TEXT` casts, and a number test by pattern
 * (PostgreSQL has no `TRY_CAST`), so a text cell that is not a number reads as NULL instead of
 * failing the query.
 */
export const postgresDialect: DataSourceDialect = {
  name: 'postgres',
  label: 'PostgreSQL',
  quoteIdent: (name) =>
    `"${checkIdentifier(name, 'PostgreSQL', MAX_IDENTIFIER_BYTES).replaceAll('"', '""')}"`,
  quoteTable: (name) => quoteQualified(name, postgresDialect.quoteIdent),
  castText: (expr) => `CAST(${expr} AS TEXT)`,
  tryNumber: (expr) =>
    `(CASE WHEN CAST(${expr} AS TEXT) ~* '${NUMBER_PATTERN}' THEN CAST(CAST(${expr} AS TEXT) AS DOUBLE PRECISION) END)`,
  placeholder: (index) => `$${index}`,
};
