// Fixture result objects for the report tests: plain data shaped like what `steward run` produces
// for the UCI Adult dataset (counts are illustrative, not computed from the real file).
import { createReport } from './create-report.js';
import { type DatasetSummary, datasetSection } from './dataset-section.js';
import { type EvaluationResult, evaluationSection } from './evaluation-section.js';
import type { Report } from './model.js';
import { type RunInfo, runInfoSection } from './run-info-section.js';

/** Text a malicious dataset could carry in a column name or group value. */
export const XSS = '<script>alert("x")</script>';

/** A dataset summary with a tiny group, an all-negative group and hostile text. */
export function datasetFixture(): DatasetSummary {
  return {
    name: 'adult',
    source: 'datasets/adult.data',
    rows: 30162,
    droppedRows: 2399,
    dropReason: 'missing value in a used column',
    label: 'income',
    positiveLabel: '>50K',
    protectedAttributes: ['sex', 'race'],
    columns: [
      {
        name: 'age',
        type: 'numeric',
        role: 'feature',
        missing: 0,
        distinct: 72,
        mean: 38.4379,
        min: 17,
        max: 90,
      },
      { name: 'workclass', type: 'categorical', role: 'feature', missing: 0, distinct: 7 },
      {
        name: 'capital-gain',
        type: 'numeric',
        role: 'feature',
        missing: 0,
        mean: 1092.007858,
        min: 0,
        max: 99999,
      },
      { name: 'sex', type: 'categorical', role: 'protected', missing: 0, distinct: 2 },
      { name: 'race', type: 'categorical', role: 'protected', missing: 0, distinct: 6 },
      {
        name: 'fnlwgt',
        type: 'numeric',
        role: 'ignored',
        missing: 0,
        mean: 189793.8,
        min: 13769,
        max: 1484705,
      },
      { name: XSS, type: 'categorical', role: 'feature', missing: 3, distinct: 2 },
      { name: 'income', type: 'categorical', role: 'label', missing: 0, distinct: 2 },
    ],
    groups: [
      { attribute: 'sex', group: 'Male', count: 20380, positives: 6396 },
      { attribute: 'sex', group: 'Female', count: 9782, positives: 1112 },
      { attribute: 'race', group: 'White', count: 25933, positives: 7117 },
      { attribute: 'race', group: 'Black', count: 2817, positives: 366 },
      { attribute: 'race', group: 'Asian-Pac-Islander', count: 895, positives: 248 },
      { attribute: 'race', group: 'Amer-Indian-Eskimo', count: 286, positives: 34 },
      { attribute: 'race', group: 'Other', count: 219, positives: 25 },
      { attribute: 'race', group: XSS, count: 12, positives: 0 },
    ],
    split: { train: 24129, test: 6033, seed: 42, stratified: true },
  };
}

/** A ROC curve tpr = 1 - (1 - fpr)^3 sampled at 801 points; its exact AUC is 1 - 1/4 = 0.75. */
export function rocFixture(points = 801): { fpr: number[]; tpr: number[] } {
  const fpr: number[] = [];
  const tpr: number[] = [];
  for (let i = 0; i < points; i++) {
    const x = i / (points - 1);
    fpr.push(x);
    tpr.push(1 - (1 - x) ** 3);
  }
  return { fpr, tpr };
}

/** An evaluation result with an undefined group TPR and an ONNX mismatch above tolerance. */
export function evaluationFixture(): EvaluationResult {
  return {
    model: 'logistic-regression',
    threshold: 0.5,
    metrics: {
      accuracy: 0.851234,
      balancedAccuracy: 0.7654321,
      precision: 0.734,
      recall: 0.6012345,
      f1: 0.66123,
      rocAuc: 0.75,
      logLoss: 0.3219876,
      brierScore: 0.1034567,
    },
    confusion: { tp: 906, fp: 327, tn: 4204, fn: 596 },
    roc: rocFixture(),
    byGroup: [
      {
        attribute: 'sex',
        group: 'Male',
        count: 4077,
        selectionRate: 0.2601,
        accuracy: 0.8123,
        tpr: 0.6345,
        fpr: 0.1012,
      },
      {
        attribute: 'sex',
        group: 'Female',
        count: 1956,
        selectionRate: 0.0712,
        accuracy: 0.9234,
        tpr: 0.4512,
        fpr: 0.0234,
      },
      { attribute: 'race', group: XSS, count: 3, selectionRate: 0, accuracy: 1, tpr: null, fpr: 0 },
    ],
    trainingSeconds: 1.8734,
    onnxMaxAbsDiff: 2.5e-3,
  };
}

/** The run info of the fixture run. */
export function runInfoFixture(): RunInfo {
  return {
    command: 'steward run --dataset adult --seed 42',
    version: '0.1.0',
    seed: 42,
    durationSeconds: 12.345,
    node: 'v20.20.2',
    platform: 'linux x64',
    outputs: ['out/report.html', 'out/model.onnx', 'out/results.json'],
  };
}

/** A full fixture report: dataset, evaluation, a hand-made section with every block kind, run info. */
export function reportFixture(): Report {
  return createReport({
    title: 'Steward report: adult',
    subtitle: `Logistic regression on 'adult' ${XSS}`,
    generatedAt: '2025-03-01T12:34:56.000Z',
    meta: { Dataset: 'adult', Model: 'logistic-regression', 'Steward version': '0.1.0' },
    sections: [
      datasetSection(datasetFixture()),
      evaluationSection(evaluationFixture(), { labels: ['<=50K', '>50K'] }),
      {
        id: 'notes',
        title: 'Notes & caveats',
        summary: 'Hand-made section with every block kind.',
        blocks: [
          { kind: 'paragraph', text: `First paragraph ${XSS}.\n\nSecond paragraph.` },
          {
            kind: 'table',
            caption: 'Mixed table',
            columns: ['Name', 'Count', 'Rate', 'Missing'],
            rows: [
              [XSS, 1234567, 0.123456, null],
              ['b', 12, 1, 3],
            ],
            numberFormat: ['auto', 'count', 'metric', 'count'],
          },
          { kind: 'warnings', items: [`Careful with ${XSS}`] },
          {
            kind: 'keyValue',
            items: [
              ['Rows', 1234567],
              ['Note', XSS],
            ],
          },
        ],
      },
      runInfoSection(runInfoFixture()),
    ],
  });
}
