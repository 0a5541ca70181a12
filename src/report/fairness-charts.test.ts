import { describe, expect, it } from 'vitest';
import { HOSTILE } from './fairness-fixtures.test-suite.js';
import { intersectionHeatmap } from './fairness-heatmap-chart.js';
import { representativenessChart } from './fairness-representativeness-chart.js';
import { selectionRateChart } from './fairness-selection-chart.js';
import { chartBuilderChecks, expectCleanSvg } from './svg-checks.test-suite.js';

const bars = [
  { label: 'sex=Male', count: 30958, rate: 0.3, interval: { lower: 0.29, upper: 0.31 } },
  { label: 'sex=Female', count: 14264, rate: 0.2, interval: { lower: 0.19, upper: 0.21 } },
  { label: HOSTILE, count: 12, rate: 0.25 },
  { label: 'nobody selected', count: 40, rate: null },
];

const heatmapInput = {
  rowColumn: 'race',
  columnColumn: 'sex',
  metric: 'Selection rate',
  cells: [
    { row: 'Black', column: 'Female', value: 0.05, count: 2308 },
    { row: 'Black', column: 'Male', value: 0.14, count: 2014 },
    { row: HOSTILE, column: 'Female', value: 0, count: 12 },
    { row: 'White', column: 'Male', value: 0.26, count: 28944 },
  ],
};

const repRows = [
  { group: 'sex=Female', rows: 14264, observedShare: 0.3154, expectedShare: 0.508, ratio: 0.6209 },
  { group: HOSTILE, rows: 30958, observedShare: 0.6846, expectedShare: 0.492, ratio: 1.3915 },
];

const builders: [string, () => string][] = [
  ['selectionRateChart', () => selectionRateChart({ groups: bars, confidence: 0.95 })],
  ['intersectionHeatmap', () => intersectionHeatmap(heatmapInput)],
  [
    'intersectionHeatmap (diverging)',
    () => intersectionHeatmap({ ...heatmapInput, center: 0.1, format: 'metric' }),
  ],
  ['representativenessChart', () => representativenessChart({ rows: repRows })],
];

chartBuilderChecks(builders, 40_000);

describe('selectionRateChart', () => {
  it('flags groups below four-fifths of the highest rate and draws the band and whiskers', () => {
    const svg = selectionRateChart({ groups: bars, confidence: 0.95 });
    // Highest rate 0.3: threshold 0.8 × 0.3 = 24.0%; Female (20%) is below, the 25% group is not.
    expect(svg).toContain('four-fifths threshold 24.0%');
    expect(svg).toContain('sex=Female 20.0% of 14,264 (below threshold)');
    expect(svg).not.toContain('25.0% of 12 (below threshold)');
    expect(svg).toContain('30.0% (29.0%–31.0%)');
    expect(svg).toContain('95% confidence interval');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('n/a');
  });

  it('rejects rates and intervals outside [0, 1] and draws a placeholder for no groups', () => {
    expect(() => selectionRateChart({ groups: [{ label: 'a', count: 1, rate: 1.5 }] })).toThrow(
      /in \[0, 1\] or null/,
    );
    expect(() =>
      selectionRateChart({
        groups: [{ label: 'a', count: 1, rate: 0.5, interval: { lower: 0.6, upper: 0.4 } }],
      }),
    ).toThrow(/lower <= upper/);
    expectCleanSvg(selectionRateChart({ groups: [] }));
  });
});

describe('intersectionHeatmap', () => {
  it('shows values and counts, marks small and unobserved intersections', () => {
    const svg = intersectionHeatmap(heatmapInput);
    expect(svg).toContain('14.0%');
    expect(svg).toContain('n = 2,308');
    expect(svg).toContain('n = 12 · too small');
    expect(svg).toContain('no rows'); // (White, Female) and (HOSTILE, Male) are absent
    expect(svg).toMatch(/aria-label="Selection rate by race and sex: Black, Female: 5\.0% \(n = 2,308\)/);
  });

  it('rejects a repeated intersection', () => {
    const cells = [...heatmapInput.cells, heatmapInput.cells[0]];
    expect(() => intersectionHeatmap({ ...heatmapInput, cells })).toThrow(/given twice/);
  });
});

describe('representativenessChart', () => {
  it('gives observed and expected shares and the ratio, and flags under-representation', () => {
    const svg = representativenessChart({ rows: repRows });
    expect(svg).toContain('31.5% vs 50.8%');
    expect(svg).toContain('ratio 0.6209');
    expect(svg).toContain('Observed share under 0.8 × expected');
    expect(() => representativenessChart({ rows: [{ ...repRows[0], expectedShare: 2 }] })).toThrow(
      /expectedShare of group 'sex=Female'/,
    );
  });
});
