import { describe, expect, it } from 'vitest';
import { hasDenseNetwork } from '../../core/index.js';
import { applyEncoder } from '../../data/index.js';
import { maskedCopies } from '../explainable-model.js';
import { drainUnits, maskPlans } from './coalition-assembly.js';
import { rowRange, syntheticPipeline } from './shap-fixtures.test-suite.js';

// Expected values: each unit's coalition rows built on RAW columns with maskedCopies (no shared code with
// assembleUnit), encoded and scored by the pipeline's own predictProba, then averaged. drainUnits scores the
// same rows by a forward pass over toDenseNetwork(): for logistic regression in LogisticRegression's own
// summation order (so bit for bit), for the MLP through the models' forward pass (mlpPredictProba uses it too);
// the stated tolerance 1e-12 allows for any other summation order.
describe('drainUnits (the coalition worker kernel, run on this thread)', () => {
  for (const kind of ['lr', 'mlp'] as const) {
    it(`equals predictProba on maskedCopies rows, ${kind}`, async () => {
      const { model, batch } = await syntheticPipeline(5, kind);
      const pipeline = model.pipeline;
      if (pipeline === undefined || !hasDenseNetwork(pipeline.model))
        throw new Error('fixture is a pipeline');
      const rows = rowRange(batch, 40, 46);
      const background = rowRange(batch, 0, 7);
      const X = applyEncoder(pipeline.encoder, rows);
      const B = applyEncoder(pipeline.encoder, background);
      let offset = 0;
      const blocks = pipeline.encoder.features.map((f) => {
        const width = f.kind === 'numeric' ? 1 : f.categories.length;
        offset += width;
        return Int32Array.from({ length: width }, (_, k) => offset - width + k);
      });
      // Masks of every size, including all-dropped and all-kept, over the 5 features (model order = encoder order).
      const masks = [0, 1, 6, 9, 21, 30, 31].map((bits) =>
        Uint8Array.from({ length: 5 }, (_, j) => (bits >> j) & 1),
      );
      const units = Int32Array.from({ length: rows.rows * masks.length }, (_, u) => u).reverse();
      const out = new Float64Array(units.length);
      const job = {
        X: X.data,
        B: B.data,
        width: X.cols,
        nm: masks.length,
        plans: maskPlans(blocks, masks),
        units,
      };
      drainUnits({ ...job, network: pipeline.model.toDenseNetwork() }, new Int32Array(1), out, 4);
      let worst = 0;
      for (let k = 0; k < units.length; k++) {
        const r = Math.floor(units[k] / masks.length);
        const mask = masks[units[k] % masks.length];
        const names = model.features.map((f) => f.name);
        const copies = maskedCopies(rows, r, background.rows, (i, column) =>
          mask[names.indexOf(column)] === 1 ? undefined : { batch: background, row: i },
        );
        const p = await model.predictProba(copies);
        let s = 0;
        for (const v of p) s += v;
        worst = Math.max(worst, Math.abs(out[k] - s / p.length));
      }
      expect(worst).toBeLessThan(1e-12);
      if (kind === 'lr') expect(worst).toBe(0);
    });
  }
});
