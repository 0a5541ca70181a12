import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError } from '../../core/index.js';
import { applyEncoder } from '../../data/index.js';
import type { LogisticRegression } from '../../models/index.js';
import { takeBatchRows } from '../explainable-model.js';
import { opaque, rowRange, syntheticPipeline } from './shap-fixtures.test-suite.js';
import { chooseShapMethod, shapValues } from './shap-values.js';

describe('shapValues', () => {
  it("picks linear-exact for an LR pipeline, kernel otherwise ('auto')", async () => {
    const lr = await syntheticPipeline(4, 'lr');
    const mlp = await syntheticPipeline(4, 'mlp');
    const wide = await syntheticPipeline(12, 'mlp');
    expect(chooseShapMethod(lr.model, {})).toBe('linear-exact');
    expect(chooseShapMethod(lr.model, { output: 'probability' })).toBe('kernel-exact');
    expect(chooseShapMethod(opaque(lr.model), {})).toBe('kernel-exact');
    expect(chooseShapMethod(mlp.model, { method: 'auto' })).toBe('kernel-exact');
    expect(chooseShapMethod(wide.model, {})).toBe('kernel-sampled');
    expect(chooseShapMethod(mlp.model, { method: 'permutation' })).toBe('permutation');
    const background = rowRange(lr.batch, 0, 10);
    const rows = rowRange(lr.batch, 10, 13);
    expect((await shapValues(lr.model, rows, { background })).method).toBe('linear-exact');
    expect((await shapValues(mlp.model, rows, { background })).method).toBe('kernel-exact');
    expect((await shapValues(mlp.model, rows, { background, method: 'permutation' })).method).toBe(
      'permutation',
    );
  });

  it('gives a categorical feature one value: the sum over its one-hot columns of w_j (x_j − mean_B x_j)', async () => {
    const { model, batch } = await syntheticPipeline(3, 'lr');
    const background = rowRange(batch, 0, 20);
    const rows = rowRange(batch, 30, 31);
    const got = await shapValues(model, rows, { background });
    expect(got.features).toEqual(['x0', 'x1', 'colour']);
    // Hand derivation from the fitted coefficients: encoded columns are x0, x1, colour_blue..colour_violet.
    const pipeline = model.pipeline;
    if (pipeline === undefined) throw new Error('fixture has a pipeline');
    const encoder = pipeline.encoder;
    const coef = (pipeline.model as LogisticRegression).coef as Float64Array;
    const X = applyEncoder(encoder, rows);
    const B = applyEncoder(encoder, background);
    let phi = 0;
    for (let c = 2; c < 6; c++) {
      let mu = 0;
      for (let i = 0; i < B.rows; i++) mu += B.data[i * 6 + c];
      phi += coef[c] * (X.data[c] - mu / B.rows);
    }
    expect(Math.abs(got.values[2] - phi)).toBeLessThan(1e-12);
  });

  it('rejects bad input with errors naming the column or option', async () => {
    const { model, batch } = await syntheticPipeline(3, 'mlp');
    const rows = rowRange(batch, 0, 2);
    const background = rowRange(batch, 2, 6);
    const { x1: _dropped, ...rest } = background.columns;
    const missing = { rows: background.rows, columns: rest };
    for (const method of ['kernel-exact', 'permutation'] as const) {
      const err = await shapValues(model, rows, { background: missing, method }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataValidationError);
      expect(String(err)).toMatch(/background .* lack the model's feature column 'x1'/);
    }
    const empty = rowRange(batch, 0, 0);
    await expect(shapValues(model, rows, { background: empty })).rejects.toThrow(
      /'background' option of kernelShap must hold at least 1 row\. Got 0/,
    );
    await expect(
      shapValues(model, rows, { background, method: 'tree' as unknown as 'auto' }),
    ).rejects.toThrow(InvalidParameterError);
    await expect(
      shapValues(model, rows, { background, method: 'tree' as unknown as 'auto' }),
    ).rejects.toThrow(/'method' option of shapValues must be one of .*Got 'tree'/);
    await expect(
      shapValues(model, rows, { background, output: 'odds' as unknown as 'log-odds' }),
    ).rejects.toThrow(/'output' option of shapValues/);
    await expect(shapValues(model, rows, { background, seed: -1 })).rejects.toThrow(
      /'seed' option of kernelShap/,
    );
  });

  it('throws on a broken additivity in an exact method, naming the row, and reports it when sampled', async () => {
    const { model, batch } = await syntheticPipeline(3, 'lr');
    // A model that returns NaN for rows whose x0 > 1: the explanation of such a row cannot add up.
    const broken = {
      features: model.features,
      predictProba: async (b: typeof batch) => {
        const p = await model.predictProba(b);
        const x0 = b.columns.x0 as Float64Array;
        return p.map((v, i) => (x0[i] > 1 ? Number.NaN : v));
      },
    };
    const x0 = batch.columns.x0 as Float64Array;
    const good = Array.from({ length: 40 }, (_, i) => i).filter((i) => x0[i] <= 1);
    const bad = Array.from({ length: 300 }, (_, i) => i).find((i) => x0[i] > 1) as number;
    const background = takeBatchRows(batch, good.slice(0, 8));
    const rows = takeBatchRows(batch, [good[10], bad]);
    await expect(shapValues(broken, rows, { background, method: 'kernel-exact' })).rejects.toThrow(
      /broke additivity.*explained row 2/,
    );
    await expect(shapValues(broken, rows, { background, method: 'permutation' })).rejects.toThrow(
      /explained row 2/,
    );
    const sampled = await shapValues(broken, rows, {
      background,
      method: 'kernel-sampled',
      exact: false,
      nsamples: 4,
    });
    expect(sampled.method).toBe('kernel-sampled');
    expect(Number.isNaN(sampled.additivityError)).toBe(true);
  });
});
