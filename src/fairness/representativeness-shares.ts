import { DataValidationError } from '../core/index.js';
import { groupLabel } from './privileged.js';

/** Expected share of one group in the reference population. */
export interface ExpectedShare {
  /** The group's value of each column of `ExpectedShares.columns`. */
  group: Record<string, string>;
  /** Share of the reference population in the group, in [0, 1]. */
  share: number;
  /** 1-based data row of the source file (header excluded), for error messages; absent for plain objects. */
  row?: number;
}

/** A reference population's group shares (e.g. from a census), keyed by one or more protected columns. */
export interface ExpectedShares {
  /** Protected columns the groups are defined by: one column, or several for intersections. */
  columns: string[];
  /** One entry per group; shares sum to 1. */
  shares: ExpectedShare[];
  /** Where the shares came from (a file path), named in error messages. */
  source: string;
}

/** Shares must sum to 1 within this tolerance. */
export const SHARE_SUM_TOLERANCE = 1e-6;

/**
 * Parses a small CSV of expected shares: a header with the protected column(s) and `share`, then one
 * row per group, e.g. `sex,share\nFemale,0.508\nMale,0.492`. RFC 4180 quoting ("a, b", "" for a quote)
 * is understood. Throws a DataValidationError naming `source`, the row and the column for a missing
 * `share` column, a ragged row, a share that is not a number in [0, 1], a repeated group, or shares
 * not summing to 1 ± 1e-6. Reading a large file belongs to the caller (e.g. through DuckDB).
 */
export function parseExpectedShares(text: string, source: string): ExpectedShares {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  if (records.length === 0) {
    throw new DataValidationError(
      'The expected-shares file is empty; it needs a header row with the protected column(s) and share.',
      { file: source },
    );
  }
  const header = records[0].map((h) => h.trim());
  const shareIndex = header.indexOf('share');
  if (shareIndex < 0 || header.length < 2) {
    throw new DataValidationError(
      `The expected-shares file needs a 'share' column and at least one protected column. Got the header ${JSON.stringify(header)} instead.`,
      { file: source, row: 0 },
    );
  }
  const columns = header.filter((_, i) => i !== shareIndex);
  const shares: ExpectedShare[] = [];
  records.slice(1).forEach((fields, i) => {
    const row = i + 1;
    if (fields.length !== header.length) {
      throw new DataValidationError(
        `Expected ${header.length} fields as in the header. Got ${fields.length} instead.`,
        { file: source, row },
      );
    }
    const raw = fields[shareIndex].trim();
    const share = raw === '' ? Number.NaN : Number(raw);
    if (!(share >= 0 && share <= 1)) {
      throw new DataValidationError(`A share must be a number in [0, 1]. Got '${raw}' instead.`, {
        file: source,
        row,
        column: 'share',
      });
    }
    const group: Record<string, string> = {};
    header.forEach((name, j) => {
      if (j !== shareIndex) group[name] = fields[j];
    });
    shares.push({ group, share, row });
  });
  return checkExpectedShares({ columns, shares, source });
}

/**
 * Validates expected shares given as plain objects (or parsed): at least one column, every group with
 * a value for each column, shares in [0, 1], no repeated group, and a sum of 1 ± 1e-6.
 */
export function checkExpectedShares(expected: ExpectedShares): ExpectedShares {
  const file = expected.source;
  if (expected.columns.length === 0) {
    throw new DataValidationError('Expected shares must name at least one protected column.', { file });
  }
  if (expected.shares.length === 0) {
    throw new DataValidationError('Expected shares list no groups; add one row per group.', { file });
  }
  const seen = new Map<string, number | undefined>();
  let sum = 0;
  expected.shares.forEach((s, i) => {
    const row = s.row ?? i + 1;
    for (const column of expected.columns) {
      if (typeof s.group[column] !== 'string') {
        throw new DataValidationError(`The group has no value for column '${column}'.`, {
          file,
          row,
          column,
        });
      }
    }
    if (!(s.share >= 0 && s.share <= 1)) {
      throw new DataValidationError(`A share must be a number in [0, 1]. Got ${s.share} instead.`, {
        file,
        row,
        column: 'share',
      });
    }
    const key = groupKey(s.group, expected.columns);
    if (seen.has(key)) {
      throw new DataValidationError(
        `The group '${groupLabel(s.group, expected.columns)}' is listed twice (first on row ${seen.get(key)}); list each group once.`,
        { file, row },
      );
    }
    seen.set(key, row);
    sum += s.share;
  });
  if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
    throw new DataValidationError(
      `The shares must sum to 1 (± ${SHARE_SUM_TOLERANCE}). Got ${sum} instead.`,
      { file, column: 'share' },
    );
  }
  return expected;
}

/** A stable key of a group's values in the given column order. */
export function groupKey(group: Readonly<Record<string, string>>, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => group[c]));
}

/** Splits CSV text into records of fields (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push(fields);
      fields = [];
      field = '';
    } else field += ch;
  }
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') records.push(fields);
  return records;
}
