import { afterAll, describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { computeRdp, epsilonForSgm, OPACUS_DEFAULT_ORDERS, rdpToEpsilon } from './rdp.js';
import { type EpsilonCase, privacyReference, relativeError } from './reference-cases.test-suite.js';

// Expected values: ../shared/reference/privacy/rdp.json, computed by Opacus 1.5.4 @4d0ebc84 (compute_rdp +
// get_privacy_spent with RDPAccountant.DEFAULT_ALPHAS; see that folder's README.md).
// Tolerances (the README's): ε ≤ 1e-9 relative, best α exact, RDP at the listed orders ≤ 1e-8 relative.
const cases = privacyReference().filter((c): c is EpsilonCase => c.kind === 'epsilon');
const worst = { epsilon: 0, rdp: 0 };
afterAll(() => console.info(`largest relative error vs Opacus: ${JSON.stringify(worst)}`));

describe('OPACUS_DEFAULT_ORDERS', () => {
  it('holds 1.1 … 10.9 then 12 … 63 (151 orders, no 11), the fractional ones equal to their decimal literals', () => {
    expect(OPACUS_DEFAULT_ORDERS).toHaveLength(151);
    expect(OPACUS_DEFAULT_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(OPACUS_DEFAULT_ORDERS[98]).toBe(10.9);
    expect(OPACUS_DEFAULT_ORDERS.slice(99, 101)).toEqual([12, 13]);
    expect(OPACUS_DEFAULT_ORDERS.at(-1)).toBe(63);
    expect(OPACUS_DEFAULT_ORDERS).not.toContain(11);
    expect(OPACUS_DEFAULT_ORDERS.filter((a) => Number.isInteger(a))).toHaveLength(9 + 52);
  });
});

describe('epsilonForSgm against Opacus (rdp.json)', () => {
  it('finds the 12 epsilon cases', () => {
    expect(cases).toHaveLength(12);
  });

  for (const c of cases) {
    it(`${c.id}: ε to 1e-9 relative and the best order exactly`, () => {
      const r = epsilonForSgm({
        noiseMultiplier: c.noise_multiplier,
        sampleRate: c.sample_rate,
        steps: c.steps,
        delta: c.delta,
      });
      const expected = c.epsilon === 'Infinity' ? Number.POSITIVE_INFINITY : c.epsilon;
      const err = relativeError(r.epsilon, expected);
      worst.epsilon = Math.max(worst.epsilon, err);
      expect(err).toBeLessThanOrEqual(1e-9);
      expect(r.alpha).toBe(c.best_alpha);
      const i = OPACUS_DEFAULT_ORDERS.indexOf(r.alpha);
      expect(i === 0 || i === OPACUS_DEFAULT_ORDERS.length - 1).toBe(c.best_alpha_at_boundary);
    });
  }

  for (const c of cases.filter((x) => x.rdp !== undefined)) {
    it(`${c.id}: total RDP at orders 1.5, 2, 3.5, 8, 32, 256 to 1e-8 relative`, () => {
      const keys = Object.keys(c.rdp as Record<string, number>);
      const got = computeRdp(c.sample_rate, c.noise_multiplier, c.steps, keys.map(Number));
      keys.forEach((k, i) => {
        const err = relativeError(got[i], (c.rdp as Record<string, number>)[k]);
        worst.rdp = Math.max(worst.rdp, err);
        expect(err, `order ${k}`).toBeLessThanOrEqual(1e-8);
      });
    });
  }
});

describe('computeRdp and rdpToEpsilon', () => {
  it('gives α/(2σ²)·steps without subsampling (q = 1), the Gaussian mechanism (hand derivation)', () => {
    const r = computeRdp(1, 2, 3, [2, 2.5, 10]);
    expect(Array.from(r)).toEqual([(2 / 8) * 3, (2.5 / 8) * 3, (10 / 8) * 3]);
  });

  it('is exactly linear in steps (per-step RDP × steps)', () => {
    const one = computeRdp(0.01, 1.2, 1, OPACUS_DEFAULT_ORDERS);
    const many = computeRdp(0.01, 1.2, 777, OPACUS_DEFAULT_ORDERS);
    for (let k = 0; k < one.length; k++) expect(many[k]).toBe(one[k] * 777);
  });

  it('returns +∞ RDP at every order and (∞, first order: ties go to the first index) for σ = 0, as Opacus', () => {
    const r = computeRdp(0.5, 0, 10, [1.5, 2]);
    expect(Array.from(r)).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(rdpToEpsilon([1.5, 2], r, 1e-5)).toEqual({ epsilon: Number.POSITIVE_INFINITY, alpha: 1.5 });
  });

  it('ignores NaN orders and returns (∞, NaN) when all are NaN (Opacus nanargmin)', () => {
    expect(rdpToEpsilon([2, 3], [Number.NaN, 1], 1e-5).alpha).toBe(3);
    const all = rdpToEpsilon([2, 3], [Number.NaN, Number.NaN], 1e-5);
    expect(all.epsilon).toBe(Number.POSITIVE_INFINITY);
    expect(all.alpha).toBeNaN();
  });
});

describe('validation', () => {
  const ok = { noiseMultiplier: 1, sampleRate: 0.01, steps: 10, delta: 1e-5 };
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['sample rate 0', { sampleRate: 0 }, /'sampleRate' option of epsilonForSgm must be in \(0, 1\]. Got 0/],
    ['sample rate > 1', { sampleRate: 1.5 }, /'sampleRate'.*in \(0, 1\]/],
    ['sample rate NaN', { sampleRate: Number.NaN }, /'sampleRate'.*Got NaN/],
    ['negative noise', { noiseMultiplier: -1 }, /'noiseMultiplier'.*>= 0. Got -1/],
    ['infinite noise', { noiseMultiplier: Number.POSITIVE_INFINITY }, /'noiseMultiplier'/],
    ['fractional steps', { steps: 2.5 }, /'steps'.*an integer >= 1. Got 2.5/],
    ['zero steps', { steps: 0 }, /'steps'.*an integer >= 1/],
    ['δ = 0', { delta: 0 }, /'delta'.*in \(0, 1\). Got 0/],
    ['δ = 1', { delta: 1 }, /'delta'.*in \(0, 1\). Got 1/],
    ['order 1', { orders: [1, 2] }, /'orders\[0\]'.*> 1/],
    ['no orders', { orders: [] }, /'orders'/],
  ];
  for (const [what, patch, message] of bad) {
    it(`rejects ${what} with InvalidParameterError`, () => {
      expect(() => epsilonForSgm({ ...ok, ...patch } as typeof ok)).toThrow(InvalidParameterError);
      expect(() => epsilonForSgm({ ...ok, ...patch } as typeof ok)).toThrow(message);
    });
  }

  it('rejects an rdp array of the wrong length', () => {
    expect(() => rdpToEpsilon([2, 3], [1], 1e-5)).toThrow(/one value per order \(2\)/);
  });
});

describe('epsilonForSgm skips orders that cannot be the minimum', () => {
  it('gives exactly the ε and α of the full computation over every default order (grid of σ, q, steps, δ)', () => {
    // Reference: rdpToEpsilon over computeRdp at all 151 orders, which the pruned path must reproduce bit for bit.
    for (const noiseMultiplier of [0, 0.3, 0.5, 0.8, 1, 1.5, 4, 10]) {
      for (const sampleRate of [1e-4, 0.004, 0.04, 0.3, 1]) {
        for (const steps of [1, 100, 10_000]) {
          for (const delta of [1e-3, 1e-5, 1e-9]) {
            const full = rdpToEpsilon(
              OPACUS_DEFAULT_ORDERS,
              computeRdp(sampleRate, noiseMultiplier, steps, OPACUS_DEFAULT_ORDERS),
              delta,
            );
            const pruned = epsilonForSgm({ noiseMultiplier, sampleRate, steps, delta });
            expect(pruned, JSON.stringify({ noiseMultiplier, sampleRate, steps, delta })).toEqual(full);
          }
        }
      }
    }
  });
});
