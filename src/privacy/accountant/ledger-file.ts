import { readFile } from 'node:fs/promises';
import { DataValidationError, describeValue, InvalidParameterError } from '../../core/index.js';
import type { PrivacyCost, PrivacyLedgerEntry } from './privacy-ledger.js';

/** Marks the ledger file format. */
export const PRIVACY_LEDGER_FORMAT = 'steward-privacy-ledger';

/** Throws InvalidParameterError unless `c` holds a valid ε (> 0, or ≥ 0 with `epsilonMin` 0) and δ in [0, 1). */
export function checkCost(
  owner: string,
  prefix: string,
  c: { epsilon?: unknown; delta?: unknown },
  epsilonMin: 0 | 'open',
) {
  const e = c.epsilon;
  if (typeof e !== 'number' || !Number.isFinite(e) || (epsilonMin === 'open' ? !(e > 0) : e < 0)) {
    throw new InvalidParameterError(
      `The '${prefix}epsilon' option of ${owner} must be a finite number ${epsilonMin === 'open' ? '> 0' : '>= 0'}. Got ${describeValue(e)} instead.`,
    );
  }
  const d = c.delta;
  if (typeof d !== 'number' || !(d >= 0 && d < 1)) {
    throw new InvalidParameterError(
      `The '${prefix}delta' option of ${owner} must be in [0, 1). Got ${describeValue(d)} instead.`,
    );
  }
}

/** Throws InvalidParameterError unless `value` is a non-empty string. */
export function checkText(owner: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidParameterError(
      `The '${name}' option of ${owner} must be a non-empty string. Got ${describeValue(value)} instead.`,
    );
  }
  return value;
}

/** Throws InvalidParameterError unless `time` is an ISO 8601 date-time. */
export function checkTime(owner: string, time: unknown): string {
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) {
    throw new InvalidParameterError(
      `The 'time' option of ${owner} must be an ISO 8601 date-time. Got ${describeValue(time)} instead.`,
    );
  }
  return time;
}

/** The file's text, or undefined when it does not exist; other read errors name the file. */
export async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new DataValidationError(`The privacy ledger file cannot be read: ${(error as Error).message}`, {
      file,
    });
  }
}

/** Parses and validates ledger JSON; every error names the file and the field. */
export function parseLedger(
  file: string,
  text: string,
): { dataset: string; budget: PrivacyCost; entries: PrivacyLedgerEntry[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new DataValidationError(`The privacy ledger file is not valid JSON: ${(error as Error).message}.`, {
      file,
    });
  }
  const bad = (what: string) =>
    new DataValidationError(`The privacy ledger file is invalid: ${what}. Fix or recreate it.`, { file });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('it must hold a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== PRIVACY_LEDGER_FORMAT) throw bad(`'format' must be '${PRIVACY_LEDGER_FORMAT}'`);
  if (d.version !== 1) throw bad(`'version' must be 1, got ${describeValue(d.version)}`);
  if (d.composition !== 'basic')
    throw bad(`'composition' must be 'basic', got ${describeValue(d.composition)}`);
  if (typeof d.dataset !== 'string' || d.dataset === '') throw bad("'dataset' must be a non-empty string");
  const budget = d.budget as Record<string, unknown> | undefined;
  try {
    checkCost('the ledger', 'budget.', budget ?? {}, 'open');
  } catch (error) {
    throw bad((error as Error).message.replace(/^The /, 'the ').replace(/\.$/, ''));
  }
  if (!Array.isArray(d.entries)) throw bad("'entries' must be an array");
  const entries = d.entries.map((raw: unknown, i: number): PrivacyLedgerEntry => {
    const e = (raw ?? {}) as Record<string, unknown>;
    try {
      checkCost('the ledger', `entries[${i}].`, e, 'open');
      checkTime('the ledger', e.time);
      for (const k of ['kind', 'description', 'mechanism'])
        checkText('the ledger', `entries[${i}].${k}`, e[k]);
    } catch (error) {
      throw bad((error as Error).message.replace(/^The /, 'the ').replace(/\.$/, ''));
    }
    return {
      time: e.time as string,
      kind: e.kind as string,
      description: e.description as string,
      epsilon: e.epsilon as number,
      delta: e.delta as number,
      mechanism: e.mechanism as string,
    };
  });
  const b = budget as unknown as PrivacyCost;
  return { dataset: d.dataset, budget: { epsilon: b.epsilon, delta: b.delta }, entries };
}
