import { describe, expect, it } from 'vitest';
import { pythonMax, pythonMin } from './fairlearn-metrics.js';
import { auditCounts } from './fairness-audit.js';
import type { DisaggregatedCounts } from './group-counts.js';
import { groupDifference, groupMin, groupRatio } from './group-metrics.js';
import { Divider } from './zero-division.js';

// The cells of ../shared/reference/fairness/edge_privileged_empty.csv (counted by hand from the CSV):
// group a has no positive labels and no positive predictions.
const counts: DisaggregatedCounts = {
  protectedColumns: ['group'],
  hasPredictions: true,
  cells: [
    { group: { group: 'a' }, rows: 6, tp: 0, fp: 0, tn: 6, fn: 0 },
    { group: { group: 'b' }, rows: 7, tp: 2, fp: 1, tn: 3, fn: 1 },
    { group: { group: 'c' }, rows: 7, tp: 1, fp: 1, tn: 3, fn: 2 },
  ],
};
const metric = (rule: 'reference' | 'nan' | 'zero', name: string) =>
  (auditCounts(counts, { privileged: { group: 'a' }, zeroDivision: rule }).metrics as Record<string, number>)[
    name
  ];

describe('zero-division rules', () => {
  it("'reference' reproduces AIF360 and Fairlearn and says where it mattered", () => {
    const audit = auditCounts(counts, { privileged: { group: 'a' } });
    const m = audit.metrics as Record<string, number>;
    expect(m.disparate_impact).toBe(Number.POSITIVE_INFINITY);
    expect(m.equal_opportunity_difference).toBeNaN();
    expect(m.false_discovery_rate_difference).toBeCloseTo(0.4, 15); // FDR(privileged) guarded → 0
    expect(audit.groups[0]).toMatchObject({ true_positive_rate: 0, precision: 0 }); // scikit-learn 0/0 → 0
    expect(audit.zeroDivision.rule).toBe('reference');
    expect(audit.warnings).toContain(
      "true_positive_rate of the privileged group is 0/0 (no positive labels); reported as NaN under the 'reference' zero-division rule.",
    );
    expect(audit.warnings).toContain(
      "precision of group group=a is 0/0 (no positive predictions); reported as 0 under the 'reference' zero-division rule.",
    );
  });

  it("'nan' leaves every 0/0 undefined, guards included; 'zero' makes every x/0 zero", () => {
    expect(metric('nan', 'false_discovery_rate_difference')).toBeNaN();
    expect(metric('nan', 'disparate_impact')).toBe(Number.POSITIVE_INFINITY);
    expect(metric('zero', 'disparate_impact')).toBe(0);
    expect(metric('zero', 'equal_opportunity_difference')).toBeCloseTo(0.5, 15);
    const nanGroups = auditCounts(counts, { privileged: { group: 'a' }, zeroDivision: 'nan' }).groups;
    expect(nanGroups[0]).toMatchObject({ precision: Number.NaN, true_positive_rate: Number.NaN });
  });

  it('rejects an unknown rule', () => {
    expect(() =>
      auditCounts(counts, { privileged: { group: 'a' }, zeroDivision: 'ignore' as unknown as 'nan' }),
    ).toThrow(/'zeroDivision' option of auditCounts must be one of/);
  });
});

describe('Fairlearn-style group helpers', () => {
  it('skip NaN like pandas; a ratio whose max is 0 is NaN', () => {
    expect(groupMin([0.5, Number.NaN, 0.2])).toBe(0.2);
    expect(groupDifference([0.5, Number.NaN, 0.2])).toBeCloseTo(0.3, 15);
    expect(groupRatio([0, 0])).toBeNaN();
    expect(groupRatio([0, 0], new Divider('zero'))).toBe(0);
  });

  it("Python's max/min over a pair keep a NaN first argument and drop a NaN second one", () => {
    expect(pythonMax(Number.NaN, 1)).toBeNaN();
    expect(pythonMax(1, Number.NaN)).toBe(1);
    expect(pythonMin(Number.NaN, 0)).toBeNaN();
    expect(pythonMin(0.3, Number.NaN)).toBe(0.3);
  });
});
