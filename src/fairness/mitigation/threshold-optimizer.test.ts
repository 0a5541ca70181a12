import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError, NotFittedError, Rng } from '../../core/index.js';
import { ThresholdOptimizer } from './threshold-optimizer.js';

/** Three groups with different base rates and score distributions; scores on a coarse grid (ties). */
function randomRows(n: number, seed: number) {
  const rng = new Rng(seed);
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  const groups: string[] = [];
  const names = ['a', 'b', 'c'];
  for (let i = 0; i < n; i++) {
    const g = rng.int(3);
    groups.push(names[g]);
    labels[i] = rng.next() < [0.2, 0.4, 0.6][g] ? 1 : 0;
    const z = 0.25 * labels[i] + 0.1 * g + 0.5 * rng.next();
    scores[i] = Math.round(Math.min(1, z) * 40) / 40;
  }
  return { scores, labels, groups };
}

/** Expected selection rate, TPR, FPR and accuracy per group, from the decision probabilities. */
function expectedRates(proba: Float64Array, labels: Uint8Array, groups: string[]) {
  const out: Record<string, { sel: number; tpr: number; fpr: number }> = {};
  let correct = 0;
  for (const g of new Set(groups)) {
    let n = 0;
    let pos = 0;
    let sel = 0;
    let tp = 0;
    let fp = 0;
    groups.forEach((h, i) => {
      if (h !== g) return;
      n++;
      pos += labels[i];
      sel += proba[i];
      if (labels[i]) tp += proba[i];
      else fp += proba[i];
    });
    out[g] = { sel: sel / n, tpr: tp / pos, fpr: fp / (n - pos) };
  }
  proba.forEach((p, i) => {
    correct += labels[i] ? p : 1 - p;
  });
  return { groups: out, accuracy: correct / proba.length };
}

function constantAccuracy(labels: Uint8Array): number {
  const pos = labels.reduce((a, y) => a + y, 0) / labels.length;
  return Math.max(pos, 1 - pos);
}

