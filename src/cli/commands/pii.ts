import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InvalidParameterError } from '../../core/index.js';
import {
  checkPiiEntities,
  PII_OPERATORS,
  type PiiEntity,
  type PiiOperator,
  type PiiOperatorName,
  parsePiiKey,
  redactPiiFile,
  scanPiiFile,
} from '../../privacy/pii/index.js';
import { fmt, textTable } from '../format.js';

/** Flags of `steward pii scan`. */
export interface PiiScanFlags {
  json?: boolean;
  entities?: string;
  threshold?: string;
  minScore?: string;
}

/** Flags of `steward pii redact`. */
export interface PiiRedactFlags {
  out?: string;
  operator?: string;
  keyFile?: string;
  salt?: string;
  columns?: string;
  entities?: string;
  minScore?: string;
  json?: boolean;
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

function share(flag: string, value: string | undefined, lo: number, openLo: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !(openLo ? n > lo : n >= lo) || !(n <= 1)) {
    throw new InvalidParameterError(
      `The '--${flag}' flag must be a number in ${openLo ? '(' : '['}${lo}, 1]. Got '${value}' instead.`,
    );
  }
  return n;
}

const entitiesOf = (value: string | undefined, where: string): PiiEntity[] | undefined =>
  value === undefined ? undefined : checkPiiEntities(list(value), where);

/** `steward pii scan FILE`: which text columns hold PII, how much, with masked samples. */
export async function piiScanCommand(file: string, flags: PiiScanFlags): Promise<void> {
  const result = await scanPiiFile(file, {
    entities: entitiesOf(flags.entities, "'steward pii scan --entities'"),
    threshold: share('threshold', flags.threshold, 0, true),
    minScore: share('min-score', flags.minScore, 0, false),
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const flagged = result.columns.filter((c) => c.pii);
  const rows = result.columns.map((c) => [
    c.column,
    c.pii ? 'PII' : '-',
    Object.entries(c.entities)
      .map(([e, v]) => `${e} ${v?.cells} (${fmt((v?.share ?? 0) * 100)}%)`)
      .join(', ') || (c.headerEntity ? `header names ${c.headerEntity}` : '-'),
    c.samples[0] ?? '',
  ]);
  process.stdout.write(
    [
      `PII scan of ${result.file}: ${fmt(result.rows)} rows, ${result.columns.length} text column(s), ${flagged.length} with PII.`,
      '',
      textTable(['column', 'verdict', 'entities: cells (share)', 'masked sample'], rows),
      '',
    ].join('\n'),
  );
}

async function operatorFrom(flags: PiiRedactFlags): Promise<PiiOperator> {
  const name = (flags.operator ?? 'replace') as PiiOperatorName;
  if (!PII_OPERATORS.includes(name)) {
    throw new InvalidParameterError(
      `The '--operator' flag must be one of ${PII_OPERATORS.join(', ')}. Got '${flags.operator}' instead.`,
    );
  }
  if (name === 'encrypt') {
    let key: string | undefined;
    if (flags.keyFile !== undefined) {
      key = await readFile(flags.keyFile, 'utf8').catch(() => {
        throw new InvalidParameterError(`The key file '${flags.keyFile}' could not be read. Check the path.`);
      });
    } else key = process.env.STEWARD_PII_KEY;
    if (key === undefined || key.trim() === '') {
      throw new InvalidParameterError(
        "'--operator encrypt' needs a 32-byte key (64 hex characters or base64) in a file given by '--key-file FILE' or in the STEWARD_PII_KEY environment variable.",
      );
    }
    return { type: 'encrypt', key: parsePiiKey(key) };
  }
  if (flags.keyFile !== undefined) {
    throw new InvalidParameterError("'--key-file' goes with '--operator encrypt'.");
  }
  if (name === 'hash') return { type: 'hash', salt: flags.salt ?? randomBytes(16).toString('hex') };
  if (flags.salt !== undefined) throw new InvalidParameterError("'--salt' goes with '--operator hash'.");
  return name === 'mask' ? { type: 'mask' } : name === 'redact' ? { type: 'redact' } : { type: 'replace' };
}

/** `steward pii redact FILE --out OUT`: writes a CSV copy with the PII transformed. */
export async function piiRedactCommand(file: string, flags: PiiRedactFlags): Promise<void> {
  if (flags.out === undefined) {
    throw new InvalidParameterError(
      "'steward pii redact' needs '--out FILE' (a .csv path other than the input).",
    );
  }
  const operator = await operatorFrom(flags);
  const result = await redactPiiFile(file, flags.out, {
    operator,
    columns: flags.columns === undefined ? undefined : list(flags.columns),
    entities: entitiesOf(flags.entities, "'steward pii redact --entities'"),
    minScore: share('min-score', flags.minScore, 0, false),
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...result, operator: operator.type }, null, 2)}\n`);
    return;
  }
  const note =
    operator.type === 'hash' && flags.salt === undefined
      ? ' (salted with a random salt for this run: hashes link rows within this file only)'
      : '';
  process.stdout.write(
    [
      `Wrote ${result.out}: ${fmt(result.rows)} rows, operator ${operator.type}${note}.`,
      '',
      textTable(
        ['column', 'cells changed', 'spans'],
        result.columns.map((c) => [c.column, c.cells, c.matches]),
      ),
      '',
    ].join('\n'),
  );
}
