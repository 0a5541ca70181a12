// A fairness audit view shaped like what the audit produces for UCI Adult over sex × race (numbers
// illustrative, not computed from the real file), with a tiny intersection and hostile text.
import type { FairnessAuditView, FairnessGroupView } from './fairness-view.js';

/** Text a malicious dataset could carry in a group value. */
export const HOSTILE = '<script>alert("x")</script>';

function group(label: string, count: number, selectionRate: number, halfWidth: number): FairnessGroupView {
  return {
    label,
    count,
    selectionRate,
    tpr: Math.min(1, selectionRate * 2.1),
    fpr: selectionRate / 6,
    precision: 0.71,
    accuracy: 0.84,
    baseRate: selectionRate * 1.1,
    intervals: {
      selectionRate: {
        lower: Math.max(0, selectionRate - halfWidth),
        upper: Math.min(1, selectionRate + halfWidth),
      },
    },
  };
}

/** A sex × race audit with intervals, intersections, representativeness and warnings. */
export function fairnessFixture(): FairnessAuditView {
  return {
    protectedColumns: ['sex', 'race'],
    privileged: { sex: 'Male', race: 'White' },
    rows: 45222,
    label: { column: 'income', positive: '>50K' },
    confidence: 0.95,
    intervalMethod: 'percentile bootstrap, 1000 replicates, seed 0',
    zeroDivision: 'AIF360 (0/0 → NaN) for AIF360 metrics; scikit-learn (0/0 → 0) for per-group rates',
    metrics: [
      {
        name: 'Statistical parity difference',
        value: -0.1781,
        interval: { lower: -0.1852, upper: -0.171 },
        description: 'unprivileged − privileged (AIF360)',
      },
      {
        name: 'Disparate impact',
        value: 0.3105,
        interval: { lower: 0.2951, upper: 0.3262 },
        description: 'unprivileged / privileged (AIF360)',
      },
      { name: 'Demographic parity ratio', value: 0.1972, description: 'min / max over groups (Fairlearn)' },
      {
        name: 'Equalized odds difference',
        value: null,
        description: 'max(TPR difference, FPR difference) (Fairlearn)',
      },
    ],
    groups: [
      group('sex=Female, race=Black', 2308, 0.052, 0.009),
      group(`sex=Female, race=${HOSTILE}`, 12, 0, 0),
      group('sex=Female, race=White', 11944, 0.098, 0.005),
      group('sex=Male, race=Black', 2014, 0.141, 0.015),
      group('sex=Male, race=White', 28944, 0.263, 0.005),
    ],
    intersections: [
      {
        rowColumn: 'race',
        columnColumn: 'sex',
        metric: 'Selection rate',
        cells: [
          { row: 'Black', column: 'Female', value: 0.052, count: 2308 },
          { row: 'Black', column: 'Male', value: 0.141, count: 2014 },
          { row: HOSTILE, column: 'Female', value: 0, count: 12 },
          { row: 'White', column: 'Female', value: 0.098, count: 11944 },
          { row: 'White', column: 'Male', value: 0.263, count: 28944 },
        ],
      },
      {
        rowColumn: 'race',
        columnColumn: 'sex',
        metric: 'Selection rate / highest group',
        format: 'metric',
        center: 1,
        cells: [
          { row: 'Black', column: 'Female', value: 0.1977, count: 2308 },
          { row: 'Black', column: 'Male', value: 0.5361, count: 2014 },
          { row: 'White', column: 'Female', value: 0.3726, count: 11944 },
          { row: 'White', column: 'Male', value: 1, count: 28944 },
        ],
      },
    ],
    representativeness: {
      source: 'census-2020.csv',
      rows: [
        { group: 'sex=Female', rows: 14264, observedShare: 0.3154, expectedShare: 0.508, ratio: 0.6209 },
        { group: 'sex=Male', rows: 30958, observedShare: 0.6846, expectedShare: 0.492, ratio: 1.3915 },
      ],
      chiSquare: { statistic: 6712.4, degreesOfFreedom: 1, pValue: 0 },
    },
    warnings: ["Group 'sex=Female' is under-represented: 31.5% of the rows against 50.8% expected."],
  };
}
