import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../core/index.js';
import { readFileColumns } from './read-file.js';

describe('readFileColumns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-read-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads numbers and text by name, in file order', async () => {
    const path = file('ok.csv', 'a,b\n1,x\n2.5,y\n');
    const batch = await readFileColumns(path, [
      { name: 'a', kind: 'numeric' },
      { name: 'b', kind: 'categorical' },
    ]);
    expect(batch.rows).toBe(2);
    expect(Array.from(batch.columns.a as Float64Array)).toEqual([1, 2.5]);
    expect(batch.columns.b).toEqual(['x', 'y']);
  });

  it('says a header-only file has no data rows (instead of failing inside)', async () => {
    const path = file('header.csv', 'a,b\n');
    await expect(readFileColumns(path, [{ name: 'a', kind: 'numeric' }])).rejects.toThrow(
      DataValidationError,
    );
    await expect(readFileColumns(path, [{ name: 'a', kind: 'numeric' }])).rejects.toThrow(/no data rows/);
  });

  it('names the row and column of a cell that is not a number', async () => {
    const path = file('bad.csv', 'a\n1\nabc\n');
    await expect(readFileColumns(path, [{ name: 'a', kind: 'numeric' }])).rejects.toThrow(
      /Expected a number\. Got 'abc' instead \(file '.*bad\.csv', row 2, column 'a'\)/,
    );
  });
});
