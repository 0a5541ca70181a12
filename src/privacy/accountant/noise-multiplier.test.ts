import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { noiseMultiplierFor } from './noise-multiplier.js';
import { epsilonForSgm } from './rdp.js';
import { type InverseCase, privacyReference, relativeError } from './reference-cases.test-suite.js';

// Expected values: ../shared/reference/privacy/rdp.json `kind: "inverse"` cases, computed by Opacus 1.5.4
// @4d0ebc84 get_noise_multiplier(accountant="rdp", epsilon_tolerance=0.01). The search returns a dyadic
// multiple of 20, so the tolerance is exact equality; ε at that σ to 1e-9 relative.
const cases = privacyReference().filter((c): c is InverseCase => c.kind === 'inverse');

describe('noiseMultiplierFor against Opacus get_noise_multiplier (rdp.json)', () => {
  it('finds the 2 inverse cases', () => {
    expect(cases).toHaveLength(2);
  });

  for (const c of cases) {
    it(`${c.id}: σ = ${c.noise_multiplier} exactly`, () => {
      const sigma = noiseMultiplierFor({
        targetEpsilon: c.target_epsilon,
        delta: c.delta,
        sampleRate: c.sample_rate,
        steps: c.steps,
        epsilonTolerance: c.epsilon_tolerance,
      });
      expect(sigma).toBe(c.noise_multiplier);
      const at = epsilonForSgm({
        noiseMultiplier: sigma,
        sampleRate: c.sample_rate,
        steps: c.steps,
        delta: c.delta,
      });
      expect(relativeError(at.epsilon, c.epsilon_at_noise_multiplier)).toBeLessThanOrEqual(1e-9);
      expect(at.alpha).toBe(c.best_alpha_at_noise_multiplier);
    });
  }

  it('never overshoots the target and lands within the tolerance below it', () => {
    const opts = { targetEpsilon: 3, delta: 1e-5, sampleRate: 0.01, steps: 5000 };
    const sigma = noiseMultiplierFor(opts);
    const { epsilon } = epsilonForSgm({ noiseMultiplier: sigma, sampleRate: 0.01, steps: 5000, delta: 1e-5 });
    expect(epsilon).toBeLessThanOrEqual(3);
    expect(3 - epsilon).toBeLessThanOrEqual(0.01);
  });

  it('reports a budget too low to reach as InvalidParameterError', () => {
    const run = () => noiseMultiplierFor({ targetEpsilon: 1e-9, delta: 1e-12, sampleRate: 1, steps: 1000 });
    expect(run).toThrow(InvalidParameterError);
    expect(run).toThrow(/privacy budget is too low/);
  });

  it('validates its options', () => {
    const ok = { targetEpsilon: 1, delta: 1e-5, sampleRate: 0.01, steps: 100 };
    expect(() => noiseMultiplierFor({ ...ok, targetEpsilon: 0 })).toThrow(
      "The 'targetEpsilon' option of noiseMultiplierFor must be a finite number > 0. Got 0 instead.",
    );
    expect(() => noiseMultiplierFor({ ...ok, delta: 1 })).toThrow(/'delta'.*in \(0, 1\)/);
    expect(() => noiseMultiplierFor({ ...ok, sampleRate: 0 })).toThrow(/'sampleRate'.*in \(0, 1\]/);
    expect(() => noiseMultiplierFor({ ...ok, steps: -3 })).toThrow(/'steps'.*integer >= 1/);
    expect(() => noiseMultiplierFor({ ...ok, epsilonTolerance: 0 })).toThrow(/'epsilonTolerance'/);
  });
});
