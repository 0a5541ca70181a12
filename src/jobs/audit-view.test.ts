import { describe, expect, it } from 'vitest';
import {
  auditCounts,
  type BootstrapInterval,
  type CellCounts,
  countCells,
  type DisaggregatedCounts,
  parseExpectedShares,
  representativeness,
} from '../fairness/index.js';
import { createReport, fairnessSection, renderHtml } from '../report/index.js';
import { auditIntervals } from './audit-job.js';
import { fairnessAuditView } from './audit-view.js';

function cell(group: Record<string, string>, tp: number, fp: number, tn: number, fn: number): CellCounts {
  return { group, rows: tp + fp + tn + fn, tp, fp, tn, fn };
}

/** 50 rows over g × h × k, 10 per cell; g=b, h=x has no positive labels. */
const counts: DisaggregatedCounts = {
  protectedColumns: ['g', 'h', 'k'],
  hasPredictions: true,
  cells: [
    cell({ g: 'a', h: 'x', k: 'u' }, 4, 1, 4, 1),
    cell({ g: 'a', h: 'x', k: 'v' }, 2, 0, 6, 2),
    cell({ g: 'a', h: 'y', k: 'u' }, 1, 1, 7, 1),
    cell({ g: 'b', h: 'x', k: 'u' }, 0, 2, 8, 0),
    cell({ g: 'b', h: 'y', k: 'v' }, 3, 0, 3, 4),
  ],
};
const audit = auditCounts(counts, {
  privileged: { g: 'a' },
  subject: { label: { column: 'y', positive: '1' } },
});

function interval(estimate: number, lower: number, upper: number, undefinedShare = 0): BootstrapInterval {
  return {
    estimate,
    lower,
    upper,
    replicates: Math.round(1000 * (1 - undefinedShare)),
    undefinedShare,
    method: 'percentile',
  };
}

