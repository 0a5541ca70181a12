import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One file of an atomic output set: its path and contents. */
export interface OutputFile {
  /** Destination path. */
  path: string;
  /** File contents. */
  contents: string | Uint8Array;
}

/**
 * Writes all files or none: each goes to a temporary file beside its destination first, and the
 * temporaries are renamed into place only after every one was written. A failure removes the
 * temporaries and leaves earlier outputs untouched, so no half-written report is ever left.
 */
export async function writeFilesAtomically(files: OutputFile[]): Promise<void> {
  const temps: { temp: string; path: string }[] = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      const temp = join(dirname(f.path), `.${randomBytes(6).toString('hex')}.tmp`);
      temps.push({ temp, path: f.path });
      await writeFile(temp, f.contents);
    }
    for (const t of temps) await rename(t.temp, t.path);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t.temp, { force: true })));
    throw error;
  }
}
