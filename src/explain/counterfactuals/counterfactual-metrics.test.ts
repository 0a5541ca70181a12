import { describe, expect, it } from 'vitest';
import type { ExplainableModel } from '../explainable-model.js';
import { counterfactualMetrics } from './counterfactual-metrics.js';
import type { FeatureDomain } from './feature-domains.js';
import { SearchContext } from './search-context.js';

const model: ExplainableModel = { features: [], predictProba: async (b) => new Float64Array(b.rows) };
const domains: FeatureDomain[] = [
  { kind: 'numeric', name: 'a', original: 0, fixed: false, lo: 0, hi: 10, precision: 0, mad: 2, span: 10 },
  { kind: 'numeric', name: 'b', original: 0, fixed: false, lo: 0, hi: 10, precision: 0, mad: 1, span: 10 },
  { kind: 'categorical', name: 'c', original: 'x', fixed: false, values: ['x', 'y', 'z'] },
];
const ctx = new SearchContext(model, domains, 1, 0.5);
const cf = (genes: number[], probability: number) => ({ genes: Float64Array.from(genes), probability });

describe('counterfactualMetrics (DiCE definitions, Mothilal et al. 2020 §4.1)', () => {
  it('matches a hand computation on two counterfactuals out of three requested', () => {
    // x = (0, 0, 'x'); c1 = (2, 0, 'x'): continuous (2/2 + 0)/2 = 0.5, categorical 0, 1 change;
    // c2 = (0, 1, 'y'): continuous (0 + 1/1)/2 = 0.5, categorical 1/1, 2 changes;
    // dist(c1, c2) = (2/2 + 1/1)/2 + 1 = 2 and they differ on 3 of 3 features. Exact up to 1e-12.
    const m = counterfactualMetrics(ctx, [cf([2, 0, 0], 0.9), cf([0, 1, 1], 0.7)], 3);
    const expected = {
      validity: 2 / 3,
      proximity: -1,
      continuousProximity: -0.5,
      categoricalProximity: -0.5,
      sparsity: 0.5,
      shareChanged: 0.5,
      meanFeaturesChanged: 1.5,
      diversity: 2,
      countDiversity: 1,
    };
    for (const [key, value] of Object.entries(expected)) {
      expect(m[key as keyof typeof m], key).toBeCloseTo(value, 12);
    }
  });

  it('counts an invalid or repeated counterfactual once at most in validity, and leaves set metrics null when empty', () => {
    const m = counterfactualMetrics(ctx, [cf([2, 0, 0], 0.9), cf([2, 0, 0], 0.9), cf([4, 0, 0], 0.2)], 4);
    expect(m.validity).toBe(1 / 4);
    const empty = counterfactualMetrics(ctx, [], 4);
    expect(empty).toMatchObject({
      validity: 0,
      proximity: null,
      sparsity: null,
      diversity: null,
      countDiversity: null,
    });
  });
});
