import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { allCoalitions, binomial, sampledCoalitions } from './kernel-coalitions.js';

const size = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);

describe('KernelSHAP coalitions', () => {
  it('enumerates all 2^M − 2 coalitions with the Shapley kernel weight', () => {
    const { masks, weights, exact } = allCoalitions(5);
    expect(exact).toBe(true);
    expect(masks.length).toBe(30);
    expect(new Set(masks.map((m) => m.join(''))).size).toBe(30);
    // π(z) = (M − 1)/(C(M,|z|)|z|(M − |z|)): |z| = 1 → 4/(5·1·4) = 0.2, |z| = 2 → 4/(10·2·3) = 1/15 (by hand).
    masks.forEach((m, k) => {
      expect(weights[k]).toBeCloseTo(size(m) === 1 || size(m) === 4 ? 0.2 : 1 / 15, 15);
    });
  });

  it("follows shap's budget split for M = 13 and nsamples = 2M + 2048 = 2074", () => {
    // Hand derivation (shap's KernelExplainer scheme): size masses ∝ 2·12/(s(13 − s)) for s = 1..6 give
    // p = [.3491, .1904, .1396, .1164, .1047, .0997]. s = 1: 2074·.3491/26 = 27.8 ≥ 1 → enumerate 26;
    // s = 2: 2048·.2925/156 = 3.84 → enumerate 156; s = 3: 1892·.3032/572 = 1.003 → enumerate 572;
    // s = 4: 1320·.3628/1430 = 0.33 < 1 → sample the remaining 1,320 from sizes 4-9.
    const { masks, weights, exact } = sampledCoalitions(13, 2074, new Rng(0));
    expect(exact).toBe(false);
    const fixed = masks.slice(0, 754);
    for (const s of [1, 2, 3]) {
      expect(fixed.filter((m) => size(m) === s).length).toBe(binomial(13, s));
      expect(fixed.filter((m) => size(m) === 13 - s).length).toBe(binomial(13, s));
    }
    for (const m of masks.slice(754)) expect(size(m) >= 4 && size(m) <= 9).toBe(true);
    expect(masks.length).toBeLessThanOrEqual(2074);
    expect(masks.length).toBeGreaterThan(2000);
    expect(new Set(masks.map((m) => m.join(''))).size).toBe(masks.length);
    // The weights are a distribution over sizes: the enumerated ones carry their own mass, the rest the remainder.
    const total = weights.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    const fixedMass = weights.slice(0, 754).reduce((a, b) => a + b, 0);
    const mass = [1, 2, 3, 4, 5, 6].map((s) => 12 / (s * (13 - s)));
    const norm = mass.reduce((a, b) => a + b, 0);
    expect(Math.abs(fixedMass - (mass[0] + mass[1] + mass[2]) / norm)).toBeLessThan(1e-12);
  });

  it('gives every coalition and its complement together (antithetic pairs)', () => {
    // M odd: every size s < M/2 is paired with M − s (for even M the middle size M/2 is drawn unpaired, as in shap).
    const { masks } = sampledCoalitions(15, 500, new Rng(2));
    const keys = new Set(masks.map((m) => m.join('')));
    let paired = 0;
    for (const m of masks) if (keys.has(m.map((v) => 1 - v).join(''))) paired++;
    expect(paired).toBeGreaterThanOrEqual(masks.length - 1); // the last draw may lack its complement
  });
});
