import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataValidationError } from '../core/index.js';
import type { DatasetSpec } from './dataset-spec.js';
import { openDataset } from './open-dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-data-'));
const file = (name: string, contents: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
};
const spec = (path: string, extra: Partial<DatasetSpec> = {}): DatasetSpec => ({
  name: 'test',
  path,
  label: 'y',
  positiveLabel: 'yes',
  protectedAttributes: ['g'],
  ...extra,
});
const good = file('good.csv', 'x,g,y\n1,a,yes\n2,b,no\n3,a,no\n4,b,yes\n');

async function failure(s: DatasetSpec): Promise<DataValidationError> {
  try {
    const ds = await openDataset(s);
    ds.close();
  } catch (error) {
    expect(error).toBeInstanceOf(DataValidationError);
    return error as DataValidationError;
  }
  throw new Error('expected openDataset to fail');
}

afterAll(() => undefined);

describe('openDataset: bad input gets a clear error naming file, row and column', () => {
  it('wrong path', async () => {
    const e = await failure(spec(join(dir, 'missing.csv')));
    expect(e.message).toMatch(/not found/);
    expect(e.location.file).toBe(join(dir, 'missing.csv'));
  });

  it('empty file', async () => {
    const e = await failure(spec(file('empty.csv', '')));
    expect(e.message).toMatch(/empty/);
  });

  it('header only', async () => {
    const e = await failure(spec(file('header.csv', 'x,g,y\n')));
    expect(e.message).toMatch(/no data rows/);
  });

  it('missing label column', async () => {
    const e = await failure(spec(good, { label: 'outcome' }));
    expect(e.location.column).toBe('outcome');
    expect(e.message).toMatch(/Available columns: x, g, y/);
  });

  it('a label with three values', async () => {
    const e = await failure(spec(file('three.csv', 'x,g,y\n1,a,yes\n2,b,no\n3,a,maybe\n')));
    expect(e.message).toMatch(/exactly two values.*3 or more/);
    expect(e.location.column).toBe('y');
  });

  it('a positive value that never occurs', async () => {
    const e = await failure(spec(good, { positiveLabel: 'Yes' }));
    expect(e.message).toMatch(/'Yes' never occurs.*'no' and 'yes'/);
  });

  it('a protected attribute with one group', async () => {
    const e = await failure(spec(file('onegroup.csv', 'x,g,y\n1,a,yes\n2,a,no\n')));
    expect(e.message).toMatch(/only one group \('a'\)/);
    expect(e.location.column).toBe('g');
  });

  it('a non-UTF-8 file names the row', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('x,g,y\n1,a,yes\n2,caf'),
      Buffer.from([0xe9]),
      Buffer.from(',no\n'),
    ]);
    const e = await failure(spec(file('latin1.csv', latin1)));
    expect(e.message).toMatch(/not UTF-8/);
    expect(e.location.row).toBe(2);
  });

  it("blank and NaN cells are refused with the row and column when missing = 'refuse'", async () => {
    const path = file('blank.csv', 'x,g,y\n1.5,a,yes\n2.5,b,no\nNaN,a,no\n4,,yes\n');
    const e = await failure(spec(path, { missing: 'refuse' }));
    expect(e.location).toMatchObject({ file: path, row: 3, column: 'x' });
    expect(e.message).toMatch(/2 incomplete rows/);
  });

  it("blank and NaN cells are dropped and counted when missing = 'drop'", async () => {
    const path = file('blank2.csv', 'x,g,y\n1.5,a,yes\n2.5,b,no\nNaN,a,no\n4,,yes\n5,b,yes\n');
    const ds = await openDataset(spec(path));
    expect(ds.rows).toBe(3);
    expect(ds.droppedRows).toBe(2);
    ds.close();
  });

  it('text in a column declared numeric names the row', async () => {
    const path = file('text.csv', 'x,g,y\n1,a,yes\n2,b,no\nabc,a,no\n');
    const e = await failure(spec(path, { columnTypes: { x: 'numeric' } }));
    expect(e.location).toMatchObject({ row: 3, column: 'x' });
    expect(e.message).toMatch(/Expected a number. Got 'abc' instead/);
  });
});