describe('ThresholdOptimizer', () => {
  for (const seed of [1, 2, 3]) {
    it(`demographic parity equalises expected selection rates exactly (seed ${seed})`, () => {
      const { scores, labels, groups } = randomRows(600, seed);
      const to = new ThresholdOptimizer({ constraint: 'demographic_parity' }).fit(scores, labels, groups);
      const r = expectedRates(to.predictProba(scores, groups), labels, groups);
      const sels = Object.values(r.groups).map((g) => g.sel);
      // Tolerance 1e-9: the rates are equal by construction, up to floating-point rounding.
      expect(Math.max(...sels) - Math.min(...sels)).toBeLessThan(1e-9);
      expect(r.accuracy).toBeGreaterThanOrEqual(constantAccuracy(labels) - 1e-12);
      expect(to.summary.objectiveValue).toBeCloseTo(r.accuracy, 12);
    });

    it(`equalized odds equalises expected TPR and FPR exactly (seed ${seed})`, () => {
      const { scores, labels, groups } = randomRows(600, seed);
      const to = new ThresholdOptimizer({ constraint: 'equalized_odds' }).fit(scores, labels, groups);
      const r = expectedRates(to.predictProba(scores, groups), labels, groups);
      const tprs = Object.values(r.groups).map((g) => g.tpr);
      const fprs = Object.values(r.groups).map((g) => g.fpr);
      expect(Math.max(...tprs) - Math.min(...tprs)).toBeLessThan(1e-9);
      expect(Math.max(...fprs) - Math.min(...fprs)).toBeLessThan(1e-9);
      expect(r.accuracy).toBeGreaterThanOrEqual(constantAccuracy(labels) - 1e-12);
      expect(to.summary.groups.a.truePositiveRate).toBeCloseTo(r.groups.a.tpr, 12);
    });
  }

  it('is optimal: no common selection rate on a fine grid beats the chosen one (brute force)', () => {
    const { scores, labels, groups } = randomRows(400, 9);
    const to = new ThresholdOptimizer().fit(scores, labels, groups);
    // Brute force: for each group, the best accuracy at selection rate r over all mixtures of two thresholds.
    const best = (g: string, r: number) => {
      const rows = groups.flatMap((h, i) => (h === g ? [i] : []));
      const ts = [-1, ...new Set(rows.map((i) => scores[i]))];
      const pts = ts.map((t) => {
        let sel = 0;
        let correct = 0;
        for (const i of rows) {
          const y = scores[i] > t ? 1 : 0;
          sel += y;
          correct += y === labels[i] ? 1 : 0;
        }
        return { x: sel / rows.length, y: correct };
      });
      let v = Number.NEGATIVE_INFINITY;
      for (const p of pts)
        for (const q of pts) {
          if (p.x <= r && r <= q.x)
            v = Math.max(v, q.x === p.x ? p.y : p.y + ((r - p.x) * (q.y - p.y)) / (q.x - p.x));
        }
      return v;
    };
    for (let k = 0; k <= 50; k++) {
      const r = k / 50;
      const total = (best('a', r) + best('b', r) + best('c', r)) / scores.length;
      expect(total).toBeLessThanOrEqual(to.summary.objectiveValue + 1e-12);
    }
  });

  it('equalized odds is optimal: no common (FPR, TPR) on a fine grid beats it (brute force)', () => {
    const { scores, labels, groups } = randomRows(300, 8);
    const to = new ThresholdOptimizer({ constraint: 'equalized_odds' }).fit(scores, labels, groups);
    // Brute force per group: the highest TPR at FPR x over all mixtures of two thresholds.
    const bestTpr = (g: string, x: number) => {
      const rows = groups.flatMap((h, i) => (h === g ? [i] : []));
      const pos = rows.filter((i) => labels[i] === 1).length;
      const pts = [-1, ...new Set(rows.map((i) => scores[i]))].map((t) => {
        let tp = 0;
        let fp = 0;
        for (const i of rows) if (scores[i] > t) labels[i] ? tp++ : fp++;
        return { x: fp / (rows.length - pos), y: tp / pos };
      });
      let v = Number.NEGATIVE_INFINITY;
      for (const p of pts)
        for (const q of pts) {
          if (p.x <= x && x <= q.x)
            v = Math.max(v, q.x === p.x ? p.y : p.y + ((x - p.x) * (q.y - p.y)) / (q.x - p.x));
        }
      return v;
    };
    const pos = labels.reduce((a, y) => a + y, 0);
    for (let k = 0; k <= 40; k++) {
      const x = k / 40;
      const y = Math.min(bestTpr('a', x), bestTpr('b', x), bestTpr('c', x));
      const accuracy = (pos * y + (labels.length - pos) * (1 - x)) / labels.length;
      expect(accuracy).toBeLessThanOrEqual(to.summary.objectiveValue + 1e-12);
    }
  });

  it('supports balanced accuracy, Uint8Array groups and seeded sampling', () => {
    const { scores, labels, groups } = randomRows(500, 4);
    const flags = Uint8Array.from(groups, (g) => (g === 'c' ? 1 : 0));
    const to = new ThresholdOptimizer({ objective: 'balanced_accuracy' }).fit(scores, labels, flags);
    expect(Object.keys(to.summary.groups).sort()).toEqual(['0', '1']);
    const a = to.predict(scores, flags, 11);
    expect(to.predict(scores, flags, 11)).toEqual(a);
    const proba = to.predictProba(scores, flags);
    for (let i = 0; i < a.length; i++) if (proba[i] === 0 || proba[i] === 1) expect(a[i]).toBe(proba[i]);
  });

  it('rejects a group with no positives under equalized odds, bad options and unseen groups', () => {
    const { scores, labels, groups } = randomRows(200, 5);
    const noA = labels.map((y, i) => (groups[i] === 'a' ? 0 : y));
    expect(() => new ThresholdOptimizer({ constraint: 'equalized_odds' }).fit(scores, noA, groups)).toThrow(
      /group 'a' has no positive labels/,
    );
    expect(() => new ThresholdOptimizer({ constraint: 'x' as never }).fit(scores, labels, groups)).toThrow(
      InvalidParameterError,
    );
    expect(() => new ThresholdOptimizer().predict(scores, groups)).toThrow(NotFittedError);
    const to = new ThresholdOptimizer().fit(scores, labels, groups);
    expect(() => to.predictProba(scores.subarray(0, 1), ['z'])).toThrow(DataValidationError);
  });

  it('warns when a group ends with selection rate 0', () => {
    // Hand derivation: at common rate r, a gets 3 + 4r correct (r ≤ 1/4) and b gets 7 − 6r, so r = 0 wins.
    const scores = Float64Array.from([0.9, 0.1, 0.2, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const labels = Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b'];
    const s = new ThresholdOptimizer().fit(scores, labels, groups).summary;
    expect(s.groups.b.selectionRate).toBe(0);
    expect(s.objectiveValue).toBeCloseTo(10 / 12, 15);
    expect(s.warnings).toContain(
      "ThresholdOptimizer gives group 'b' no positive decisions: its selection rate is 0.",
    );
  });
});
