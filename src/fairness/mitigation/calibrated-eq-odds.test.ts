import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError, NotFittedError } from '../../core/index.js';
import { CalibratedEqOddsPostprocessing } from './calibrated-eq-odds.js';

// Hand-derived case. Privileged: labels [1,1,0,0], scores [0.9,0.7,0.3,0.1]: μ = 0.5, GFPR = 0.2, GFNR = 0.2.
// Unprivileged: labels [1,0,0,0], scores [0.6,0.4,0.2,0.2]: μ = 0.25, GFPR = 0.8/3, GFNR = 0.4.
const scores = Float64Array.from([0.9, 0.7, 0.3, 0.1, 0.6, 0.4, 0.2, 0.2]);
const labels = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 0]);
const privileged = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]);

describe('CalibratedEqOddsPostprocessing', () => {
  it("'weighted': the privileged group (cost 0.1 < 0.15) mixes with α = (0.15 − 0.1) / (0.25 − 0.1) = 1/3", () => {
    const s = new CalibratedEqOddsPostprocessing().fit(scores, labels, privileged).summary;
    expect(s.privileged.cost).toBeCloseTo(0.1, 15);
    expect(s.unprivileged.cost).toBeCloseTo(0.15, 15);
    expect(s.privileged.trivialCost).toBeCloseTo(0.25, 15);
    expect(s.privileged.mixRate).toBeCloseTo(1 / 3, 14);
    expect(s.unprivileged.mixRate).toBe(0);
    expect(s.warnings).toEqual([]);
    // Privileged μ = 0.5 ≥ 0.5, so a mixed row is favourable: P(ŷ=1) = 1 above 0.5 and α below.
    const proba = new CalibratedEqOddsPostprocessing()
      .fit(scores, labels, privileged)
      .predictProba(scores, privileged);
    expect(proba[0]).toBeCloseTo(1, 15);
    expect(proba[2]).toBeCloseTo(1 / 3, 14);
    expect(proba[4]).toBe(1);
    expect(proba[5]).toBe(0);
  });

  it("'fpr' gives α = (0.8/3 − 0.2) / (0.5 − 0.2) = 2/9 and 'fnr' α = (0.4 − 0.2) / (0.5 − 0.2) = 2/3", () => {
    const fpr = new CalibratedEqOddsPostprocessing({ costConstraint: 'fpr' }).fit(scores, labels, privileged);
    expect(fpr.summary.privileged.mixRate).toBeCloseTo(2 / 9, 14);
    const fnr = new CalibratedEqOddsPostprocessing({ costConstraint: 'fnr' }).fit(scores, labels, privileged);
    expect(fnr.summary.privileged.mixRate).toBeCloseTo(2 / 3, 14);
  });

  it('flags a group whose selection rate becomes 0 (the AIF360-on-Adult pitfall)', () => {
    // Privileged scores are inverted (weighted cost 0.425); the unprivileged group (cost 0.05, trivial 0.1875)
    // would need α = 0.375 / 0.1375 > 1: all its scores become μ = 0.25 < 0.5, so nobody is selected.
    const s2 = Float64Array.from([0.1, 0.2, 0.9, 0.8, 0.9, 0.1, 0.1, 0.1]);
    const fit = new CalibratedEqOddsPostprocessing().fit(s2, labels, privileged);
    expect(fit.summary.unprivileged.mixRate).toBe(1);
    expect(fit.summary.unprivileged.selectionRate).toBe(0);
    expect(fit.summary.zeroSelectionGroups).toEqual(['unprivileged']);
    expect(fit.summary.warnings.join(' ')).toMatch(/cannot equalise the weighted cost/);
    expect(fit.summary.warnings.join(' ')).toMatch(/unprivileged group no positive decisions/);
    expect(Array.from(fit.predict(s2, privileged, 3).subarray(4))).toEqual([0, 0, 0, 0]);
  });

  it('samples reproducibly and rejects bad input', () => {
    const fit = new CalibratedEqOddsPostprocessing().fit(scores, labels, privileged);
    expect(fit.predict(scores, privileged, 9)).toEqual(fit.predict(scores, privileged, 9));
    expect(() =>
      new CalibratedEqOddsPostprocessing({ costConstraint: 'x' as never }).fit(scores, labels, privileged),
    ).toThrow(InvalidParameterError);
    const noPos = Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(() => new CalibratedEqOddsPostprocessing().fit(scores, noPos, privileged)).toThrow(
      DataValidationError,
    );
    expect(() => new CalibratedEqOddsPostprocessing().predict(scores, privileged)).toThrow(NotFittedError);
  });
});
