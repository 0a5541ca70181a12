import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import { partialDependence } from './partial-dependence.js';
import { linspace, mquantile } from './partial-dependence-grid.js';

// Reference: test/fixtures/explain/partial-dependence-sklearn.py (scikit-learn 1.2.1,
// sklearn.inspection.partial_dependence, method='brute') run on a FIXED logistic function that the test
// rebuilds below from the same JSON; nothing is fitted on either side.
interface Fixture {
  data: { age: number[]; amount: number[]; purpose: string[] };
  model: {
    intercept: number;
    numeric: Record<string, { mean: number; scale: number; weight: number }>;
    categorical: Record<string, Record<string, number>>;
  };
  cases: {
    feature: string;
    gridResolution: number;
    percentiles: [number, number];
    kind: 'average' | 'both';
    grid: (number | string)[];
    average: number[];
    individual?: number[][];
  }[];
}
const fixture: Fixture = JSON.parse(
  readFileSync(
    resolve(import.meta.dirname, '../../../test/fixtures/explain/partial-dependence-sklearn.json'),
    'utf8',
  ),
);

const data: ColumnBatch = {
  rows: fixture.data.age.length,
  columns: {
    age: Float64Array.from(fixture.data.age),
    amount: Float64Array.from(fixture.data.amount),
    purpose: [...fixture.data.purpose],
  },
};

/** The fixture's logistic function over raw columns, term by term in the Python script's order. */
const model: ExplainableModel = {
  features: [
    { name: 'age', kind: 'numeric' },
    { name: 'amount', kind: 'numeric' },
    { name: 'purpose', kind: 'categorical', categories: Object.keys(fixture.model.categorical.purpose) },
  ],
  predictProba: async (batch) => {
    const out = new Float64Array(batch.rows);
    for (let i = 0; i < batch.rows; i++) {
      let z = fixture.model.intercept;
      for (const [name, s] of Object.entries(fixture.model.numeric)) {
        z = z + s.weight * (((batch.columns[name] as Float64Array)[i] - s.mean) / s.scale);
      }
      for (const [name, w] of Object.entries(fixture.model.categorical)) {
        z = z + (w[(batch.columns[name] as (string | null)[])[i] ?? ''] ?? 0);
      }
      out[i] = 1 / (1 + Math.exp(-z));
    }
    return out;
  },
};

describe('partialDependence against scikit-learn 1.2.1 (tolerance 1e-12 absolute on grid and values)', () => {
  for (const c of fixture.cases) {
    it(`${c.feature}, gridResolution ${c.gridResolution}, percentiles ${c.percentiles.join('-')}`, async () => {
      const pd = await partialDependence(model, data, c.feature, {
        gridResolution: c.gridResolution,
        percentiles: c.percentiles,
        kind: c.kind,
      });
      expect(pd.grid).toHaveLength(c.grid.length);
      for (let g = 0; g < c.grid.length; g++) {
        if (typeof c.grid[g] === 'string') expect(pd.grid[g]).toBe(c.grid[g]);
        else expect(Math.abs((pd.grid[g] as number) - (c.grid[g] as number))).toBeLessThanOrEqual(1e-12);
      }
      const average = pd.average ?? [];
      expect(average).toHaveLength(c.average.length);
      for (let g = 0; g < c.average.length; g++) {
        expect(Math.abs(average[g] - c.average[g])).toBeLessThanOrEqual(1e-12);
      }
      if (c.individual) {
        expect(pd.individual).toHaveLength(c.individual.length);
        let worst = 0;
        for (let i = 0; i < c.individual.length; i++) {
          for (let g = 0; g < c.grid.length; g++) {
            worst = Math.max(worst, Math.abs((pd.individual?.[i][g] ?? Number.NaN) - c.individual[i][g]));
          }
        }
        expect(worst).toBeLessThanOrEqual(1e-12);
      }
      expect(pd.gridMethod).toBe(
        c.feature === 'purpose' ? 'categories' : c.grid.length < c.gridResolution ? 'unique' : 'percentiles',
      );
    });
  }
});

describe('partial-dependence grid helpers', () => {
  it('mquantile reproduces scipy.stats.mstats.mquantiles documented example (exact to 1e-12)', () => {
    // scipy docs: mquantiles([6, 47, 49, 15, 42, 41, 7, 39, 43, 40, 36]) = [19.2, 40.0, 42.8].
    const x = Float64Array.from([6, 47, 49, 15, 42, 41, 7, 39, 43, 40, 36]).sort();
    expect(mquantile(x, 0.25)).toBeCloseTo(19.2, 12);
    expect(mquantile(x, 0.5)).toBeCloseTo(40, 12);
    expect(mquantile(x, 0.75)).toBeCloseTo(42.8, 12);
  });

  it('linspace keeps both ends exactly (numpy sets the last point to stop)', () => {
    const g = linspace(0.1, 0.7, 7);
    expect(g[0]).toBe(0.1);
    expect(g[6]).toBe(0.7);
    expect(g[3]).toBeCloseTo(0.4, 15);
  });
});

describe('partialDependence input checks', () => {
  it('names an unknown feature, a missing column and bad options', async () => {
    await expect(partialDependence(model, data, 'income')).rejects.toThrow(
      /one of the model's features.*'income'/,
    );
    const { purpose: _drop, ...rest } = data.columns;
    await expect(partialDependence(model, { rows: data.rows, columns: rest }, 'age')).rejects.toThrow(
      /lacks the model's column 'purpose'/,
    );
    await expect(partialDependence(model, data, 'age', { gridResolution: 1 })).rejects.toThrow(
      /'gridResolution' option of partialDependence must be an integer >= 2/,
    );
    await expect(partialDependence(model, data, 'age', { percentiles: [0.9, 0.1] })).rejects.toThrow(
      /'percentiles' option/,
    );
  });

  it('leaves the input batch untouched and skips missing values when building the grid', async () => {
    const age = Float64Array.from([30, Number.NaN, 40, 30]);
    const small: ColumnBatch = {
      rows: 4,
      columns: {
        age,
        amount: Float64Array.from([1000, 2000, 3000, 4000]),
        purpose: ['car', null, 'car', 'x'],
      },
    };
    const pd = await partialDependence(model, small, 'age');
    expect(pd.grid).toEqual([30, 40]);
    expect(Number.isNaN(age[1])).toBe(true);
    const cat = await partialDependence(model, small, 'purpose');
    expect(cat.grid).toEqual(['car', 'x']);
  });
});
