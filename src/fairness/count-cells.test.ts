import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError } from '../core/index.js';
import { DataEngine, quoteIdent } from '../data/index.js';
import { countCells } from './count-cells.js';
import { countCellsSql } from './count-cells-sql.js';
import { tableDialect } from './sql-dialect.js';

let engine: DataEngine;
beforeAll(async () => {
  engine = await DataEngine.open();
  // Hand-written rows; the expected counts below are summed by hand.
  await engine.exec(`CREATE TABLE "odd ""name""" AS SELECT * FROM (VALUES
    ('b', 'x', 'yes', 'yes', 0.5, 1.0),
    ('a', 'x', 'yes', 'no', 0.2, 2.0),
    ('a', 'x', 'no', 'yes', 0.9, 0.5),
    ('a', 'y', 'no', 'no', 0.1, 1.5),
    ('b', 'y', 'yes', 'yes', 0.8, 3.0),
    ('b', 'y', 'no', 'no', 0.3, 0.0)
  ) AS t("sex ""s""", region, outcome, decision, score, w)`);
});
afterAll(() => engine.close());

describe('countCells and countCellsSql: the disaggregation engine', () => {
  it('weighted counts per observed cell, sorted by group values; SQL equals typed arrays exactly', async () => {
    const sql = await countCellsSql(engine, {
      from: 'odd "name"',
      label: 'outcome',
      positive: 'yes',
      prediction: 'decision',
      score: 'score',
      protected: ['sex "s"', 'region'],
      weight: 'w',
    });
    expect(
      sql.cells.map((c) => [c.group['sex "s"'], c.group.region, c.rows, c.tp, c.fp, c.tn, c.fn]),
    ).toEqual([
      ['a', 'x', 2, 0, 0.5, 0, 2],
      ['a', 'y', 1, 0, 0, 1.5, 0],
      ['b', 'x', 1, 1, 0, 0, 0],
      ['b', 'y', 2, 3, 0, 0, 0],
    ]);
    expect(sql.cells[3]).toMatchObject({ tpRows: 1, tnRows: 1, fpRows: 0, fnRows: 0 });
    const typed = countCells({
      labels: [1, 1, 0, 0, 1, 0],
      predictions: [1, 0, 1, 0, 1, 0],
      weights: [1, 2, 0.5, 1.5, 3, 0],
      protected: { 'sex "s"': ['b', 'a', 'a', 'a', 'b', 'b'], region: ['x', 'x', 'x', 'y', 'y', 'y'] },
    });
    expect(typed).toEqual(sql);
  });

  it('tableDialect (any engine with describe) gives the same counts as the DuckDB dialect', async () => {
    const options = {
      label: 'outcome',
      positive: 'yes',
      prediction: 'decision',
      protected: ['sex "s"', 'region'],
      weight: 'w',
    };
    const dialect = tableDialect({
      label: 'DuckDB as an ANSI engine',
      quoteIdent,
      castText: (e) => `CAST(${e} AS TEXT)`,
      tryNumber: (e) => `TRY_CAST(${e} AS DOUBLE)`,
      placeholder: (i) => `$${i}`,
    });
    const source = {
      rows: (sql: string, params?: (string | number)[]) => engine.rows(sql, params),
      describe: async (table: string) =>
        (await engine.rows(`DESCRIBE ${quoteIdent(table)}`)).map((r) => ({ name: String(r.column_name) })),
    };
    const viaTable = await countCellsSql(source, { ...options, from: 'odd "name"', dialect });
    expect(viaTable).toEqual(await countCellsSql(engine, { ...options, from: 'odd "name"' }));
    await expect(countCellsSql(source, { ...options, from: { file: 'x.csv' }, dialect })).rejects.toThrow(
      /audits read tables, not files/,
    );
  });

  it('without predictions the prediction is the label', () => {
    const counts = countCells({ labels: [1, 0, 1], protected: { g: ['a', 'b', 'b'] } });
    expect(counts.hasPredictions).toBe(false);
    expect(counts.cells.map((c) => [c.tp, c.fp, c.tn, c.fn])).toEqual([
      [1, 0, 0, 0],
      [1, 0, 1, 0],
    ]);
  });

  it('rejects non-binary labels, negative weights, blank groups and mismatched lengths', () => {
    const g = { g: ['a', 'b'] };
    expect(() => countCells({ labels: [1, 2], protected: g })).toThrow(/row 2, column 'label'/);
    expect(() => countCells({ labels: [1, 0], weights: [1, -1], protected: g })).toThrow(DataValidationError);
    expect(() =>
      countCells({ labels: [1, 0], protected: { g: ['a', undefined as unknown as string] } }),
    ).toThrow(/protected attribute value is missing/);
    expect(() => countCells({ labels: [1, 0], predictions: [1], protected: g })).toThrow(
      InvalidParameterError,
    );
    expect(() => countCells({ labels: [1, 0], protected: {} })).toThrow(InvalidParameterError);
  });

  it('SQL errors name the table, column and bad value', async () => {
    const base = { from: 'odd "name"', label: 'outcome', positive: 'yes', protected: ['region'] };
    await expect(countCellsSql(engine, { ...base, prediction: 'nope' })).rejects.toThrow(
      /prediction column 'nope' is not in the data.*file 'odd "name"'/,
    );
    await expect(countCellsSql(engine, { ...base, prediction: 'sex "s"' })).rejects.toThrow(
      /must be binary.*Got '(a|b)'/,
    );
    await expect(countCellsSql(engine, { ...base, weight: 'score', score: 'w' })).rejects.toThrow(
      /\[0, 1\]\. Got '(1.5|2.0|3.0)'/,
    );
    await expect(countCellsSql(engine, { ...base, protected: ['outcome'] })).resolves.toBeDefined();
  });
});
