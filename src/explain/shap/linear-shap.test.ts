import { describe, expect, it } from 'vitest';
import { linearShap } from './linear-shap.js';
import {
  bruteForceShapley,
  maxAbsDiff,
  opaque,
  rowRange,
  syntheticPipeline,
} from './shap-fixtures.test-suite.js';

describe('linearShap', () => {
  // Expected values: bruteForceShapley with v(S) = mean_b logit f(x_S, b_S̄) (the log-odds of a linear model
  // are additive, so its interventional Shapley values are the closed form). 1e-10 covers rounding of logit(σ(z)).
  for (const m of [3, 6]) {
    it(`equals brute-force Shapley values in log-odds for an LR pipeline, M = ${m}`, async () => {
      const { model, batch } = await syntheticPipeline(m, 'lr');
      const background = rowRange(batch, 0, 15);
      const rows = rowRange(batch, 60, 66);
      const got = await linearShap(model, rows, { background });
      const want = await bruteForceShapley(model, rows, background, 'mean-of-logit');
      expect(got.method).toBe('linear-exact');
      expect(got.output).toBe('log-odds');
      expect(got.features).toEqual(model.features.map((f) => f.name));
      expect(got.values.length).toBe(6 * m); // 'colour' (4 one-hot columns) is one feature
      expect(maxAbsDiff(got.values, want.values)).toBeLessThan(1e-10);
      expect(Math.abs(got.baseValue - want.base[0])).toBeLessThan(1e-10);
      expect(maxAbsDiff(got.outputs, want.full)).toBeLessThan(1e-10);
      expect(got.additivityError).toBeLessThan(1e-12);
    });
  }

  it('refuses a non-linear model, a model without a pipeline and the probability output, naming what to use', async () => {
    const mlp = await syntheticPipeline(3, 'mlp');
    const background = rowRange(mlp.batch, 0, 5);
    const rows = rowRange(mlp.batch, 5, 7);
    await expect(linearShap(mlp.model, rows, { background })).rejects.toThrow(/2-layer network.*kernelShap/);
    const lr = await syntheticPipeline(3, 'lr');
    await expect(linearShap(opaque(lr.model), rows, { background })).rejects.toThrow(
      /needs a Steward pipeline.*kernelShap/,
    );
    await expect(linearShap(lr.model, rows, { background, output: 'probability' })).rejects.toThrow(
      /'output' option of linearShap must be 'log-odds'/,
    );
  });

  it("reports a non-finite number with the encoder's own error, naming row and column", async () => {
    const { model, batch } = await syntheticPipeline(3, 'lr');
    const rows = rowRange(batch, 0, 3);
    const x1 = Float64Array.from(rows.columns.x1 as Float64Array);
    x1[1] = Number.NaN;
    const bad = { rows: 3, columns: { ...rows.columns, x1 } };
    await expect(linearShap(model, bad, { background: rowRange(batch, 3, 8) })).rejects.toThrow(
      /row 2, column 'x1'/,
    );
  });
});
