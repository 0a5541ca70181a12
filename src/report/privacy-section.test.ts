import { describe, expect, it } from 'vitest';
import type { ChartBlock, TableBlock, WarningsBlock } from './model.js';
import { membershipRocChart, privacyAccuracyChart } from './privacy-charts.js';
import { type PrivacySectionInput, privacySection } from './privacy-section.js';
import { chartBuilderChecks } from './svg-checks.test-suite.js';

const HOSTILE = '<script>alert(1)</script>';
const fpr = Array.from({ length: 101 }, (_, i) => (i / 100) ** 3);

const input: PrivacySectionInput = {
  dpSgd: {
    model: 'logistic regression',
    delta: 1e-5,
    baseline: { accuracy: 0.846, fitSeconds: 0.4 },
    runs: [
      { targetEpsilon: 1, epsilon: 0.98, accuracy: 0.79, noiseMultiplier: 2.1, epochs: 5, fitSeconds: 0.5 },
      { targetEpsilon: 8, epsilon: 7.9, accuracy: 0.83, noiseMultiplier: 0.7, epochs: 5, fitSeconds: 0.5 },
    ],
  },
  membership: [
    {
      attack: 'loss threshold',
      model: HOSTILE,
      auc: 0.71,
      tprAt1PctFpr: 0.05,
      tprAt01PctFpr: 0.01,
      advantage: 0.3,
      epsilonLowerBound: 0.8,
      roc: { fpr, tpr: fpr.map((x) => Math.sqrt(x)) },
    },
  ],
  ledger: {
    file: 'out/privacy-ledger.json',
    budget: { epsilon: 10, delta: 1e-5 },
    spent: { epsilon: 8.88, delta: 2e-6 },
    entries: [
      { time: '2026-11-23T14:00:00Z', kind: 'dp-sgd', description: 'LR ε=1', epsilon: 0.98, delta: 1e-6 },
    ],
  },
  pii: [
    {
      file: 'people.csv',
      rows: 3,
      columns: [
        {
          column: 'email',
          pii: true,
          entities: { EMAIL_ADDRESS: { cells: 3, share: 1 } },
          samples: ['j***@***.com'],
        },
        { column: 'city', pii: false, entities: {}, samples: [] },
      ],
    },
  ],
};

chartBuilderChecks(
  [['membershipRocChart', () => membershipRocChart([{ name: HOSTILE, fpr, tpr: fpr, auc: 0.5 }])]],
  16_000,
);

describe('privacyAccuracyChart', () => {
  it('draws the runs on a log ε axis with the non-private accuracy, and names them for screen readers', () => {
    const svg = privacyAccuracyChart({ points: input.dpSgd?.runs ?? [], baselineAccuracy: 0.846 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('ε 0.9800: 0.7900');
    expect(svg).toContain('Without privacy');
    expect(privacyAccuracyChart({ points: [] })).toContain('No private training run');
  });
});

describe('privacySection', () => {
  const section = privacySection(input);
  const tables = section.blocks.filter((b): b is TableBlock => b.kind === 'table');
  const charts = section.blocks.filter((b): b is ChartBlock => b.kind === 'chart');
  const warnings = section.blocks
    .filter((b): b is WarningsBlock => b.kind === 'warnings')
    .flatMap((b) => b.items);

  it('has the DP-SGD table with the non-private baseline first, the MI table, the ledger and the PII scan', () => {
    expect(section.id).toBe('privacy');
    expect(tables.map((t) => t.columns[0])).toEqual(['target ε', 'attack', 'time', 'column']);
    // Δ accuracy of the ε = 1 run: 0.79 − 0.846 = −0.056.
    expect(tables[0].rows[1][5]).toBeCloseTo(-0.056, 12);
    expect(charts).toHaveLength(2);
    expect(charts[1].svg).toContain('log');
  });

  it('summarises the cheapest private run, the strongest attack and the spend, and warns about leaks and PII', () => {
    expect(section.summary).toContain('ε = 0.98 keeps 0.79 accuracy');
    expect(section.summary).toContain('AUC 0.71');
    expect(section.summary).toContain('8.88 of the ε budget 10 is spent');
    expect(warnings.some((w) => w.includes('AUC 0.71'))).toBe(true);
    expect(warnings.some((w) => w.includes("Column 'email' of people.csv holds personal data"))).toBe(true);
  });

  it('says so when nothing was run', () => {
    expect(privacySection({}).blocks).toEqual([{ kind: 'paragraph', text: 'No privacy analysis was run.' }]);
  });

  it('rejects points the charts cannot draw', () => {
    expect(() => privacyAccuracyChart({ points: [{ epsilon: 0, accuracy: 0.5 }] })).toThrow(/epsilon > 0/);
    expect(() => membershipRocChart([{ name: 'x', fpr: [0], tpr: [0], auc: 0.5 }])).toThrow(/at least 2/);
  });
});
