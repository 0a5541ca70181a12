import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { clopperPearsonInterval } from './clopper-pearson.js';
import { empiricalEpsilonLowerBound, heldOutEpsilonLowerBound } from './epsilon-lower-bound.js';
import { membershipRocCurve } from './membership-roc.js';

/** A perfect attack: every member scores 1, every non-member 0. */
function perfect(members: number, nonMembers: number) {
  const scores = [...Array(members).fill(1), ...Array(nonMembers).fill(0)];
  const isMember = [...Array(members).fill(1), ...Array(nonMembers).fill(0)];
  return membershipRocCurve(scores, isMember);
}

describe('empiricalEpsilonLowerBound', () => {
  it('meets the closed form of a perfect attack: log(((α/2)^{1/m} − δ) / (1 − (α/2)^{1/n})) (1e-9)', () => {
    // Hand derivation: the separating threshold has FP = FN = 0, whose Clopper–Pearson upper ends are
    // 1 − (α/2)^{1/n} (see clopperPearsonInterval), so term 2 = log((1 − δ − FNR_hi) / FPR_hi).
    const delta = 1e-5;
    const same = empiricalEpsilonLowerBound(perfect(1000, 1000), { delta, confidence: 0.95 });
    const u = 1 - 0.025 ** (1 / 1000);
    expect(Math.abs(same.epsilon - Math.log((1 - delta - u) / u))).toBeLessThan(1e-9);
    expect(same.epsilon).toBeGreaterThan(5.5);
    expect(same.threshold).toBe(1);
    const uneven = empiricalEpsilonLowerBound(perfect(500, 2000), { delta, confidence: 0.95 });
    const fnrHi = 1 - 0.025 ** (1 / 500);
    const fprHi = 1 - 0.025 ** (1 / 2000);
    expect(Math.abs(uneven.epsilon - Math.log((1 - delta - fnrHi) / fprHi))).toBeLessThan(1e-9);
  });

  it('is about 0 for a random attack (true ε = 0): below 0.1 on 2,000 + 2,000 seeded scores', () => {
    const rng = new Rng(11);
    const scores = Array.from({ length: 4000 }, () => rng.normal());
    const isMember = Array.from({ length: 4000 }, (_, i) => (i < 2000 ? 1 : 0));
    const bound = empiricalEpsilonLowerBound(membershipRocCurve(scores, isMember));
    expect(bound.epsilon).toBeGreaterThanOrEqual(0);
    expect(bound.epsilon).toBeLessThan(0.1);
  });

  it('equals the exhaustive maximum over every ROC point (the pruning drops nothing) to 1e-12', () => {
    const rng = new Rng(5);
    const isMember = Array.from({ length: 600 }, (_, i) => (i < 250 ? 1 : 0));
    const scores = isMember.map((m) => Math.round((rng.normal() + 1.5 * m) * 10) / 10);
    const roc = membershipRocCurve(scores, isMember);
    const delta = 1e-3;
    let exhaustive = 0;
    for (let k = 0; k < roc.tpr.length; k++) {
      const fprHi = clopperPearsonInterval(roc.falsePositives[k], roc.nonMembers, 0.9).upper;
      const fnrHi = clopperPearsonInterval(roc.members - roc.truePositives[k], roc.members, 0.9).upper;
      for (const [num, den] of [
        [1 - delta - fprHi, fnrHi],
        [1 - delta - fnrHi, fprHi],
      ]) {
        if (num > 0) exhaustive = Math.max(exhaustive, Math.log(num / den));
      }
    }
    const bound = empiricalEpsilonLowerBound(roc, { delta, confidence: 0.9 });
    expect(Math.abs(bound.epsilon - exhaustive)).toBeLessThan(1e-12);
    expect(bound.epsilon).toBeGreaterThan(0.5);
    // A higher confidence widens the intervals and can only lower the bound.
    expect(empiricalEpsilonLowerBound(roc, { delta, confidence: 0.99 }).epsilon).toBeLessThan(bound.epsilon);
  });

  it('rejects δ outside [0, 1) and a confidence outside (0, 1)', () => {
    const roc = perfect(3, 3);
    expect(() => empiricalEpsilonLowerBound(roc, { delta: 1 })).toThrow(
      /'delta' option of empiricalEpsilonLowerBound/,
    );
    expect(() => empiricalEpsilonLowerBound(roc, { confidence: 0 })).toThrow(/'confidence'/);
  });
});

describe('heldOutEpsilonLowerBound', () => {
  it('meets the closed form of a perfect attack on the evaluation half (1,000 + 1,000 rows) to 1e-9', () => {
    const scores = [...Array(2000).fill(1), ...Array(2000).fill(0)];
    const isMember = [...Array(2000).fill(1), ...Array(2000).fill(0)];
    const bound = heldOutEpsilonLowerBound(scores, isMember, { delta: 1e-5, seed: 3 });
    // Hand derivation as above with n = m = 1000 evaluation rows: FP = FN = 0 at threshold 1.
    const u = 1 - 0.025 ** (1 / 1000);
    expect(Math.abs(bound.epsilon - Math.log((1 - 1e-5 - u) / u))).toBeLessThan(1e-9);
  });

  it('is 0 for most seeds of a random attack (valid at 95%): at least 18 of 20 seeded null attacks', () => {
    let zeros = 0;
    for (let seed = 0; seed < 20; seed++) {
      const rng = new Rng(100 + seed);
      const scores = Array.from({ length: 1000 }, () => rng.normal());
      const isMember = Array.from({ length: 1000 }, (_, i) => i % 2);
      if (heldOutEpsilonLowerBound(scores, isMember, { seed }).epsilon === 0) zeros++;
    }
    expect(zeros).toBeGreaterThanOrEqual(18);
  });

  it('is seeded and rejects a side with fewer than 2 examples', () => {
    const rng = new Rng(8);
    const isMember = Array.from({ length: 400 }, (_, i) => i % 2);
    const scores = isMember.map((m) => rng.normal() + 2 * m);
    const a = heldOutEpsilonLowerBound(scores, isMember, { seed: 1 });
    expect(heldOutEpsilonLowerBound(scores, isMember, { seed: 1 })).toEqual(a);
    expect(a.epsilon).toBeGreaterThan(0);
    expect(() => heldOutEpsilonLowerBound([1, 0, 0], [1, 0, 0])).toThrow(
      /at least 2 members and 2 non-members/,
    );
  });
});
