import { describe, expect, it } from 'vitest';
import type { ShapExplanation } from '../shap-result.js';
import { meanAbsShapImportance } from './mean-abs-shap.js';

function explanation(features: string[], rows: number, values: number[]): ShapExplanation {
  return {
    features,
    output: 'log-odds',
    method: 'linear-exact',
    baseValue: 0,
    rows,
    values: Float64Array.from(values),
    outputs: new Float64Array(rows),
    additivityError: 0,
    backgroundRows: 10,
  };
}

describe('meanAbsShapImportance', () => {
  it('ranks by mean |φ| with the signed mean beside it (hand-computed, exact)', () => {
    // rows: [a, b, c] = [1, -2, 0.5], [-3, 2, 0.5]
    const result = meanAbsShapImportance(explanation(['a', 'b', 'c'], 2, [1, -2, 0.5, -3, 2, 0.5]));
    expect(result.features).toEqual([
      { feature: 'a', meanAbs: 2, mean: -1 },
      { feature: 'b', meanAbs: 2, mean: 0 },
      { feature: 'c', meanAbs: 0.5, mean: 0.5 },
    ]);
    expect(result.output).toBe('log-odds');
    expect(result.rows).toBe(2);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('breaks ties by feature name whatever the input order', () => {
    const result = meanAbsShapImportance(explanation(['z', 'y', 'x'], 1, [1, -1, 1]));
    expect(result.features.map((f) => f.feature)).toEqual(['x', 'y', 'z']);
  });

  it('rejects an empty or malformed explanation', () => {
    expect(() => meanAbsShapImportance(explanation(['a'], 0, []))).toThrow(/at least one row/);
    expect(() => meanAbsShapImportance(explanation(['a', 'b'], 2, [1, 2, 3]))).toThrow(
      /rows × features = 2 × 2/,
    );
  });
});
