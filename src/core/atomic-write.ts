import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataValidationError } from './errors.js';

/** One file of an atomic output set: its path and contents. */
export interface OutputFile {
  /** Destination path. */
  path: string;
  /** File contents. */
  contents: string | Uint8Array;
}

interface Staged {
  path: string;
  temp: string;
  backup?: string;
  placed: boolean;
}

const kindOf = (path: string) =>
  stat(path).then(
    (s) => (s.isDirectory() ? 'directory' : 'file'),
    () => 'none' as const,
  );

/**
 * Writes all files or none. Each file is first written to a temporary file beside its destination;
 * only when every one is written are existing destinations moved aside and the new files renamed
 * into place. If anything fails, the new files are removed and the old ones restored, so a reader
 * never sees a half-written report or a report next to a stale model.
 */
export async function writeFilesAtomically(files: OutputFile[]): Promise<void> {
  const staged: Staged[] = [];
  const token = randomBytes(6).toString('hex');
  try {
    for (const f of files) {
      if ((await kindOf(f.path)) === 'directory') {
        throw new DataValidationError('The output path is a folder; give a file path instead.', {
          file: f.path,
        });
      }
      await mkdir(dirname(f.path), { recursive: true });
      const item: Staged = {
        path: f.path,
        temp: join(dirname(f.path), `.${basename(f.path)}.${token}.tmp`),
        placed: false,
      };
      staged.push(item);
      await writeFile(item.temp, f.contents);
    }
    for (const item of staged) {
      if ((await kindOf(item.path)) === 'file') {
        item.backup = `${item.temp}.old`;
        await rename(item.path, item.backup);
      }
      await rename(item.temp, item.path);
      item.placed = true;
    }
  } catch (error) {
    for (const item of staged.reverse()) {
      await rm(item.temp, { force: true });
      if (item.placed) await rm(item.path, { force: true });
      if (item.backup) await rename(item.backup, item.path).catch(() => undefined);
    }
    throw error;
  }
  await Promise.all(staged.map((item) => (item.backup ? rm(item.backup, { force: true }) : undefined)));
}
