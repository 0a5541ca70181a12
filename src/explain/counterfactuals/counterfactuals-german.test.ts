import { describe, expect, it } from 'vitest';
import { applyEncoder, fitEncoder, isNumericColumn, openDataset, presetSpec } from '../../data/index.js';
import { LogisticRegression } from '../../models/index.js';
import { pipelineModel, takeBatchRows } from '../explainable-model.js';
import { counterfactuals } from './index.js';

describe('counterfactuals on German credit with a logistic-regression pipeline', () => {
  it('flips refused applicants without touching sex or age, within the training ranges and categories', async () => {
    const ds = await openDataset(presetSpec('german'));
    try {
      const { numeric, categorical } = ds.featureColumns();
      const data = await ds.read([...numeric, ...categorical]);
      const encoder = fitEncoder(data, { numeric, categorical, source: ds.source });
      const fitted = await new LogisticRegression().fit(applyEncoder(encoder, data), await ds.labels());
      const model = pipelineModel(encoder, fitted);
      expect(model.features.map((f) => f.name)).toEqual(expect.arrayContaining(['sex', 'age']));
      const p = await model.predictProba(data);
      const refused = Array.from(p.keys())
        .filter((i) => p[i] < 0.5)
        .slice(0, 3);
      expect(refused.length).toBe(3);
      for (const [k, i] of refused.entries()) {
        const row = takeBatchRows(data, [i]);
        const result = await counterfactuals(model, row, {
          data,
          seed: k,
          constraints: { immutable: ['sex', 'age', 'age_group'] },
        });
        expect(result.found).toBe(true);
        expect(result.desiredClass).toBe(1);
        // age_group is derived from age in the preset, so it is held fixed with it.
        expect(result.mutableFeatures).not.toContain('sex');
        for (const cf of result.counterfactuals) {
          expect(cf.probability).toBeGreaterThanOrEqual(0.5);
          expect(cf.row.sex).toBe((row.columns.sex as string[])[0]);
          expect(cf.row.age).toBe((row.columns.age as Float64Array)[0]);
          expect(cf.row.age_group).toBe((row.columns.age_group as string[])[0]);
          const [check] = await model.predictProba(takeBatchRows(rowBatch(cf.row, data), [0]));
          expect(check).toBe(cf.probability); // the reported probability is the model's, exactly
          for (const { feature, to } of cf.changes) {
            expect(['sex', 'age', 'age_group']).not.toContain(feature);
            const col = data.columns[feature];
            if (isNumericColumn(col)) {
              const values = Array.from(col);
              expect(to as number).toBeGreaterThanOrEqual(Math.min(...values));
              expect(to as number).toBeLessThanOrEqual(Math.max(...values));
              expect(Number.isInteger(to)).toBe(values.every(Number.isInteger));
            } else {
              expect(col).toContain(to);
            }
          }
        }
        expect(result.metrics.validity).toBe(result.counterfactuals.length / 4);
      }
    } finally {
      ds.close();
    }
  });
});

/** A one-row batch from a counterfactual's row, with the columns typed like the training data's. */
function rowBatch(row: Record<string, number | string | null>, like: { columns: Record<string, unknown> }) {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const name of Object.keys(like.columns)) {
    const v = row[name] ?? null;
    columns[name] =
      like.columns[name] instanceof Float64Array ? Float64Array.of(v as number) : [v as string | null];
  }
  return { rows: 1, columns };
}
