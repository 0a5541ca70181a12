// A throwaway PostgreSQL server for tests: Debian's binaries, `initdb` into a temporary directory,
// started on a free loopback port with trust authentication, stopped and deleted by `stop()`.
import { spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A running test server. */
export interface TestPostgres {
  /** URL of its test database (user `steward`, no password: trust authentication). */
  url: string;
  /** Port it listens on, at 127.0.0.1. */
  port: number;
  /** Milliseconds `initdb` + start + `createdb` took. */
  startMs: number;
  /** Stops the server and deletes its directory; safe to call twice. */
  stop(): void;
}

/** Where PostgreSQL's server binaries are, or why they are not usable. */
export type PostgresInstall = { bin: string } | { missing: string };

/** Finds Debian's server binaries (`/usr/lib/postgresql/<version>/bin`, newest first) or `$PG_BIN`. */
export function findPostgres(): PostgresInstall {
  const candidates = process.env.PG_BIN ? [process.env.PG_BIN] : debianBinDirs();
  const bin = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (bin !== undefined) return { bin };
  return {
    missing:
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Install it with `apt-get install postgresql`, or set PG_BIN to the folder holding initdb and pg_ctl.',
  };
}

/**
 * Whether PostgreSQL tests should be skipped: only when PostgreSQL is missing outside CI. In CI
 * (`CI` set) a missing install is not skipped, so `startPostgres` fails the tests loudly.
 */
export function skipPostgres(): boolean {
  const install = findPostgres();
  if (!('missing' in install)) return false;
  if (process.env.CI) return false;
  console.warn(`Skipping PostgreSQL tests: ${install.missing}`);
  return true;
}

/**
 * Starts a server: `initdb` (as the `postgres` OS user when running as root, since PostgreSQL
 * refuses to run as root), listening on 127.0.0.1 only at a free port, its unix socket in the
 * temporary directory, with a database `steward_test`. A handler stops it if the process exits early.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const install = findPostgres();
  if ('missing' in install) {
    throw new Error(
      `${install.missing}${process.env.CI ? ' CI must install it (.ci/run does, with apt).' : ''}`,
    );
  }
  const started = performance.now();
  const asUser = runAsUser();
  // The server's user must reach the directory: /tmp is open to all, a root TMPDIR may not be.
  const dir = mkdtempSync(join(asUser === undefined ? tmpdir() : '/tmp', 'steward-pg-'));
  if (asUser !== undefined) chownSync(dir, asUser.uid, asUser.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const run = (tool: string, args: string[]) => {
    const command = join(install.bin, tool);
    const result =
      asUser === undefined
        ? spawnSync(command, args, { encoding: 'utf8' })
        : spawnSync('runuser', ['-u', asUser.name, '--', command, ...args], { encoding: 'utf8' });
    return {
      ok: result.status === 0,
      output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`,
    };
  };
  let running = false;
  const stop = () => {
    if (running) run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    running = false;
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
  };
  process.on('exit', stop);
  try {
    const init = run('initdb', [
      '-D',
      data,
      '-U',
      'steward',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    if (!init.ok) throw new Error(`initdb failed:\n${init.output}`);
    let port = 0;
    for (let attempt = 1; !running; attempt++) {
      port = await freePort();
      writeFileSync(
        join(data, 'postgresql.auto.conf'),
        [
          `port = ${port}`,
          `listen_addresses = '127.0.0.1'`,
          `unix_socket_directories = '${dir}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          '',
        ].join('\n'),
      );
      if (asUser !== undefined) chownSync(join(data, 'postgresql.auto.conf'), asUser.uid, asUser.gid);
      const start = run('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '60']);
      running = start.ok;
      // Another process may take the port between freePort() and the server's bind: try a new one.
      if (!running && attempt >= 3) {
        throw new Error(
          `pg_ctl start failed:\n${start.output}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`,
        );
      }
    }
    const created = run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'steward', 'steward_test']);
    if (!created.ok) throw new Error(`createdb failed:\n${created.output}`);
    return {
      url: `postgres://steward@127.0.0.1:${port}/steward_test`,
      port,
      startMs: Math.round(performance.now() - started),
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** The OS user to run the server as: `postgres` when this process is root, else none (this user). */
function runAsUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `PostgreSQL refuses to run as root (${userInfo().username}) and there is no 'postgres' user to run it as. Install Debian's postgresql package, which creates it.`,
    );
  }
  return { name: 'postgres', uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
