import { describe, expect, it } from 'vitest';
import { fairnessDrift } from './fairness-drift.js';

// Hand-derived expectations: rates are counts over group sizes written out in each test (exact in binary
// for these fractions; compared with toBeCloseTo at 12 digits).
const sample = (groups: string[], predictions: number[], labels?: number[]) => ({
  groups: { sex: groups },
  predictions: Uint8Array.from(predictions),
  ...(labels ? { labels: Uint8Array.from(labels) } : {}),
});

describe('fairnessDrift', () => {
  const ref = sample(['f', 'f', 'f', 'f', 'm', 'm', 'm', 'm'], [1, 1, 0, 0, 1, 1, 0, 0]);
  it('reports no alert when the current sample keeps the reference rates', () => {
    const r = fairnessDrift(ref, ref, ['sex']);
    expect(r.alerts).toEqual([]);
    expect(r.disparateImpact).toEqual([{ attribute: 'sex', reference: 1, current: 1 }]);
    expect(r.groups.map((g) => [g.group, g.current.selectionRate, g.selectionRateChange])).toEqual([
      ['f', 0.5, 0],
      ['m', 0.5, 0],
    ]);
  });
  it('alerts on a disparate impact below 0.8 and on each group that moved more than 0.05', () => {
    // f: 1/4 selected (was 2/4), m: 3/4 (was 2/4); DI = 0.25/0.75 = 1/3.
    const cur = sample(['f', 'f', 'f', 'f', 'm', 'm', 'm', 'm'], [1, 0, 0, 0, 1, 1, 1, 0]);
    const r = fairnessDrift(ref, cur, ['sex']);
    expect(r.disparateImpact[0].current).toBeCloseTo(1 / 3, 12);
    expect(r.alerts.map((a) => [a.code, a.group])).toEqual([
      ['disparate_impact', undefined],
      ['selection_rate', 'f'],
      ['selection_rate', 'm'],
    ]);
    expect(r.groups[0].selectionRateChange).toBeCloseTo(-0.25, 12);
  });
  it('a change of exactly the tolerance is not an alert; a custom tolerance is honoured', () => {
    const cur = sample(['f', 'f', 'f', 'f', 'm', 'm', 'm', 'm'], [1, 0, 0, 0, 1, 1, 0, 0]);
    expect(fairnessDrift(ref, cur, ['sex'], { tolerance: 0.25 }).alerts.map((a) => a.code)).toEqual([
      'disparate_impact',
    ]);
  });
  it('with labels, reports TPR and FPR per group and alerts on equalized-odds drift', () => {
    const labels = [1, 0, 1, 0, 1, 0, 1, 0];
    const r0 = sample(ref.groups.sex as string[], [1, 1, 0, 0, 1, 1, 0, 0], labels);
    // f: TPR 1/2 → 2/2, FPR 1/2 → 0/2; m unchanged.
    const c0 = sample(ref.groups.sex as string[], [1, 0, 1, 0, 1, 1, 0, 0], labels);
    const r = fairnessDrift(r0, c0, ['sex']);
    expect(r.groups[0].reference).toEqual({ rows: 4, selectionRate: 0.5, tpr: 0.5, fpr: 0.5 });
    expect(r.groups[0].current).toEqual({ rows: 4, selectionRate: 0.5, tpr: 1, fpr: 0 });
    expect(r.alerts.map((a) => `${a.code}:${a.group}`)).toEqual(['tpr:f', 'fpr:f']);
  });
  it('rejects an attribute without a value per row and a negative tolerance', () => {
    expect(() => fairnessDrift(ref, ref, ['race'])).toThrow(/'race'/);
    expect(() => fairnessDrift(ref, ref, ['sex'], { tolerance: -1 })).toThrow(/tolerance/);
  });
});