describe('Dataset', () => {
  it('infers kinds and roles, reads only asked columns', async () => {
    const ds = await openDataset(spec(good));
    expect(ds.columns.map((c) => [c.name, c.kind, c.role])).toEqual([
      ['y', 'categorical', 'label'],
      ['g', 'categorical', 'protected'],
      ['x', 'numeric', 'feature'],
    ]);
    const batch = await ds.read(['x']);
    expect(Object.keys(batch.columns)).toEqual(['x']);
    expect(Array.from(batch.columns.x as Float64Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(await ds.labels())).toEqual([1, 0, 0, 1]);
    ds.close();
  });

  it('reads Parquet and JSON files', async () => {
    const ds = await openDataset(spec(good));
    const pq = join(dir, 'good.parquet');
    const js = join(dir, 'good.json');
    await ds.engine.exec(
      `COPY (SELECT * FROM read_csv('${good}', all_varchar = true)) TO '${pq}' (FORMAT parquet)`,
    );
    await ds.engine.exec(
      `COPY (SELECT * FROM read_csv('${good}', all_varchar = true)) TO '${js}' (FORMAT json)`,
    );
    ds.close();
    for (const path of [pq, js]) {
      const other = await openDataset(spec(path));
      expect(other.rows).toBe(4);
      expect(Array.from(await other.labels())).toEqual([1, 0, 0, 1]);
      other.close();
    }
  });

  it('splits seeded and stratified', async () => {
    const rows = ['x,g,y'];
    for (let i = 0; i < 400; i++) rows.push(`${i},${i % 3 === 0 ? 'a' : 'b'},${i % 4 === 0 ? 'yes' : 'no'}`);
    const path = file('big.csv', `${rows.join('\n')}\n`);
    const ds = await openDataset(spec(path));
    const info = await ds.split({ testFraction: 0.25, seed: 7 });
    expect(info).toMatchObject({ train: 300, test: 100, stratified: true });
    const yTest = await ds.labels('test');
    expect(yTest.reduce((a, b) => a + b, 0)).toBe(25); // 100 positives × 0.25
    const first = Array.from((await ds.read(['x'], 'test')).columns.x as Float64Array);
    await ds.split({ testFraction: 0.25, seed: 7 });
    expect(Array.from((await ds.read(['x'], 'test')).columns.x as Float64Array)).toEqual(first);
    await ds.split({ testFraction: 0.25, seed: 8 });
    expect(Array.from((await ds.read(['x'], 'test')).columns.x as Float64Array)).not.toEqual(first);
    ds.close();
  });
});

describe('reproducibility', () => {
  it('splits the same rows whatever folder (or path spelling) the file is read from', async () => {
    const rows = ['x,g,y'];
    for (let i = 0; i < 200; i++) rows.push(`${i},${i % 2 === 0 ? 'a' : 'b'},${i % 3 === 0 ? 'yes' : 'no'}`);
    const text = `${rows.join('\n')}\n`;
    const other = mkdtempSync(join(tmpdir(), 'steward-elsewhere-'));
    const testRows: number[][] = [];
    for (const path of [file('here.csv', text), join(other, 'there.csv')]) {
      writeFileSync(path, text);
      const ds = await openDataset(spec(path));
      await ds.split({ seed: 11 });
      testRows.push(Array.from((await ds.read(['x'], 'test')).columns.x as Float64Array));
      ds.close();
    }
    expect(testRows[1]).toEqual(testRows[0]);
  });

  it('different seeds give nearly independent test sets (overlap close to chance)', async () => {
    const rows = ['x,g,y'];
    for (let i = 0; i < 2000; i++) rows.push(`${i},${i % 2 === 0 ? 'a' : 'b'},${i % 3 === 0 ? 'yes' : 'no'}`);
    const ds = await openDataset(spec(file('seeds.csv', `${rows.join('\n')}\n`)));
    const tests: Set<number>[] = [];
    for (let seed = 0; seed < 8; seed++) {
      await ds.split({ testFraction: 0.25, seed });
      tests.push(new Set((await ds.read(['x'], 'test')).columns.x as Float64Array));
    }
    ds.close();
    // Independent 500-row test sets of 2000 rows share 125 rows on average (sd about 9.7).
    let worst = 0;
    for (let a = 0; a < tests.length; a++) {
      for (let b = a + 1; b < tests.length; b++) {
        worst = Math.max(worst, [...tests[a]].filter((x) => tests[b].has(x)).length);
      }
    }
    expect(worst).toBeLessThan(175);
  });
});

describe('explicit split', () => {
  it('puts exactly the listed 1-based file rows on the test side, counting rows before a filter', async () => {
    const rows = ['x,g,y'];
    for (let i = 1; i <= 50; i++) rows.push(`${i},${i % 2 === 0 ? 'a' : 'b'},${i % 3 === 0 ? 'yes' : 'no'}`);
    const ds = await openDataset(spec(file('explicit.csv', `${rows.join('\n')}\n`), { where: 'x > 10' }));
    const info = await ds.split({ testRows: [3, 11, 12, 50] });
    expect(info).toMatchObject({ test: 3, train: 37, stratified: false });
    // File data row r holds x = r, so the test side is x = 11, 12, 50 (row 3 was filtered out).
    expect(Array.from((await ds.read(['x'], 'test')).columns.x as Float64Array)).toEqual([11, 12, 50]);
    ds.close();
  });
});
