import { expect, test } from 'vitest';
import { dataSourceConformance } from './data-source.test-suite.js';
import { DuckDbSource } from './data-source-duckdb.js';
import { openDataSource } from './data-source-open.js';
import { DataEngine } from './engine.js';

dataSourceConformance('DuckDB', () => openDataSource('duckdb::memory:'));

test('wrap() queries an engine it does not own and leaves it open', async () => {
  const engine = await DataEngine.open();
  try {
    const source = DuckDbSource.wrap(engine);
    expect(await source.rows('SELECT 40 + $1 AS v', [2])).toEqual([{ v: 42 }]);
    await source.close();
    expect(await engine.scalar('SELECT 1')).toBe(1);
  } finally {
    engine.close();
  }
});
