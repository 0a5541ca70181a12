// The conformance suite every DataSource adapter runs (DuckDB in data-source-duckdb.test.ts,
// PostgreSQL in test/pg-source.test.ts), and the fixture table they share.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidParameterError } from '../core/index.js';
import type { DataSource, SourceParam } from './data-source.js';

/** Columns of the fixture table, in the SQL both engines accept. */
export const FIXTURE_COLUMNS = [
  ['id', 'INTEGER'],
  ['sex', 'VARCHAR(16)'],
  ['race', 'VARCHAR(64)'],
  ['label', 'INTEGER'],
  ['pred', 'INTEGER'],
  ['w', 'DOUBLE PRECISION'],
  ['amount', 'NUMERIC(10,2)'],
  ['big', 'BIGINT'],
] as const;

/** A value with a quote, a semicolon and a comment: it must travel as a bound parameter. */
export const HOSTILE = "O'Brien'); DROP TABLE applicants; --";

/**
 * Fixture rows (id, sex, race, label, pred, w, amount, big). Weights are binary fractions and amounts
 * have two decimals, so every sum below is exact in both engines; `big` exceeds 2^32.
 */
export const FIXTURE_ROWS: SourceParam[][] = [
  [1, 'F', 'A', 1, 1, 1, 10.25, 2 ** 40 + 1],
  [2, 'F', 'A', 0, 1, 0.5, 3.5, 7],
  [3, 'F', 'B', 1, 0, 2, 100, 2 ** 40],
  [4, 'F', 'B', 0, 0, 1.25, 0.01, -3],
  [5, 'M', 'A', 1, 1, 1, 20, 1],
  [6, 'M', 'A', 1, 1, 0.75, 20.5, 1],
  [7, 'M', 'B', 0, 1, 1, 99.99, 0],
  [8, 'M', 'B', 0, 0, 3, 1, 5],
  [9, 'M', HOSTILE, 1, 0, 1, 2.5, 11],
  [10, null, 'A', 1, null, 1, null, null],
  [11, 'F', null, 0, 0, 0.25, 7.75, 13],
  [12, null, null, null, 1, 2, 0.5, 17],
];

/** Creates and fills table `name` with the fixture rows, using only bound parameters for values. */
export async function loadFixture(source: DataSource, name = 'applicants'): Promise<void> {
  const q = (n: string) => source.dialect.quoteIdent(n);
  await source.exec(`DROP TABLE IF EXISTS ${source.dialect.quoteTable(name)}`);
  await source.exec(
    `CREATE TABLE ${source.dialect.quoteTable(name)} (${FIXTURE_COLUMNS.map(([c, t]) => `${q(c)} ${t}`).join(', ')})`,
  );
  const placeholders = FIXTURE_COLUMNS.map((_, k) => source.dialect.placeholder(k + 1)).join(', ');
  for (const row of FIXTURE_ROWS) {
    await source.exec(`INSERT INTO ${source.dialect.quoteTable(name)} VALUES (${placeholders})`, row);
  }
}

