import { describe, expect, it } from 'vitest';
import { kernelShap } from './kernel-shap.js';
import {
  bruteForceShapley,
  maxAbsDiff,
  opaque,
  rowRange,
  syntheticPipeline,
} from './shap-fixtures.test-suite.js';

// Expected values: bruteForceShapley (the classical formula over all 2^M coalitions, shap-fixtures.test-suite.ts).
// KernelSHAP with all 2^M − 2 coalitions and the Shapley kernel is the Shapley value exactly (Lundberg & Lee
// 2017, Theorem 2), so the tolerance 1e-9 only covers floating-point rounding of the least-squares solve.
describe('kernelShap (exact enumeration)', () => {
  for (const m of [3, 4, 6]) {
    for (const kind of ['lr', 'mlp'] as const) {
      it(`equals brute-force Shapley values, M = ${m}, ${kind}, probability and log-odds`, async () => {
        const { model, batch } = await syntheticPipeline(m, kind);
        const background = rowRange(batch, 0, 12);
        const rows = rowRange(batch, 100, 104);
        for (const output of ['probability', 'log-odds'] as const) {
          const got = await kernelShap(model, rows, { background, output });
          const want = await bruteForceShapley(
            model,
            rows,
            background,
            output === 'probability' ? 'probability' : 'logit-of-mean',
          );
          expect(got.method).toBe('kernel-exact');
          expect(got.values.length).toBe(4 * m); // the categorical column is one feature
          expect(maxAbsDiff(got.values, want.values)).toBeLessThan(1e-9);
          expect(Math.abs(got.baseValue - want.base[0])).toBeLessThan(1e-12);
          expect(maxAbsDiff(got.outputs, want.full)).toBeLessThan(1e-12);
          expect(got.additivityError).toBeLessThan(1e-12);
        }
      });
    }
  }

  it('gives the same values through predictProba on raw columns as through the encoded pipeline path', async () => {
    const { model, batch } = await syntheticPipeline(5, 'mlp');
    const background = rowRange(batch, 0, 7);
    const rows = rowRange(batch, 50, 53);
    const fast = await kernelShap(model, rows, { background });
    const raw = await kernelShap(opaque(model), rows, { background });
    expect(maxAbsDiff(fast.values, raw.values)).toBe(0); // bit for bit: the same matrices reach the model
    expect(fast.baseValue).toBe(raw.baseValue);
  });
});

describe('kernelShap (sampled, M = 13)', () => {
  it('is close to brute force, additive, and bit-identical for a seed', async () => {
    const { model, batch } = await syntheticPipeline(13, 'lr');
    const background = rowRange(batch, 0, 6);
    const rows = rowRange(batch, 200, 202);
    const got = await kernelShap(model, rows, { background, seed: 3 });
    expect(got.method).toBe('kernel-sampled');
    const want = await bruteForceShapley(model, rows, background, 'probability');
    // Tolerance 5e-3 (probability units; the |φ| here reach ~0.1-0.2): shap's budget 2M + 2048 = 2074 enumerates
    // sizes 1-3 and their complements (754 of the 8190 coalitions, ~76% of the kernel mass) and samples 1,320
    // more; an LR is nearly additive in probability over the background's spread, and for an additive model
    // the weighted fit is exact whatever the coalitions, so only the small interaction part carries sampling error.
    // Measured on this fixture over seeds 0-9: max error 0.9e-3 to 2.2e-3 (max |φ| = 0.25); 5e-3 is ~2% of max |φ|.
    expect(maxAbsDiff(got.values, want.values)).toBeLessThan(5e-3);
    expect(got.additivityError).toBeLessThan(1e-12); // the constraint is enforced exactly even when sampling
    const again = await kernelShap(model, rows, { background, seed: 3 });
    expect(Buffer.from(again.values.buffer).equals(Buffer.from(got.values.buffer))).toBe(true);
    const other = await kernelShap(model, rows, { background, seed: 4 });
    expect(maxAbsDiff(other.values, got.values)).toBeGreaterThan(0);
  });
});

// From TypeScript sources (vitest) no worker file exists, so threads: 2 falls back to this thread's predictProba
// path: the same bits as threads: 1. test/explain-shap-threads.test.ts compares 1 vs 2 on the built package.
describe('kernelShap threads option (from sources)', () => {
  it('gives the threads: 1 bits with threads: 2 and rejects other values', async () => {
    const { model, batch } = await syntheticPipeline(4, 'lr');
    const background = rowRange(batch, 0, 5);
    const rows = rowRange(batch, 20, 23);
    const one = await kernelShap(model, rows, { background, threads: 1 });
    const two = await kernelShap(model, rows, { background, threads: 2 });
    expect(Buffer.from(two.values.buffer).equals(Buffer.from(one.values.buffer))).toBe(true);
    await expect(kernelShap(model, rows, { background, threads: 0 as 1 })).rejects.toThrow(
      "The 'threads' option of kernelShap must be 1 or 2. Got 0 instead.",
    );
  });
});
