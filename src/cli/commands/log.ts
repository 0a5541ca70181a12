import { DataValidationError, InvalidParameterError, writeFilesAtomically } from '../../core/index.js';
import { readDecisionLog, verifyEntries } from '../../serve/index.js';

/** Flags of `steward log verify`. */
export interface LogVerifyFlags {
  log?: string;
  json?: boolean;
}

/** Flags of `steward log export`. */
export interface LogExportFlags {
  log?: string;
  out?: string;
}

/**
 * `steward log verify`: recomputes the hash chain of a decision log. Prints the entry count and head hash
 * and exits 0 when intact; otherwise names the first bad entry and why, and exits 1.
 */
export async function logVerifyCommand(flags: LogVerifyFlags): Promise<void> {
  if (flags.log === undefined) throw new InvalidParameterError("'steward log verify' needs '--log FILE'.");
  const result = verifyEntries(await readDecisionLog(flags.log));
  if (flags.json) process.stdout.write(`${JSON.stringify({ log: flags.log, ...result }, null, 2)}\n`);
  if (result.firstBad !== undefined) {
    throw new DataValidationError(
      `The decision log is NOT intact: entry seq ${result.firstBad.seq} is the first bad one: ${result.firstBad.reason}`,
      { file: flags.log },
    );
  }
  if (!flags.json) {
    const head = result.head === null ? 'empty' : `head seq ${result.head.seq}, hash ${result.head.hash}`;
    process.stdout.write(`steward log: ${flags.log} is intact: ${result.entries} entries (${head}).\n`);
  }
}

/** `steward log export`: writes every entry, exactly as stored, one JSON object a line, atomically. */
export async function logExportCommand(flags: LogExportFlags): Promise<void> {
  if (flags.log === undefined) throw new InvalidParameterError("'steward log export' needs '--log FILE'.");
  if (flags.out === undefined)
    throw new InvalidParameterError("'steward log export' needs '--out FILE.jsonl'.");
  const entries = await readDecisionLog(flags.log);
  await writeFilesAtomically([
    { path: flags.out, contents: entries.map((e) => `${JSON.stringify(e)}\n`).join('') },
  ]);
  const check = verifyEntries(entries);
  process.stderr.write(
    `steward log: ${entries.length} entries written to ${flags.out}; chain ${
      check.ok ? 'intact' : `NOT intact from seq ${check.firstBad?.seq}: ${check.firstBad?.reason}`
    }\n`,
  );
}
