import { describe, expect, it } from 'vitest';
import { datasetSection } from './dataset-section.js';
import { evaluationSection } from './evaluation-section.js';
import { datasetFixture, evaluationFixture, runInfoFixture, XSS } from './fixtures.test-suite.js';
import type { ChartBlock, ReportBlock, ReportSection, TableBlock, WarningsBlock } from './model.js';
import { runInfoSection } from './run-info-section.js';

function blocksOf<K extends ReportBlock['kind']>(
  s: ReportSection,
  kind: K,
): Extract<ReportBlock, { kind: K }>[] {
  return s.blocks.filter((b): b is Extract<ReportBlock, { kind: K }> => b.kind === kind);
}

function warningsOf(s: ReportSection): string[] {
  return blocksOf(s, 'warnings').flatMap((b: WarningsBlock) => b.items);
}

describe('datasetSection', () => {
  const section = datasetSection(datasetFixture());

  it('has a stable id, a summary, a label balance chart and column and group tables', () => {
    expect(section.id).toBe('dataset');
    expect(section.summary).toContain("30,162 rows of 'adult'");
    expect(blocksOf(section, 'chart')).toHaveLength(1);
    const captions = blocksOf(section, 'table').map((t: TableBlock) => t.caption);
    expect(captions).toEqual(['Label balance by group', 'Columns']);
  });

  it('computes group shares within each attribute and positive rates', () => {
    const table = blocksOf(section, 'table')[0];
    const female = table.rows.find((r) => r[1] === 'Female')!;
    // 9782 / (20380 + 9782) and 1112 / 9782, by hand.
    expect(female[3]).toBeCloseTo(9782 / 30162, 12);
    expect(female[5]).toBeCloseTo(1112 / 9782, 12);
  });

  it('warns about small groups, groups without positives and heavy row dropping', () => {
    const w = warningsOf(section);
    expect(w.some((x) => x.includes(`'race = ${XSS}' has only 12 rows (fewer than 30)`))).toBe(true);
    expect(w.some((x) => x.includes(`'race = ${XSS}' has no rows with label '>50K'`))).toBe(true);
    // 2399 / (30162 + 2399) = 7.37% >= 5%.
    expect(w.some((x) => x.includes('2,399 of 32,561 rows (7.4%) were dropped'))).toBe(true);
    expect(w.some((x) => x.includes("'sex = Male'"))).toBe(false);
  });

  it('accepts an id and title override so two datasets fit in one report', () => {
    const s = datasetSection(datasetFixture(), { id: 'dataset-test', title: 'Test data' });
    expect([s.id, s.title]).toEqual(['dataset-test', 'Test data']);
  });

  it('is plain JSON-serialisable data', () => {
    expect(JSON.parse(JSON.stringify(section))).toEqual(section);
  });
});

describe('evaluationSection', () => {
  const section = evaluationSection(evaluationFixture(), { labels: ['<=50K', '>50K'] });

  it('has metrics, confusion matrix, ROC curve and per-group tables', () => {
    expect(section.id).toBe('evaluation');
    expect(section.title).toBe('Evaluation: logistic-regression');
    const tables = blocksOf(section, 'table');
    expect(tables.map((t) => t.caption)).toEqual(['Metrics', 'Metrics by group']);
    expect(tables[0].rows.map((r) => r[0])).toEqual([
      'Accuracy',
      'Balanced accuracy',
      'Precision',
      'Recall (TPR)',
      'F1 score',
      'ROC AUC',
      'Log loss',
      'Brier score',
    ]);
    const charts = blocksOf(section, 'chart').map((c: ChartBlock) => c.svg);
    expect(charts).toHaveLength(2);
    expect(charts[0]).toContain('&gt;50K');
    expect(charts[1]).toContain('AUC 0.7500');
  });

  it('warns about undefined group metrics, tiny groups and ONNX mismatches', () => {
    const w = warningsOf(section);
    expect(w.some((x) => x.startsWith(`TPR is undefined for group 'race = ${XSS}'`))).toBe(true);
    expect(w.some((x) => x.includes('only 3 evaluation rows'))).toBe(true);
    expect(w.some((x) => x.includes('differ by up to 0.002500 (tolerance 0.0001)'))).toBe(true);
    const quiet = evaluationSection({ ...evaluationFixture(), byGroup: [], onnxMaxAbsDiff: 1e-7 });
    expect(warningsOf(quiet)).toEqual([]);
  });

  it('reports undefined overall metrics instead of hiding them', () => {
    const r = evaluationFixture();
    r.metrics.rocAuc = Number.NaN;
    expect(warningsOf(evaluationSection(r))).toContain('ROC AUC is undefined (NaN) on the evaluation rows.');
  });
});

describe('runInfoSection', () => {
  it('lists the command, seed, duration and every output file', () => {
    const s = runInfoSection(runInfoFixture());
    expect(s.id).toBe('run');
    const kv = blocksOf(s, 'keyValue')[0].items;
    expect(kv).toContainEqual(['Seed', '42']);
    expect(kv).toContainEqual(['Duration', '12.35 s']);
    expect(blocksOf(s, 'table')[0].rows).toEqual([
      ['out/report.html'],
      ['out/model.onnx'],
      ['out/results.json'],
    ]);
  });
});
