import { describe, expect, it } from 'vitest';
import { permutationShap } from './permutation-shap.js';
import { bruteForceShapley, maxAbsDiff, rowRange, syntheticPipeline } from './shap-fixtures.test-suite.js';

describe('permutationShap', () => {
  // Expected values: bruteForceShapley (classical formula over all 2^M coalitions). Averaging the marginal
  // contributions over all M! orders is the Shapley value by definition (Shapley 1953), so 1e-9 covers rounding.
  for (const m of [3, 5, 6]) {
    for (const kind of ['lr', 'mlp'] as const) {
      it(`with all M! orders equals brute-force Shapley values, M = ${m}, ${kind}`, async () => {
        const { model, batch } = await syntheticPipeline(m, kind);
        const background = rowRange(batch, 0, 8);
        const rows = rowRange(batch, 120, 123);
        for (const output of ['probability', 'log-odds'] as const) {
          const got = await permutationShap(model, rows, { background, output, permutations: 'all' });
          const want = await bruteForceShapley(
            model,
            rows,
            background,
            output === 'probability' ? 'probability' : 'logit-of-mean',
          );
          expect(got.method).toBe('permutation');
          expect(maxAbsDiff(got.values, want.values)).toBeLessThan(1e-9);
          expect(Math.abs(got.baseValue - want.base[0])).toBeLessThan(1e-12);
          expect(got.additivityError).toBeLessThan(1e-12);
        }
      });
    }
  }

  it('is additive with a few random orders, and bit-identical for a seed', async () => {
    const { model, batch } = await syntheticPipeline(9, 'mlp');
    const background = rowRange(batch, 0, 10);
    const rows = rowRange(batch, 40, 45);
    const a = await permutationShap(model, rows, { background, seed: 7 });
    const b = await permutationShap(model, rows, { background, seed: 7 });
    const c = await permutationShap(model, rows, { background, seed: 8, permutations: 3 });
    expect(a.additivityError).toBeLessThan(1e-12); // each forward/backward walk telescopes to f(x) − E[f(b)]
    expect(c.additivityError).toBeLessThan(1e-12);
    expect(Buffer.from(a.values.buffer).equals(Buffer.from(b.values.buffer))).toBe(true);
    expect(maxAbsDiff(a.values, c.values)).toBeGreaterThan(0);
  });

  it('rejects a bad permutations option, naming it', async () => {
    const { model, batch } = await syntheticPipeline(3, 'lr');
    const background = rowRange(batch, 0, 4);
    await expect(
      permutationShap(model, rowRange(batch, 5, 6), { background, permutations: 0 }),
    ).rejects.toThrow(/'permutations' option of permutationShap/);
    const wide = await syntheticPipeline(9, 'lr');
    await expect(
      permutationShap(wide.model, rowRange(wide.batch, 5, 6), {
        background: rowRange(wide.batch, 0, 3),
        permutations: 'all',
      }),
    ).rejects.toThrow(/at most 8 features/);
  });
});
