import { describe, expect, it } from 'vitest';
import { type ExplainSectionInput, explainSection } from './explain-section.js';
import type { ChartBlock, TableBlock } from './model.js';
import { shapWaterfallChart } from './shap-waterfall-chart.js';
import { chartBuilderChecks } from './svg-checks.test-suite.js';

const HOSTILE = '<script>alert(1)</script>';

chartBuilderChecks(
  [
    [
      'shapWaterfallChart',
      () =>
        shapWaterfallChart({
          baseValue: 0.24,
          outputName: 'P(>50K)',
          steps: [
            { label: HOSTILE, contribution: -0.1 },
            { label: 'age = 23', contribution: 0.02 },
          ],
        }),
    ],
  ],
  16_000,
);

const input: ExplainSectionInput = {
  output: 'probability',
  method: 'kernel-exact',
  rows: 200,
  backgroundRows: 100,
  importance: [
    { feature: 'age', meanAbs: 0.05 },
    { feature: 'marital-status', meanAbs: 0.09 },
    { feature: 'education', meanAbs: 0.07 },
  ],
  permutation: [{ feature: 'age', mean: 0.01, std: 0.002 }],
  example: {
    row: 17,
    probability: 0.12,
    threshold: 0.5,
    baseValue: 0.24,
    contributions: [
      { feature: 'age', value: '23', contribution: -0.07 },
      { feature: 'education', value: 'HS-grad', contribution: -0.05 },
    ],
    reasons: [{ feature: 'age', text: 'age = 23 lowered the score (typical: 38)' }],
    counterfactuals: {
      found: true,
      items: [{ probability: 0.61, changes: [{ feature: 'education', from: 'HS-grad', to: 'Masters' }] }],
    },
  },
};

describe('shapWaterfallChart', () => {
  it('starts at the base value, ends at base + Σφ, largest contribution first, the tail folded', () => {
    const steps = Array.from({ length: 12 }, (_, i) => ({ label: `f${i}`, contribution: (i + 1) / 100 }));
    const svg = shapWaterfallChart({ baseValue: 0.2, outputName: 'P', steps, maxSteps: 10 });
    // Σ (1..12)/100 = 0.78, so f(x) = 0.98; the two smallest (0.01 + 0.02) fold into one bar.
    expect(svg).toContain('output 0.9800');
    expect(svg.indexOf('f11 +0.1200')).toBeLessThan(svg.indexOf('f10 +0.1100'));
    expect(svg).toContain('2 other features +0.03000');
  });

  it('rejects a non-finite contribution', () => {
    expect(() =>
      shapWaterfallChart({
        baseValue: 0,
        outputName: 'P',
        steps: [{ label: 'x', contribution: Number.NaN }],
      }),
    ).toThrow(/contribution of 'x'.*finite/);
  });
});

describe('explainSection', () => {
  const s = explainSection(input);
  const tables = s.blocks.filter((b): b is TableBlock => b.kind === 'table');
  const charts = s.blocks.filter((b): b is ChartBlock => b.kind === 'chart');

  it('ranks global importance, explains the refused row and lists its reasons and counterfactuals', () => {
    expect(s.id).toBe('explain');
    expect(s.summary).toContain('leans most on marital-status, education, age');
    expect(s.summary).toContain('row 17');
    expect(charts).toHaveLength(2);
    expect(tables.map((t) => t.columns[1])).toEqual(['importance', 'reason', 'changes']);
    expect(tables[2].rows[0][1]).toBe('education: HS-grad → Masters');
  });

  it('says so when no counterfactual exists within the constraints', () => {
    const none = explainSection({
      ...input,
      example: {
        ...(input.example as NonNullable<ExplainSectionInput['example']>),
        counterfactuals: { found: false, reason: 'no counterfactual within the constraints', items: [] },
      },
    });
    expect(
      none.blocks.some(
        (b) =>
          b.kind === 'paragraph' &&
          b.text.startsWith('No counterfactual: no counterfactual within the constraints'),
      ),
    ).toBe(true);
  });
});
