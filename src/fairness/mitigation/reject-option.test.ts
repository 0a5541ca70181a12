import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError, NotFittedError, Rng } from '../../core/index.js';
import { RejectOptionClassification } from './reject-option.js';
import { linspace, type RocMetric } from './reject-option-search.js';

/** Random scores where privileged rows and positive labels score higher, so the bound binds. */
function randomRows(n: number, seed: number) {
  const rng = new Rng(seed);
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  const privileged = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    privileged[i] = rng.next() < 0.6 ? 1 : 0;
    labels[i] = rng.next() < (privileged[i] ? 0.45 : 0.25) ? 1 : 0;
    const z = 0.3 * labels[i] + 0.15 * privileged[i] + 0.35 * rng.next();
    // Round to a coarse grid so ties and scores equal to thresholds occur.
    scores[i] = Math.round(Math.min(1, z) * 50) / 50;
  }
  return { scores, labels, privileged };
}

/** AIF360's loop written out literally: predict every candidate row by row, then compute the metrics. */
function bruteForce(
  scores: Float64Array,
  labels: Uint8Array,
  privileged: Uint8Array,
  metric: RocMetric,
  numT: number,
  numM: number,
) {
  let best: { t: number; m: number; acc: number } | undefined;
  for (const t of linspace(0.01, 0.99, numT)) {
    for (const m of linspace(0, t <= 0.5 ? t : 1 - t, numM)) {
      const c = { up: 0, un: 0, pp: 0, pn: 0 };
      const tot = { up: 0, un: 0, pp: 0, pn: 0 };
      for (let i = 0; i < scores.length; i++) {
        let y = scores[i] > t ? 1 : 0;
        if (scores[i] <= t + m && scores[i] > t - m) y = privileged[i] ? 0 : 1;
        const key = `${privileged[i] ? 'p' : 'u'}${labels[i] ? 'p' : 'n'}` as keyof typeof c;
        tot[key]++;
        c[key] += y;
      }
      const tpr = (c.up + c.pp) / (tot.up + tot.pp);
      const tnr = (tot.un + tot.pn - (c.un + c.pn)) / (tot.un + tot.pn);
      const acc = 0.5 * (tpr + tnr);
      const tprDiff = c.up / tot.up - c.pp / tot.pp;
      const fprDiff = c.un / tot.un - c.pn / tot.pn;
      const value =
        metric === 'statistical_parity_difference'
          ? (c.up + c.un) / (tot.up + tot.un) - (c.pp + c.pn) / (tot.pp + tot.pn)
          : metric === 'equal_opportunity_difference'
            ? tprDiff
            : 0.5 * (fprDiff + tprDiff);
      if (value >= -0.05 && value <= 0.05 && (best === undefined || acc > best.acc)) best = { t, m, acc };
    }
  }
  return best;
}

describe('RejectOptionClassification', () => {
  const metrics: RocMetric[] = [
    'statistical_parity_difference',
    'average_odds_difference',
    'equal_opportunity_difference',
  ];
  for (const metric of metrics) {
    it(`matches a brute-force search exactly (${metric})`, () => {
      for (const seed of [1, 2, 3]) {
        const { scores, labels, privileged } = randomRows(300, seed);
        const expected = bruteForce(scores, labels, privileged, metric, 40, 20);
        expect(expected).toBeDefined();
        const roc = new RejectOptionClassification({ metric, numClassThresholds: 40, numRocMargins: 20 });
        const s = roc.fit(scores, labels, privileged).summary;
        expect(s.constraintMet).toBe(true);
        expect(s.classificationThreshold).toBe(expected?.t);
        expect(s.rocMargin).toBe(expected?.m);
        expect(s.balancedAccuracy).toBe(expected?.acc);
        expect(s.metricValue).toBeGreaterThanOrEqual(-0.05);
        expect(s.metricValue).toBeLessThanOrEqual(0.05);
        // Predictions: the rule of the paper, written row by row.
        const { classificationThreshold: t, rocMargin: m } = s;
        const pred = roc.predict(scores, privileged);
        for (let i = 0; i < scores.length; i++) {
          const inRegion = scores[i] > t - m && scores[i] <= t + m;
          expect(pred[i]).toBe(inRegion ? (privileged[i] ? 0 : 1) : scores[i] > t ? 1 : 0);
        }
      }
    });
  }

  it('uses the AIF360 defaults (100 thresholds x 50 margins)', () => {
    const { scores, labels, privileged } = randomRows(200, 7);
    const s = new RejectOptionClassification().fit(scores, labels, privileged).summary;
    expect(s.candidates).toBe(5000);
    const expected = bruteForce(scores, labels, privileged, 'statistical_parity_difference', 100, 50);
    expect([s.classificationThreshold, s.rocMargin]).toEqual([expected?.t, expected?.m]);
  });

  it('flags an unreachable bound and falls back to the candidate closest to parity', () => {
    const { scores, labels, privileged } = randomRows(200, 4);
    const roc = new RejectOptionClassification({ metricLower: 1.01, metricUpper: 2 });
    const s = roc.fit(scores, labels, privileged).summary;
    expect(s.constraintMet).toBe(false);
    expect(s.warnings[0]).toMatch(/no threshold and margin keep statistical_parity_difference/);
  });

  it('rejects bad options and data with clear errors', () => {
    const { scores, labels, privileged } = randomRows(50, 5);
    expect(() =>
      new RejectOptionClassification({ metricLower: 0, metricUpper: -0.1 }).fit(scores, labels, privileged),
    ).toThrow(
      "The 'metricUpper' option of RejectOptionClassification must be > metricLower. Got -0.1 instead.",
    );
    expect(() =>
      new RejectOptionClassification({ lowClassThreshold: 0.6, highClassThreshold: 0.4 }).fit(
        scores,
        labels,
        privileged,
      ),
    ).toThrow(InvalidParameterError);
    expect(() =>
      new RejectOptionClassification({ numRocMargins: 0 }).fit(scores, labels, privileged),
    ).toThrow(InvalidParameterError);
    const bad = scores.slice();
    bad[3] = 1.5;
    expect(() => new RejectOptionClassification().fit(bad, labels, privileged)).toThrow(/row 4 has 1.5/);
    const noUnprivPositives = labels.map((y, i) => (privileged[i] ? y : 0));
    expect(() =>
      new RejectOptionClassification({ metric: 'equal_opportunity_difference' }).fit(
        scores,
        noUnprivPositives,
        privileged,
      ),
    ).toThrow(DataValidationError);
    expect(() => new RejectOptionClassification().predict(scores, privileged)).toThrow(NotFittedError);
  });
});
