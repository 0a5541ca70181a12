import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { computeRdp, epsilonForSgm, OPACUS_DEFAULT_ORDERS, rdpToEpsilon } from './rdp.js';
import { RdpAccountant, restoreRdpAccountant } from './rdp-accountant.js';
import { type EpsilonCase, privacyReference, relativeError } from './reference-cases.test-suite.js';

// Expected: the opacus_unit_test case of ../shared/reference/privacy/rdp.json (Opacus test_rdp_accountant:
// σ = 1.5, q = 0.04, 2250 steps, ε = 7.3291111714386545 at δ = 1e-5), tolerance 1e-9 relative.
const unitTest = privacyReference().find((c) => c.id === 'opacus_unit_test') as EpsilonCase;

describe('RdpAccountant', () => {
  it('reproduces Opacus test_rdp_accountant step by step (1e-9 relative, α exact)', () => {
    const acc = new RdpAccountant();
    for (let i = 0; i < unitTest.steps; i++) acc.step({ noiseMultiplier: 1.5, sampleRate: 0.04 });
    expect(acc.history).toEqual([{ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 }]);
    const r = acc.getEpsilon(unitTest.delta);
    expect(relativeError(r.epsilon, unitTest.epsilon as number)).toBeLessThanOrEqual(1e-9);
    expect(r.alpha).toBe(unitTest.best_alpha);
  });

  it('compacts identical consecutive steps only, and sums RDP over the history', () => {
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1, sampleRate: 0.01 });
    acc.step({ noiseMultiplier: 1, sampleRate: 0.01, steps: 9 });
    acc.step({ noiseMultiplier: 2, sampleRate: 0.01 });
    acc.step({ noiseMultiplier: 1, sampleRate: 0.01 });
    expect(acc.history.map((h) => h.steps)).toEqual([10, 1, 1]);
    expect(acc.totalSteps).toBe(12);
    const a = computeRdp(0.01, 1, 10, OPACUS_DEFAULT_ORDERS);
    const b = computeRdp(0.01, 2, 1, OPACUS_DEFAULT_ORDERS);
    const c = computeRdp(0.01, 1, 1, OPACUS_DEFAULT_ORDERS);
    const sum = a.map((v, k) => v + b[k] + c[k]);
    expect(Array.from(acc.rdp())).toEqual(Array.from(sum));
    expect(acc.getEpsilon(1e-5)).toEqual(rdpToEpsilon(OPACUS_DEFAULT_ORDERS, sum, 1e-5));
  });

  it('matches epsilonForSgm for one run of identical steps, bit for bit', () => {
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1.1, sampleRate: 0.02, steps: 500 });
    expect(acc.getEpsilon(1e-6)).toEqual(
      epsilonForSgm({ noiseMultiplier: 1.1, sampleRate: 0.02, steps: 500, delta: 1e-6 }),
    );
  });

  it('reports ε = 0 before any step, ∞ after a step without noise, and forgets on reset', () => {
    const acc = new RdpAccountant();
    expect(acc.getEpsilon(1e-5).epsilon).toBe(0);
    acc.step({ noiseMultiplier: 0, sampleRate: 0.1 });
    expect(acc.getEpsilon(1e-5).epsilon).toBe(Number.POSITIVE_INFINITY);
    acc.reset();
    expect(acc.history).toEqual([]);
  });

  it('history is a copy, and restoreRdpAccountant rebuilds an equal accountant', () => {
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1, sampleRate: 0.1, steps: 3 });
    acc.history[0].steps = 99;
    expect(acc.history[0].steps).toBe(3);
    const again = restoreRdpAccountant(acc.history);
    expect(again.getEpsilon(1e-5)).toEqual(acc.getEpsilon(1e-5));
  });

  it('validates steps, orders and δ', () => {
    const acc = new RdpAccountant();
    expect(() => acc.step({ noiseMultiplier: -1, sampleRate: 0.1 })).toThrow(InvalidParameterError);
    expect(() => acc.step({ noiseMultiplier: 1, sampleRate: 0 })).toThrow(
      /'sampleRate' option of RdpAccountant.step/,
    );
    expect(() => acc.step({ noiseMultiplier: 1, sampleRate: 0.1, steps: 0 })).toThrow(/'steps'/);
    expect(() => acc.getEpsilon(0)).toThrow(/'delta' option of RdpAccountant.getEpsilon must be in \(0, 1\)/);
    expect(() => new RdpAccountant({ orders: [0.5] })).toThrow(/'orders\[0\]'/);
  });
});
