import { describe, expect, it } from 'vitest';
import { DataValidationError, NotFittedError, Rng } from '../../core/index.js';
import { EqOddsPostprocessing } from './eq-odds.js';

/** Rows with given scores per (privileged, label) cell. */
function rows(cells: { priv: number; label: number; scores: number[] }[]) {
  const scores: number[] = [];
  const labels: number[] = [];
  const privileged: number[] = [];
  for (const c of cells) {
    for (const s of c.scores) {
      scores.push(s);
      labels.push(c.label);
      privileged.push(c.priv);
    }
  }
  return {
    scores: Float64Array.from(scores),
    labels: Uint8Array.from(labels),
    privileged: Uint8Array.from(privileged),
  };
}

describe('EqOddsPostprocessing', () => {
  it('matches a hand-derived optimum', () => {
    // Privileged: TPR 0.8, FPR 0.2. Unprivileged: TPR 0.6, FPR 0.2. The unprivileged ROC region lies inside
    // the privileged one, so the optimum is the unprivileged classifier itself (1, 0) at (FPR, TPR) = (0.2, 0.6),
    // reached by the privileged group with p (0.2, 0.8) + q (0.8, 0.2) = (0.2, 0.6): p = 11/15, q = 1/15.
    // Objective Σ_g (FPR' + FNR') = 2 (0.2 + 0.4) = 1.2.
    const d = rows([
      { priv: 1, label: 1, scores: [0.9, 0.9, 0.9, 0.9, 0.1] },
      { priv: 1, label: 0, scores: [0.9, 0.1, 0.1, 0.1, 0.1] },
      { priv: 0, label: 1, scores: [0.9, 0.9, 0.9, 0.1, 0.1] },
      { priv: 0, label: 0, scores: [0.9, 0.1, 0.1, 0.1, 0.1] },
    ]);
    const s = new EqOddsPostprocessing().fit(d.scores, d.labels, d.privileged).summary;
    expect(s.unprivileged.positiveToPositive).toBeCloseTo(1, 12);
    expect(s.unprivileged.negativeToPositive).toBeCloseTo(0, 12);
    expect(s.privileged.positiveToPositive).toBeCloseTo(11 / 15, 12);
    expect(s.privileged.negativeToPositive).toBeCloseTo(1 / 15, 12);
    expect(s.objectiveValue).toBeCloseTo(1.2, 12);
    expect(s.truePositiveRate).toBeCloseTo(0.6, 12);
    expect(s.falsePositiveRate).toBeCloseTo(0.2, 12);
  });

  it('equalises expected TPR and FPR on random data and samples reproducibly', () => {
    const rng = new Rng(2);
    const n = 500;
    const scores = new Float64Array(n);
    const labels = new Uint8Array(n);
    const privileged = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      privileged[i] = rng.next() < 0.5 ? 1 : 0;
      labels[i] = rng.next() < 0.4 ? 1 : 0;
      scores[i] = Math.min(1, 0.3 * labels[i] + 0.2 * privileged[i] + 0.5 * rng.next());
    }
    const eo = new EqOddsPostprocessing().fit(scores, labels, privileged);
    const proba = eo.predictProba(scores, privileged);
    const rate = (g: number, y: number) => {
      let s = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        if (privileged[i] === g && labels[i] === y) {
          s += proba[i];
          c++;
        }
      }
      return s / c;
    };
    // Tolerance 1e-9: equal by the LP's equality constraints, up to rounding.
    expect(Math.abs(rate(1, 1) - rate(0, 1))).toBeLessThan(1e-9);
    expect(Math.abs(rate(1, 0) - rate(0, 0))).toBeLessThan(1e-9);
    expect(rate(1, 1)).toBeCloseTo(eo.summary.truePositiveRate, 12);
    expect(eo.predict(scores, privileged, 5)).toEqual(eo.predict(scores, privileged, 5));
  });

  it('rejects a group with no positives and use before fit', () => {
    const d = rows([
      { priv: 1, label: 1, scores: [0.9] },
      { priv: 1, label: 0, scores: [0.2] },
      { priv: 0, label: 0, scores: [0.4, 0.7] },
    ]);
    expect(() => new EqOddsPostprocessing().fit(d.scores, d.labels, d.privileged)).toThrow(
      DataValidationError,
    );
    expect(() => new EqOddsPostprocessing().predict(d.scores, d.privileged)).toThrow(NotFittedError);
  });
});
