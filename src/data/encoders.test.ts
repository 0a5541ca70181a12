import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../core/index.js';
import type { ColumnBatch } from './columns.js';
import { applyEncoder, fitEncoder } from './encoders.js';

const batch: ColumnBatch = {
  rows: 4,
  columns: { age: Float64Array.from([20, 30, 40, 50]), city: ['b', 'a', 'b', 'c'] },
};

describe('encoders', () => {
  it('standardises with the population std and one-hots sorted categories (as scikit-learn)', () => {
    const spec = fitEncoder(batch, { numeric: ['age'], categorical: ['city'] });
    expect(spec.outputNames).toEqual(['age', 'city_a', 'city_b', 'city_c']);
    const m = applyEncoder(spec, batch);
    // mean 35, population std sqrt(125) (hand derivation)
    expect(m.data[0]).toBeCloseTo(-15 / Math.sqrt(125), 12);
    expect(Array.from(m.data.subarray(4, 8))).toEqual([-5 / Math.sqrt(125), 1, 0, 0]);
  });

  it("encodes an unseen category as zeros under 'ignore' and refuses it under 'error'", () => {
    const spec = fitEncoder(batch, { numeric: [], categorical: ['city'] });
    const unseen: ColumnBatch = { rows: 1, columns: { city: ['z'] } };
    expect(Array.from(applyEncoder(spec, unseen).data)).toEqual([0, 0, 0]);
    const strict = fitEncoder(batch, { numeric: [], categorical: ['city'], unknown: 'error' });
    expect(() => applyEncoder(strict, unseen, 'new.csv')).toThrow(DataValidationError);
    expect(() => applyEncoder(strict, unseen, 'new.csv')).toThrow(/'z' was not seen.*row 1, column 'city'/);
  });

  it('a constant column gets scale 1', () => {
    const spec = fitEncoder(
      { rows: 2, columns: { k: Float64Array.from([3, 3]) } },
      { numeric: ['k'], categorical: [] },
    );
    expect(spec.features[0]).toMatchObject({ mean: 3, scale: 1 });
  });
});