/** Runs the DataSource contract against `open()` (called once; the source is closed afterwards). */
export function dataSourceConformance(name: string, open: () => Promise<DataSource>): void {
  describe(`DataSource conformance: ${name}`, () => {
    let source: DataSource;
    beforeAll(async () => {
      source = await open();
      await loadFixture(source);
    });
    afterAll(async () => {
      await source?.close();
    });

    test('returns integers, decimals and 64-bit sums as JS numbers', async () => {
      const rows = await source.rows(
        'SELECT COUNT(*) AS n, SUM(big) AS big, SUM(amount) AS amount, MAX(id) AS id FROM applicants',
      );
      // Hand sums of FIXTURE_ROWS (exact: integers below 2^53, decimals with two places):
      // big = (2^40 + 1) + 2^40 + (7 - 3 + 1 + 1 + 0 + 5 + 11 + 13 + 17) = 2^41 + 53.
      expect(rows).toEqual([{ n: 12, big: 2 ** 41 + 53, amount: 266, id: 12 }]);
      const columns = await source.columns('SELECT id, big FROM applicants WHERE id <= $1 ORDER BY id', [2]);
      expect(columns).toEqual({
        names: ['id', 'big'],
        values: [
          [1, 2],
          [2 ** 40 + 1, 7],
        ],
      });
    });

    test('binds values as parameters, so quotes and semicolons are data', async () => {
      const rows = await source.rows('SELECT id, race FROM applicants WHERE race = $1', [HOSTILE]);
      expect(rows).toEqual([{ id: 9, race: HOSTILE }]);
      expect(await source.rows('SELECT id FROM applicants WHERE sex = $1', ["F' OR '1'='1"])).toEqual([]);
      expect((await source.rows('SELECT COUNT(*) AS n FROM applicants'))[0].n).toBe(12);
    });

    test('keeps NULLs as null and counts them', async () => {
      const rows = await source.rows(
        `SELECT COUNT(*) - COUNT(sex) AS sex_null, SUM(CASE WHEN pred IS NULL THEN 1 ELSE 0 END) AS pred_null,
                MIN(amount) AS amount_min FROM applicants WHERE id >= $1`,
        [10],
      );
      expect(rows).toEqual([{ sex_null: 2, pred_null: 1, amount_min: 0.5 }]);
      const row10 = await source.rows('SELECT sex, pred, amount, big FROM applicants WHERE id = $1', [10]);
      expect(row10).toEqual([{ sex: null, pred: null, amount: null, big: null }]);
    });

    test('tryNumber reads number-like text as a double and anything else as NULL', async () => {
      const d = source.dialect;
      const cells = ['1.5', 'abc', ' 2e3 ', '', null, '-.5', '1e', '+3.'];
      const values = cells.map((_, k) => `SELECT ${k} AS k, ${d.castText(d.placeholder(k + 1))} AS x`);
      const result = await source.columns(
        `SELECT ${d.tryNumber('x')} AS v FROM (${values.join(' UNION ALL ')}) AS t ORDER BY k`,
        cells,
      );
      expect(result.values[0]).toEqual([1.5, null, 2000, null, null, -0.5, null, 3]);
    });

    test('describes a table in order with engine-neutral kinds, and refuses a missing one', async () => {
      const columns = await source.describe('applicants');
      expect(columns.map((c) => [c.name, c.kind])).toEqual([
        ['id', 'integer'],
        ['sex', 'text'],
        ['race', 'text'],
        ['label', 'integer'],
        ['pred', 'integer'],
        ['w', 'float'],
        ['amount', 'decimal'],
        ['big', 'integer'],
      ]);
      await expect(source.describe('no_such_table')).rejects.toThrow(/no_such_table.*does not exist/);
    });

    test('quotes odd identifiers and refuses unusable ones', async () => {
      const d = source.dialect;
      const odd = 'we"ird; DROP TABLE applicants; --';
      await source.exec(`CREATE TABLE ${d.quoteTable('odd_names')} (${d.quoteIdent(odd)} INTEGER)`);
      await source.exec(`INSERT INTO odd_names VALUES ($1)`, [4]);
      expect(await source.describe('odd_names')).toMatchObject([{ name: odd, kind: 'integer' }]);
      expect(await source.rows(`SELECT ${d.quoteIdent(odd)} AS v FROM odd_names`)).toEqual([{ v: 4 }]);
      expect(() => d.quoteIdent('')).toThrow(InvalidParameterError);
      expect(() => d.quoteIdent('a\0b')).toThrow(InvalidParameterError);
      expect(() => d.quoteIdent('x'.repeat(300))).toThrow(InvalidParameterError);
      expect(() => d.quoteTable('a.b.c.d')).toThrow(InvalidParameterError);
      expect(d.quoteTable('main.t')).toBe('"main"."t"');
    });

    test('reports a failed query as an error', async () => {
      await expect(source.rows('SELECT no_such_column FROM applicants')).rejects.toThrow(/no_such_column/);
    });
  });
}