describe('fairnessAuditView', () => {
  it('maps groups with every rate and the audit facts', () => {
    const view = fairnessAuditView(audit);
    expect(view.protectedColumns).toEqual(['g', 'h', 'k']);
    expect(view.privileged).toEqual({ g: 'a' });
    expect(view.rows).toBe(50);
    expect(view.label).toEqual({ column: 'y', positive: '1' });
    expect(view.zeroDivision).toBe(audit.zeroDivision.description);
    expect(view.groups.map((g) => [g.label, g.count])).toEqual([
      ['g=a, h=x, k=u', 10],
      ['g=a, h=x, k=v', 10],
      ['g=a, h=y, k=u', 10],
      ['g=b, h=x, k=u', 10],
      ['g=b, h=y, k=v', 10],
    ]);
    // Hand derivation for g=a, h=x, k=u (TP 4, FP 1, TN 4, FN 1): exact binary fractions or ratios.
    expect(view.groups[0]).toMatchObject({
      selectionRate: 0.5,
      tpr: 0.8,
      fpr: 0.2,
      precision: 0.8,
      accuracy: 0.8,
      baseRate: 0.5,
    });
    // No positive labels: TPR is 0/0, which the reference rule turns into 0 (scikit-learn).
    expect(view.groups[3].tpr).toBe(0);
    expect(view.confidence).toBeUndefined();
    expect(view.intersections).toHaveLength(2);
  });

  it('names headline metrics readably, in display order, with their conventions', () => {
    const view = fairnessAuditView(audit);
    const names = view.metrics.map((m) => m.name);
    expect(names.slice(0, 4)).toEqual([
      'Disparate impact',
      'Statistical parity difference',
      'Equal opportunity difference',
      'Average odds difference',
    ]);
    for (const n of [
      'Demographic parity difference',
      'Demographic parity ratio',
      'Equalized odds difference',
      'Equalized odds ratio',
      'Theil index',
    ]) {
      expect(names).toContain(n);
    }
    expect(names).toHaveLength(Object.keys(audit.metrics).length);
    // Selection rates: unprivileged (g=b) 5/20, privileged (g=a) 9/30 → DI = 0.25 / 0.3.
    expect(view.metrics[0].value).toBeCloseTo(0.25 / 0.3, 12);
    expect(view.metrics[0].description).toMatch(/unprivileged \/ privileged \(AIF360\)/);
    expect(view.metrics[1].value).toBeCloseTo(0.25 - 0.3, 12);
  });

  it('turns NaN into null but keeps ±Infinity for ratios', () => {
    const doctored = {
      ...audit,
      metrics: {
        ...audit.metrics,
        equal_opportunity_difference: Number.NaN,
        disparate_impact: Number.POSITIVE_INFINITY,
      },
      groups: audit.groups.map((g, i) => (i === 1 ? { ...g, precision: Number.NaN } : g)),
    };
    const view = fairnessAuditView(doctored);
    expect(view.metrics.find((m) => m.name === 'Equal opportunity difference')?.value).toBeNull();
    expect(view.metrics.find((m) => m.name === 'Disparate impact')?.value).toBe(Number.POSITIVE_INFINITY);
    expect(view.groups[1].precision).toBeNull();
  });

  it('attaches bootstrap intervals to metrics and groups', () => {
    const intervals = auditIntervals(audit, { replicates: 200, seed: 3 });
    const view = fairnessAuditView(audit, {
      intervals: intervals.values,
      confidence: intervals.confidence,
      intervalMethod: 'percentile bootstrap, 200 replicates, seed 3',
    });
    expect(view.confidence).toBe(0.95);
    expect(view.intervalMethod).toMatch(/200 replicates/);
    const di = intervals.values.disparate_impact;
    expect(view.metrics[0].interval).toEqual({ lower: di.lower, upper: di.upper });
    const sel = intervals.values['group[g=a, h=x, k=u].selection_rate'];
    expect(view.groups[0].intervals?.selectionRate).toEqual({ lower: sel.lower, upper: sel.upper });
    expect(Object.keys(view.groups[0].intervals ?? {}).sort()).toEqual(
      ['accuracy', 'baseRate', 'fpr', 'precision', 'selectionRate', 'tpr'].sort(),
    );
    // Same seed, same intervals (bit for bit).
    expect(auditIntervals(audit, { replicates: 200, seed: 3 }).values).toEqual(intervals.values);
  });

  it('notes undefined replicates and intervals that miss their estimate; drops undefined intervals', () => {
    const intervals: Record<string, BootstrapInterval> = {
      disparate_impact: interval(0.8333, 0.5, 1.2, 0.1),
      demographic_parity_difference: interval(0.15, 0.2, 0.4),
      statistical_parity_difference: interval(-0.05, Number.NaN, Number.NaN, 1),
      'group[g=b, h=x, k=u].true_positive_rate': interval(0, 0, 0, 0.25),
    };
    const view = fairnessAuditView(audit, { intervals, confidence: 0.9 });
    expect(view.metrics[1].interval).toBeUndefined();
    expect(view.warnings).toContain(
      'Disparate impact was undefined in 10.0% of the bootstrap replicates; its interval uses the other 900.',
    );
    expect(view.warnings).toContain(
      'Statistical parity difference was undefined in every bootstrap replicate, so it has no interval.',
    );
    expect(
      view.warnings.some((w) =>
        /interval of Demographic parity difference does not contain its estimate/.test(w),
      ),
    ).toBe(true);
    expect(view.warnings.some((w) => /group 'g=b, h=x, k=u' were undefined in up to 25\.0%/.test(w))).toBe(
      true,
    );
  });

  it('builds selection-rate heat maps over the first two protected columns, summed over the third', () => {
    const [rate, ratio] = fairnessAuditView(audit).intersections ?? [];
    expect([rate.rowColumn, rate.columnColumn, rate.metric]).toEqual(['g', 'h', 'Selection rate']);
    // (a, x) = cells (a,x,u) + (a,x,v): 7 selected of 20 rows.
    expect(rate.cells).toEqual([
      { row: 'a', column: 'x', value: 7 / 20, count: 20 },
      { row: 'a', column: 'y', value: 0.2, count: 10 },
      { row: 'b', column: 'x', value: 0.2, count: 10 },
      { row: 'b', column: 'y', value: 0.3, count: 10 },
    ]);
    expect(ratio).toMatchObject({
      metric: 'Selection rate / highest intersection',
      format: 'metric',
      center: 1,
    });
    expect(ratio.cells.map((c) => c.value)).toEqual([1, 0.2 / 0.35, 0.2 / 0.35, 0.3 / 0.35]);
    const single = auditCounts(
      {
        ...counts,
        protectedColumns: ['g'],
        cells: [cell({ g: 'a' }, 7, 2, 17, 4), cell({ g: 'b' }, 3, 2, 11, 4)],
      },
      { privileged: { g: 'a' } },
    );
    expect(fairnessAuditView(single).intersections).toBeUndefined();
  });

  it('maps representativeness (chi-square by hand) and merges its warnings, leaving small groups to the section', () => {
    const rep = representativeness(counts, parseExpectedShares('g,share\na,0.5\nb,0.5\n', 'census.csv'));
    const view = fairnessAuditView(audit, { representativeness: rep });
    expect(view.representativeness?.source).toBe('census.csv');
    expect(view.representativeness?.rows).toEqual([
      { group: 'g=a', rows: 30, observedShare: 0.6, expectedShare: 0.5, ratio: 0.6 / 0.5 },
      { group: 'g=b', rows: 20, observedShare: 0.4, expectedShare: 0.5, ratio: 0.4 / 0.5 },
    ]);
    // X² = (30 − 25)² / 25 + (20 − 25)² / 25 = 2 on 1 degree of freedom.
    expect(view.representativeness?.chiSquare?.statistic).toBeCloseTo(2, 12);
    expect(view.representativeness?.chiSquare?.degreesOfFreedom).toBe(1);
    expect(view.representativeness?.chiSquare?.pValue).toBeCloseTo(0.157299207050285, 9);
    expect(view.warnings).toEqual(expect.arrayContaining(rep.warnings));
    expect(rep.warnings.length).toBeGreaterThan(0);
    // The audit's own "Group … has only 10 rows" warnings are left to fairnessSection, which flags them.
    expect(audit.warnings.some((w) => /has only 10 rows/.test(w))).toBe(true);
    expect(view.warnings.some((w) => /^Group g=a, h=x, k=u has only/.test(w))).toBe(false);

    const zero = representativeness(counts, parseExpectedShares('g,share\na,1\nb,0\n', 'z.csv'));
    const zeroView = fairnessAuditView(audit, { representativeness: zero });
    expect(zeroView.representativeness?.rows[1].ratio).toBeNull();
    expect(zeroView.representativeness?.chiSquare?.statistic).toBeNull();
  });

  it('warns about intersections with enough rows but a tiny share, unless representativeness compares them', () => {
    const big: DisaggregatedCounts = {
      protectedColumns: ['g', 'h'],
      hasPredictions: true,
      cells: [
        cell({ g: 'a', h: 'x' }, 1000, 1000, 2000, 1000),
        cell({ g: 'a', h: 'y' }, 10, 10, 10, 10),
        cell({ g: 'b', h: 'x' }, 500, 500, 1500, 500),
        cell({ g: 'b', h: 'y' }, 490, 490, 490, 490),
      ],
    };
    const bigAudit = auditCounts(big, { privileged: { g: 'a' } });
    const byG = representativeness(big, parseExpectedShares('g,share\na,0.5\nb,0.5\n', 'g.csv'));
    expect(fairnessAuditView(bigAudit, { representativeness: byG }).warnings).toContain(
      "Intersection 'g=a, h=y' holds only 0.4% of the rows (40); its rates rest on few people.",
    );
    const byGH = representativeness(
      big,
      parseExpectedShares('g,h,share\na,x,0.4\na,y,0.1\nb,x,0.3\nb,y,0.2\n', 'gh.csv'),
    );
    const warnings = fairnessAuditView(bigAudit, { representativeness: byGH }).warnings;
    expect(warnings.some((w) => w.startsWith("Intersection 'g=a, h=y'"))).toBe(false);
    expect(warnings.some((w) => w.startsWith("Group 'g=a, h=y' is only 0.4% of the rows"))).toBe(true);
  });

  it('shows a labels-only audit with the favourable-label rate as the selection rate', () => {
    const labels = auditCounts(
      countCells({
        labels: [1, 0, 0, 0, 1, 1, 0, 1],
        protected: { g: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'] },
      }),
      { privileged: { g: 'a' } },
    );
    const view = fairnessAuditView(labels);
    expect(view.groups.map((g) => [g.selectionRate, g.baseRate, g.tpr, g.precision])).toEqual([
      [0.25, 0.25, null, null],
      [0.75, 0.75, null, null],
    ]);
    expect(view.metrics[0]).toMatchObject({ name: 'Disparate impact', value: 3 });
    expect(view.metrics[0].description).toMatch(/labels only/);
    const intervals = auditIntervals(labels, { replicates: 50 });
    expect(Object.keys(intervals.values)).toEqual(
      expect.arrayContaining(['disparate_impact', 'group[g=a].base_rate', 'group[g=b].base_rate']),
    );
    expect(
      fairnessAuditView(labels, { intervals: intervals.values }).groups[0].intervals?.selectionRate,
    ).toBeDefined();
  });

  it('renders through fairnessSection into the HTML report', () => {
    const rep = representativeness(counts, parseExpectedShares('g,share\na,0.5\nb,0.5\n', 'census.csv'));
    const intervals = auditIntervals(audit, { replicates: 100 });
    const view = fairnessAuditView(audit, {
      intervals: intervals.values,
      confidence: 0.95,
      representativeness: rep,
    });
    const html = renderHtml(
      createReport({ title: 't', sections: [fairnessSection(view)], generatedAt: '2020-01-01T00:00:00Z' }),
    );
    expect(html).toContain('id="fairness"');
    expect(html).toContain('Disparate impact');
    expect(html).toContain('Representativeness');
  });
});
