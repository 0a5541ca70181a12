import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError, Rng } from '../../core/index.js';
import {
  downsampleMembershipRoc,
  membershipAdvantage,
  membershipAuc,
  membershipRocCurve,
  tprAtFpr,
} from './membership-roc.js';

/** Brute-force Mann–Whitney: mean over member/non-member pairs of 1[s_m > s_n] + ½ 1[s_m = s_n]. */
function mannWhitneyAuc(scores: number[], isMember: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (isMember[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (isMember[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('membershipRocCurve', () => {
  // Hand derivation: sorted by score the labels are M M N M N N (3 members, 3 non-members).
  const scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.5];
  const isMember = [1, 1, 0, 1, 0, 0];

  it('walks the thresholds of a small case exactly', () => {
    const roc = membershipRocCurve(scores, isMember);
    expect(Array.from(roc.truePositives)).toEqual([0, 1, 2, 2, 3, 3, 3]);
    expect(Array.from(roc.falsePositives)).toEqual([0, 0, 0, 1, 1, 2, 3]);
    expect(Array.from(roc.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5]);
    expect(roc.members).toBe(3);
    expect(roc.nonMembers).toBe(3);
  });

  it('gives the hand-computed AUC 8/9, TPR@FPR and advantage 2/3 (exact up to 1e-15)', () => {
    const roc = membershipRocCurve(scores, isMember);
    // Pairs won: 0.9 and 0.8 beat all 3 non-members, 0.6 beats 0.55 and 0.5: 8 of 9.
    expect(Math.abs(membershipAuc(roc) - 8 / 9)).toBeLessThan(1e-15);
    expect(tprAtFpr(roc, 0.01)).toBeCloseTo(2 / 3, 15);
    expect(tprAtFpr(roc, 1 / 3)).toBe(1);
    expect(tprAtFpr(roc, 0)).toBeCloseTo(2 / 3, 15);
    // Best threshold 0.6: TPR 1, FPR 1/3.
    expect(Math.abs(membershipAdvantage(roc) - 2 / 3)).toBeLessThan(1e-15);
  });

  it('merges ties into one point and counts a tied pair as ½ (AUC 0.5 by hand)', () => {
    const roc = membershipRocCurve([1, 1, 0, 0], [true, false, true, false]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 1]);
    expect(Array.from(roc.fpr)).toEqual([0, 0.5, 1]);
    expect(membershipAuc(roc)).toBe(0.5);
    expect(tprAtFpr(roc, 0.01)).toBe(0);
    expect(membershipAdvantage(roc)).toBe(0);
  });

  it('equals the brute-force Mann–Whitney U / (n₁ n₀) on 400 seeded scores with many ties (1e-12)', () => {
    const rng = new Rng(7);
    const s: number[] = [];
    const m: number[] = [];
    for (let i = 0; i < 400; i++) {
      const member = rng.next() < 0.4 ? 1 : 0;
      m.push(member);
      s.push(Math.round((rng.normal() + 0.5 * member) * 4) / 4);
    }
    const auc = membershipAuc(membershipRocCurve(s, m));
    expect(Math.abs(auc - mannWhitneyAuc(s, m))).toBeLessThan(1e-12);
    expect(auc).toBeGreaterThan(0.5);
  });

  it('rejects NaN scores, one-sided labels, bad labels and length mismatches', () => {
    expect(() => membershipRocCurve([0, Number.NaN], [1, 0])).toThrow(DataValidationError);
    expect(() => membershipRocCurve([0, 1], [1, 1])).toThrow(/at least one member and one non-member/);
    expect(() => membershipRocCurve([0, 1], [1, 2])).toThrow(/must be 0, 1, true or false/);
    expect(() => membershipRocCurve([0, 1, 2], [1, 0])).toThrow(InvalidParameterError);
    expect(() => tprAtFpr(membershipRocCurve([0, 1], [1, 0]), 2)).toThrow(/'maxFpr' option of tprAtFpr/);
  });
});

describe('downsampleMembershipRoc', () => {
  it('keeps at most 200 staircase corners with FPR > 0, increasing, ending at (1, 1)', () => {
    const rng = new Rng(3);
    const s = Array.from({ length: 5000 }, () => rng.normal());
    const m = Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const roc = membershipRocCurve(s, m);
    const points = downsampleMembershipRoc(roc);
    expect(points.length).toBeLessThanOrEqual(200);
    expect(points.length).toBeGreaterThan(50);
    expect(points.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    for (let k = 1; k < points.length; k++) expect(points[k].fpr).toBeGreaterThan(points[k - 1].fpr);
    // Each kept point is the best TPR at its FPR.
    for (const p of points) expect(p.tpr).toBe(tprAtFpr(roc, p.fpr));
    expect(points[0].fpr).toBe(1 / 2500);
  });
});
