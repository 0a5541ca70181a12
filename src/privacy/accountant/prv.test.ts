import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { prvEpsilon } from './prv.js';
import { sharedRoot } from './reference-cases.test-suite.js';

// Expected values: ../shared/reference/privacy/prv.json, Opacus 1.5.4 @4d0ebc84 PRVAccountant.get_epsilon
// (eps_error 0.01, delta_error δ/1000) and DiscretePRV.compute_epsilon's (eps_lower, eps_estimate, eps_upper).
// Tolerance: 1e-6 relative on all three (the README's bound for a port that follows Opacus's algorithm;
// the FFT, the quadrature of the mean and erfc differ from numpy/scipy's at the 1e-16 level, which the
// T-fold composition amplifies), and the estimate must lie in [eps_lower, eps_upper].
interface PrvCase {
  id: string;
  noise_multiplier: number;
  sample_rate: number;
  steps: number;
  delta: number;
  eps_lower: number;
  eps_estimate: number;
  eps_upper: number;
  rdp_epsilon: number;
}
const cases = JSON.parse(
  readFileSync(resolve(sharedRoot, 'reference/privacy/prv.json'), 'utf8'),
) as PrvCase[];
let worst = 0;
afterAll(() => console.info(`largest relative error of eps_upper vs Opacus PRV: ${worst}`));

describe('prvEpsilon against Opacus PRVAccountant (prv.json)', () => {
  it('finds the 4 PRV cases', () => {
    expect(cases).toHaveLength(4);
  });

  for (const c of cases) {
    it(`${c.id}: eps_upper, eps_estimate and eps_lower to 1e-6 relative; tighter than RDP`, () => {
      const r = prvEpsilon({
        noiseMultiplier: c.noise_multiplier,
        sampleRate: c.sample_rate,
        steps: c.steps,
        delta: c.delta,
      });
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      worst = Math.max(worst, rel(r.epsilon, c.eps_upper));
      expect(r.epsilon).toBe(r.epsilonUpper);
      expect(rel(r.epsilonUpper, c.eps_upper)).toBeLessThanOrEqual(1e-6);
      expect(rel(r.epsilonEstimate, c.eps_estimate)).toBeLessThanOrEqual(1e-6);
      expect(rel(r.epsilonLower, c.eps_lower)).toBeLessThanOrEqual(1e-6);
      expect(r.epsilonEstimate).toBeGreaterThanOrEqual(c.eps_lower);
      expect(r.epsilonEstimate).toBeLessThanOrEqual(c.eps_upper);
      expect(r.epsilon).toBeLessThan(c.rdp_epsilon);
    });
  }

  it('validates its options', () => {
    const ok = { noiseMultiplier: 1, sampleRate: 0.01, steps: 10, delta: 1e-5 };
    expect(() => prvEpsilon({ ...ok, noiseMultiplier: 0 })).toThrow(InvalidParameterError);
    expect(() => prvEpsilon({ ...ok, sampleRate: 0 })).toThrow(/'sampleRate' option of prvEpsilon/);
    expect(() => prvEpsilon({ ...ok, delta: 2 })).toThrow(/'delta'/);
    expect(() => prvEpsilon({ ...ok, deltaError: 1e-4 })).toThrow(/'deltaError'.*\(0, delta\)/);
    expect(() => prvEpsilon({ ...ok, epsError: -1 })).toThrow(/'epsError'/);
  });
});
