import { InvalidParameterError } from '../../core/index.js';
import { type PiiMatch, scanText } from './analyzer.js';
import { redactText } from './operators.js';
import type { PiiEntity } from './recognizers.js';

/** Options of `scanColumns`. */
export interface ScanColumnsOptions {
  /** Entity types to look for (default: all). */
  entities?: readonly PiiEntity[];
  /** A column holds PII when this share of its non-empty cells has an entity (default 0.1). */
  threshold?: number;
  /** Minimum match score (default 0.4, as `scanText`). */
  minScore?: number;
  /** Masked samples per column (default 3). */
  samples?: number;
}

/** Cells of a column holding one entity type. */
export interface PiiEntityCount {
  /** Non-empty cells with at least one match of the type. */
  cells: number;
  /** `cells` / non-empty cells of the column. */
  share: number;
}

/** What `scanColumns` found in one column. */
export interface PiiColumnReport {
  /** Column name. */
  column: string;
  /** Non-empty cells scanned. */
  cells: number;
  /** Counts per entity type found (types never found are absent). */
  entities: Partial<Record<PiiEntity, PiiEntityCount>>;
  /** The entity a column header names ("email", "full_name", "ssn", ...), if any. */
  headerEntity?: PiiEntity;
  /** Verdict: some entity's share ≥ threshold, or the header names a PII entity. */
  pii: boolean;
  /** A few cells with their PII masked by '*' (never raw values). */
  samples: string[];
}

const HEADER_ENTITIES: [RegExp, PiiEntity][] = [
  [
    /^(name|fullname|firstname|lastname|surname|givenname|familyname|middlename|forename|(customer|patient|contact|employee|client|account|card)holder|(customer|patient|contact|employee|client|person|applicant)name)$/,
    'PERSON',
  ],
  [/^(e?mail|emailaddress|mailaddress)$/, 'EMAIL_ADDRESS'],
  [/^(phone|phonenumber|telephone|tel|mobile|mobilenumber|cell|cellphone|fax)$/, 'PHONE_NUMBER'],
  [/^(ssn|socialsecurity|socialsecuritynumber)$/, 'US_SSN'],
  [/^(dob|dateofbirth|birthdate|birthday)$/, 'DATE_TIME'],
  [/^(iban|ibancode|bankaccount)$/, 'IBAN_CODE'],
  [/^(creditcard|creditcardnumber|cardnumber|ccnumber|pan)$/, 'CREDIT_CARD'],
  [/^(ip|ipaddress|clientip|remoteaddr)$/, 'IP_ADDRESS'],
];

/** The PII entity a column header names (case, spaces, '_' and '-' ignored), or undefined. */
export function piiHeaderEntity(header: string): PiiEntity | undefined {
  const h = header.toLowerCase().replace(/[\s_\-.]/g, '');
  return HEADER_ENTITIES.find(([re]) => re.test(h))?.[1];
}

/**
 * The matches to redact in one cell: what `scanText` finds, or, in a column whose header names an
 * entity and where nothing was found, the whole cell as that entity (a "name" column of bare names
 * has no context word for the PERSON recognizer).
 */
export function cellPiiMatches(
  cell: string,
  headerEntity: PiiEntity | undefined,
  options: Pick<ScanColumnsOptions, 'entities' | 'minScore'> = {},
): PiiMatch[] {
  const found = scanText(cell, options);
  if (found.length > 0 || headerEntity === undefined || cell.trim() === '') return found;
  if (options.entities && !options.entities.includes(headerEntity)) return found;
  return [{ entity: headerEntity, start: 0, end: cell.length, score: 0.5, text: cell }];
}

/**
 * Scans string columns for PII: per column, the cells holding each entity type, their share of the
 * non-empty cells, masked samples and a verdict (share ≥ threshold, or a PII-naming header over values
 * that are not a handful of repeated categories: at least 50 cells with at most max(10, 1%) distinct).
 */
export function scanColumns(
  columns: Readonly<Record<string, readonly (string | null)[]>>,
  options: ScanColumnsOptions = {},
): PiiColumnReport[] {
  const threshold = options.threshold ?? 0.1;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new InvalidParameterError(
      `The 'threshold' option of scanColumns must be in (0, 1]. Got ${threshold} instead.`,
    );
  }
  const sampleCount = options.samples ?? 3;
  return Object.entries(columns).map(([column, values]) => {
    const named = piiHeaderEntity(column);
    // A header names personal data only if the values could be: a few categories repeated over many
    // rows (German credit's 'telephone' is yes/none over 1,000 rows) identify nobody.
    const distinct = new Set(values.filter((v) => v !== null && v.trim() !== '')).size;
    const nonEmpty = values.reduce((n, v) => n + (v !== null && v.trim() !== '' ? 1 : 0), 0);
    const categorical = nonEmpty >= 50 && distinct <= Math.max(10, 0.01 * nonEmpty);
    const headerEntity =
      named && !categorical && (!options.entities || options.entities.includes(named)) ? named : undefined;
    const counts = new Map<PiiEntity, number>();
    const samples: string[] = [];
    let cells = 0;
    for (const value of values) {
      if (value === null || value.trim() === '') continue;
      cells++;
      const matches = scanText(value, options);
      const types = new Set(matches.map((m) => m.entity));
      for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
      if (samples.length < sampleCount) {
        const masked = cellPiiMatches(value, headerEntity, options);
        if (masked.length > 0) samples.push(redactText(value, masked, { type: 'mask' }));
      }
    }
    const entities: Partial<Record<PiiEntity, PiiEntityCount>> = {};
    for (const [t, n] of [...counts].sort((a, b) => b[1] - a[1])) {
      entities[t] = { cells: n, share: n / cells };
    }
    const pii =
      headerEntity !== undefined || Object.values(entities).some((e) => (e?.share ?? 0) >= threshold);
    return { column, cells, entities, ...(headerEntity ? { headerEntity } : {}), pii, samples };
  });
}
