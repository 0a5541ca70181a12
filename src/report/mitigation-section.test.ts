import { describe, expect, it } from 'vitest';
import type { MitigationResult, MitigationSnapshot } from '../fairness/index.js';
import { createReport } from './create-report.js';
import { renderHtml } from './html.js';
import {
  type MitigationTableInput,
  mitigationSection,
  paretoFront,
  placeLabels,
} from './mitigation-section.js';
import { expectBalancedTags, expectCleanSvg } from './svg-checks.test-suite.js';

function snapshot(accuracy: number, dpd: number, female: number, male: number): MitigationSnapshot {
  return {
    metrics: {
      accuracy,
      balanced_accuracy: accuracy - 0.1,
      disparate_impact: male === 0 ? Number.NaN : female / male,
      demographic_parity_difference: dpd,
      equalized_odds_difference: 0.05,
      average_odds_difference: -0.02,
    },
    selectionRates: { 'sex=Female': female, 'sex=Male': male },
  };
}

function result(method: string, after: MitigationSnapshot, flagged = false): MitigationResult {
  return {
    method,
    options: {},
    before: TABLE_BASE,
    after,
    fitSeconds: 0.25,
    flags: flagged
      ? [{ code: 'zero_selection_rate', message: 'No row of group sex=Female is selected.' }]
      : [],
  };
}

const TABLE_BASE = snapshot(0.85, 0.17, 0.08, 0.25);
const TABLE: MitigationTableInput = {
  dataset: 'adult',
  privileged: { sex: 'Male' },
  baseline: TABLE_BASE,
  baselineFitSeconds: 0.3,
  results: [
    result('reweighing', snapshot(0.84, 0.08, 0.13, 0.21)),
    result('threshold-optimizer-dp', snapshot(0.83, 0.001, 0.16, 0.16)),
    result('eq-odds', snapshot(0.82, 0.09, 0.14, 0.23)),
    result('calibrated-eq-odds', snapshot(0.834, 0.26, 0, 0.26), true),
  ],
};

describe('mitigationSection', () => {
  const section = mitigationSection(TABLE);

  it('tabulates the baseline and every method with the issue-4 columns', () => {
    const table = section.blocks.find((b) => b.kind === 'table');
    if (table?.kind !== 'table') throw new Error('no table');
    expect(table.columns).toEqual([
      '#',
      'method',
      'acc',
      'bal acc',
      'sel Female',
      'sel Male',
      'DI',
      'DPD',
      'EO diff',
      'AOD',
      'fit s',
      'flags',
    ]);
    expect(table.rows.map((r) => r[1])).toEqual([
      'baseline',
      'reweighing',
      'threshold-optimizer-dp',
      'eq-odds',
      'calibrated-eq-odds',
    ]);
    expect(table.rows[1]).toEqual([
      1,
      'reweighing',
      0.84,
      0.74,
      0.13,
      0.21,
      0.13 / 0.21,
      0.08,
      0.05,
      -0.02,
      0.25,
      '',
    ]);
    // The flag is named; an undefined DI (no privileged selection) is a dash, never NaN.
    expect(table.rows[4][6]).toBe(0);
    expect(table.rows[4][11]).toBe('zero selection rate');
    for (const row of table.rows) expect(row).toHaveLength(table.columns.length);
    const nan = mitigationSection({ ...TABLE, results: [result('x', snapshot(0.8, 0.1, 0.1, 0))] });
    const t2 = nan.blocks[0];
    expect(t2.kind === 'table' && t2.rows[1][6]).toBeNull();
  });

  it('draws the accuracy-vs-DPD chart with the baseline marked and the flagged method highlighted', () => {
    const chart = section.blocks.find((b) => b.kind === 'chart');
    if (chart?.kind !== 'chart') throw new Error('no chart');
    expectCleanSvg(chart.svg);
    for (const name of ['Baseline', 'Method', 'Flagged method', 'Pareto front'])
      expect(chart.svg).toContain(name);
    expect(chart.svg).toMatch(
      /aria-label="[^"]*0 baseline \(baseline\)[^"]*4 calibrated-eq-odds \(flagged\)/,
    );
    expect(chart.svg).toContain('#d55e00');
  });

  it('lists the flags as warnings and renders into a report', () => {
    const warnings = section.blocks.find((b) => b.kind === 'warnings');
    expect(warnings).toEqual({
      kind: 'warnings',
      items: ['calibrated-eq-odds: No row of group sex=Female is selected.'],
    });
    expect(section.summary).toMatch(/4 mitigation methods .* 1 flagged/);
    const html = renderHtml(
      createReport({ title: 't', sections: [section], generatedAt: '2026-01-01T00:00:00Z' }),
    );
    expectBalancedTags(html);
    expect(html).toContain('threshold-optimizer-dp');
    // Deterministic output.
    expect(mitigationSection(TABLE)).toEqual(section);
  });

  it('a table without flags has no warnings block', () => {
    const s = mitigationSection({ ...TABLE, results: TABLE.results.slice(0, 2) });
    expect(s.blocks.some((b) => b.kind === 'warnings')).toBe(false);
    expect(s.summary).toMatch(/none was flagged/);
  });
});

describe('paretoFront and placeLabels', () => {
  it('keeps the points no other point beats on both accuracy and DPD, ordered by DPD', () => {
    const pts = [
      { dpd: 0.17, accuracy: 0.85 },
      { dpd: 0.08, accuracy: 0.84 },
      { dpd: 0.001, accuracy: 0.83 },
      { dpd: 0.09, accuracy: 0.82 },
      { dpd: 0.26, accuracy: 0.834 },
      { dpd: Number.NaN, accuracy: 0.9 },
    ];
    expect(paretoFront(pts)).toEqual([2, 1, 0]);
  });

  it('puts coinciding points’ labels on different sides so they do not overlap', () => {
    const sides = placeLabels([
      { x: 100, y: 100, text: '1' },
      { x: 102, y: 101, text: '3' },
      { x: 300, y: 50, text: '8' },
    ]);
    expect(sides[0]).toBe('right');
    expect(sides[1]).not.toBe('right');
    expect(sides[2]).toBe('right');
  });
});
