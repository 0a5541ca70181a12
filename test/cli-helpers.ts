import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root. */
export const root = resolve(import.meta.dirname, '..');

/** Result of one CLI invocation. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the built CLI (`node bin/steward.js ...`) as a user would, from the repository root. */
export function steward(args: string[], options: { cwd?: string; timeout?: number } = {}): CliResult {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'steward.js'), ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'steward-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a file in a folder and returns its path. */
export function writeIn(dir: string, name: string, contents: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}
