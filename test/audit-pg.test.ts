// The audit on a PostgreSQL table (a throwaway server from test/support/postgres.ts) must give the
// same JSON as the audit of the same rows in a file, and match the AIF360/Fairlearn references.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type DataSource, openDataSource, sqlString } from '../src/data/index.js';
import {
  expectMatchesReference,
  referenceCaseFlags,
  referenceCases,
} from '../src/fairness/reference-cases.test-suite.js';
import { steward } from './cli-helpers.js';
import { skipPostgres, startPostgres, type TestPostgres } from './support/postgres.js';

const cases = referenceCases().filter((c) =>
  ['toy', 'compas_race_sex', 'adult_sex_race', 'edge_empty_positive'].includes(c.case),
);

/** Copies a CSV into a PostgreSQL table of TEXT columns (as the file audit reads cells as text). */
async function loadCsv(pg: DataSource, csv: string, table: string): Promise<void> {
  const duck = await DataEngine.open();
  try {
    const { names, values } = await duck.columns(
      `SELECT * FROM read_csv(${sqlString(csv)}, header = true, all_varchar = true)`,
    );
    const cols = names.map((n) => pg.dialect.quoteIdent(n));
    await pg.exec(`DROP TABLE IF EXISTS ${pg.dialect.quoteIdent(table)}`);
    await pg.exec(
      `CREATE TABLE ${pg.dialect.quoteIdent(table)} (${cols.map((c) => `${c} TEXT`).join(', ')})`,
    );
    const rows = values[0].length;
    for (let start = 0; start < rows; start += 1000) {
      const end = Math.min(rows, start + 1000);
      const params: string[] = [];
      const tuples: string[] = [];
      for (let i = start; i < end; i++) {
        tuples.push(`(${names.map((_, j) => `$${params.push(String(values[j][i]))}`).join(', ')})`);
      }
      await pg.exec(
        `INSERT INTO ${pg.dialect.quoteIdent(table)} (${cols.join(', ')}) VALUES ${tuples.join(', ')}`,
        params,
      );
    }
  } finally {
    duck.close();
  }
}

describe.skipIf(skipPostgres())('steward audit --db postgres://… --table', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
    const pg = await openDataSource(server.url);
    try {
      for (const ref of cases) await loadCsv(pg, ref.csv, ref.case);
    } finally {
      await pg.close();
    }
  }, 120_000);
  afterAll(() => server?.stop());

  for (const ref of cases) {
    it(`${ref.case}: identical to the file audit and to the reference (1e-9 relative)`, () => {
      const common = referenceCaseFlags(ref);
      const fromPg = steward(['audit', '--db', server.url, '--table', ref.case, ...common]);
      expect(fromPg.status, fromPg.stderr).toBe(0);
      const fromFile = steward(['audit', '--data', ref.csv, ...common]);
      expect(fromFile.status, fromFile.stderr).toBe(0);
      const pg = JSON.parse(fromPg.stdout);
      const file = JSON.parse(fromFile.stdout);
      expect(pg.metrics).toEqual(file.metrics);
      expect(pg.groups).toEqual(file.groups);
      expectMatchesReference(ref, pg.metrics, pg.groups);
    });
  }

  it('names the URL without its password when the table is missing', () => {
    const url = server.url.replace('postgres://', 'postgres://someone:s3cret@');
    const r = steward([
      'audit',
      '--db',
      url,
      '--table',
      'no_such_table',
      '--label',
      'y',
      '--positive',
      '1',
      '--prediction',
      'p',
      '--protected',
      'g',
      '--privileged',
      'g=a',
      '--json',
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).not.toContain('s3cret');
  });
});
