import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { membershipAuditSummary } from './membership-audit.js';

describe('membershipAuditSummary', () => {
  it('summarises a perfect attack: AUC 1, TPR 1 at both FPRs, advantage 1, both ε bounds > 0', () => {
    const isMember = Array.from({ length: 4000 }, (_, i) => (i < 2000 ? 1 : 0));
    const scores = isMember.map((m, i) => m + i * 1e-6);
    const audit = membershipAuditSummary('perfect', scores, isMember);
    expect(audit).toMatchObject({
      attack: 'perfect',
      auc: 1,
      tprAt1PctFpr: 1,
      tprAt01PctFpr: 1,
      advantage: 1,
    });
    expect(audit.epsilonLowerBound).toBeGreaterThan(audit.epsilonLowerBoundHeldOut);
    expect(audit.epsilonLowerBoundHeldOut).toBeGreaterThan(5);
    expect(audit.warnings).toEqual([]);
    expect(audit.roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(audit.roc.length).toBeLessThanOrEqual(200);
    expect(JSON.parse(JSON.stringify(audit))).toEqual(audit);
  });

  it('warns when there are too few non-members to resolve 1% and 0.1% FPR, and honours maxRocPoints', () => {
    const rng = new Rng(2);
    const isMember = Array.from({ length: 120 }, (_, i) => (i < 60 ? 1 : 0));
    const scores = isMember.map(() => rng.normal());
    const audit = membershipAuditSummary('random', scores, isMember, { maxRocPoints: 10, delta: 0 });
    expect(audit.warnings).toHaveLength(2);
    expect(audit.warnings[0]).toMatch(/Only 60 non-members: the TPR at 1% FPR/);
    expect(audit.roc.length).toBeLessThanOrEqual(10);
    expect(audit.delta).toBe(0);
    expect(audit.confidence).toBe(0.95);
  });
});
