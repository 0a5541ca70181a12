// PostgreSQL for real: a throwaway server (test/support/postgres.ts) runs the DataSource conformance
// suite, and the same table in DuckDB and PostgreSQL must give identical results.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidParameterError, StewardError } from '../src/core/index.js';
import { dataSourceConformance, FIXTURE_ROWS, loadFixture } from '../src/data/data-source.test-suite.js';
import { type DataSource, openDataSource, PostgresSource, postgresDialect } from '../src/data/index.js';
import { skipPostgres, startPostgres, type TestPostgres } from './support/postgres.js';

describe.skipIf(skipPostgres())('PostgreSQL data source', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
    console.log(`PostgreSQL test server started in ${server.startMs} ms on port ${server.port}`);
  });
  afterAll(() => server?.stop());

  dataSourceConformance('PostgreSQL', () => openDataSource(server.url));

  describe('gives the same results as DuckDB on the same table', () => {
    let duck: DataSource;
    let pg: DataSource;
    beforeAll(async () => {
      duck = await openDataSource('duckdb::memory:');
      pg = await openDataSource(server.url.replace('postgres:', 'postgresql:'));
      await loadFixture(duck, 'same_table');
      await loadFixture(pg, 'same_table');
    });
    afterAll(async () => {
      await duck?.close();
      await pg?.close();
    });

    /** Runs the same query (text built per dialect) in both engines. */
    const both = async (build: (s: DataSource) => string, params: (string | number)[] = []) => {
      const [a, b] = [await duck.rows(build(duck), params), await pg.rows(build(pg), params)];
      return { duck: a, pg: b };
    };

    test('weighted confusion counts by group (GROUP BY with SUM(CASE ...))', async () => {
      const result = await both(
        (s) => {
          const q = (c: string) => s.dialect.quoteIdent(c);
          const label = `${s.dialect.castText(q('label'))} = $1`;
          const pred = `${s.dialect.castText(q('pred'))} = $1`;
          const sum = (cond: string) => `SUM(CASE WHEN ${cond} THEN ${q('w')} ELSE 0 END)`;
          return `SELECT ${q('sex')} AS g, COUNT(*) AS n,
            ${sum(`${label} AND ${pred}`)} AS tp, ${sum(`NOT (${label}) AND ${pred}`)} AS fp,
            ${sum(`NOT (${label}) AND NOT (${pred})`)} AS tn, ${sum(`${label} AND NOT (${pred})`)} AS fn,
            SUM(${q('amount')}) AS amount, SUM(${q('big')}) AS big
          FROM ${s.dialect.quoteTable('same_table')} GROUP BY ${q('sex')} ORDER BY ${q('sex')} NULLS FIRST`;
        },
        ['1'],
      );
      expect(result.pg).toEqual(result.duck);
      // Brute force over FIXTURE_ROWS (CASE conditions on NULL are not true, so NULLs fall in no cell).
      const w = (pick: (row: (typeof FIXTURE_ROWS)[number]) => boolean, g: string | null) =>
        FIXTURE_ROWS.filter((r) => r[1] === g && pick(r)).reduce((acc, r) => acc + Number(r[5]), 0);
      for (const row of result.pg) {
        const g = row.g as string | null;
        expect(row.tp).toBe(w((r) => r[3] === 1 && r[4] === 1, g));
        expect(row.fp).toBe(w((r) => r[3] === 0 && r[4] === 1, g));
        expect(row.tn).toBe(w((r) => r[3] === 0 && r[4] === 0, g));
        expect(row.fn).toBe(w((r) => r[3] === 1 && r[4] === 0, g));
      }
      expect(result.pg.map((r) => [r.g, r.n])).toEqual([
        [null, 2],
        ['F', 5],
        ['M', 5],
      ]);
    });

    test('columns() returns the same names and values', async () => {
      const sql = 'SELECT id, sex, w, amount, big, pred FROM same_table WHERE id > $1 ORDER BY id';
      expect(await pg.columns(sql, [6])).toEqual(await duck.columns(sql, [6]));
    });

    test('describe() gives the same names and kinds', async () => {
      const neutral = async (s: DataSource) =>
        (await s.describe('same_table')).map(({ name, kind }) => ({ name, kind }));
      expect(await neutral(pg)).toEqual(await neutral(duck));
      expect((await pg.describe('public.same_table')).map((c) => c.type)).toEqual([
        'integer',
        'character varying(16)',
        'character varying(64)',
        'integer',
        'integer',
        'double precision',
        'numeric(10,2)',
        'bigint',
      ]);
    });
  });

  test('refuses identifiers PostgreSQL would truncate (over 63 bytes)', () => {
    expect(() => postgresDialect.quoteIdent('x'.repeat(64))).toThrow(InvalidParameterError);
    expect(postgresDialect.quoteIdent('x'.repeat(63))).toBe(`"${'x'.repeat(63)}"`);
  });

  test('masks the password of a URL it connects with', async () => {
    // Trust authentication accepts any password, so this connects.
    const url = server.url.replace('steward@', 'steward:hunter2@');
    const source = await openDataSource(url);
    try {
      expect(source.displayUrl).toBe(server.url.replace('steward@', 'steward:***@'));
      const error = await source.rows('SELECT * FROM no_such_table').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StewardError);
      expect((error as StewardError).code).toBe('QUERY_FAILED');
      expect((error as Error).message).toContain('steward:***@');
      expect((error as Error).message).not.toContain('hunter2');
    } finally {
      await source.close();
    }
  });

  test('an unreachable server or missing database is a clear error naming the masked URL', async () => {
    const closed = `postgres://steward:hunter2@127.0.0.1:${await closedPort()}/steward_test`;
    const refused = await PostgresSource.open(closed, { connectTimeoutMs: 5000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StewardError);
    expect((refused as StewardError).code).toBe('DATA_SOURCE_UNREACHABLE');
    expect((refused as Error).message).toContain(closed.replace('hunter2', '***'));
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);
    expect((refused as Error).message).not.toContain('hunter2');

    const noDb = server.url.replace('steward@', 'steward:hunter2@').replace('/steward_test', '/no_such_db');
    const missing = await openDataSource(noDb).catch((e: unknown) => e);
    expect((missing as StewardError).code).toBe('DATA_SOURCE_UNREACHABLE');
    expect((missing as Error).message).toMatch(/database "no_such_db" does not exist/);
    expect((missing as Error).message).not.toContain('hunter2');
  });

  test('a URL of an unknown engine is refused without showing the password', async () => {
    const error = await openDataSource('mysql://root:hunter2@127.0.0.1/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as Error).message).toContain('mysql://root:***@127.0.0.1/x');
    expect((error as Error).message).not.toContain('hunter2');
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
    });
  });
}
