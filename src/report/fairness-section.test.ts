import { describe, expect, it } from 'vitest';
import { createReport } from './create-report.js';
import { fairnessFixture, HOSTILE } from './fairness-fixtures.test-suite.js';
import { fairnessSection } from './fairness-section.js';
import { renderHtml } from './html.js';
import type { ReportBlock, ReportSection } from './model.js';
import { expectBalancedTags } from './svg-checks.test-suite.js';

function blocksOf<K extends ReportBlock['kind']>(
  s: ReportSection,
  kind: K,
): Extract<ReportBlock, { kind: K }>[] {
  return s.blocks.filter((b): b is Extract<ReportBlock, { kind: K }> => b.kind === kind);
}

describe('fairnessSection', () => {
  const section = fairnessSection(fairnessFixture());

  it('has facts, warnings, metric and group tables, and the three kinds of chart', () => {
    expect([section.id, section.title]).toEqual(['fairness', 'Fairness audit']);
    const facts = blocksOf(section, 'keyValue')[0].items;
    expect(facts).toContainEqual(['Privileged group', 'sex=Male, race=White']);
    expect(facts).toContainEqual(['Intervals (95%)', 'percentile bootstrap, 1000 replicates, seed 0']);
    expect(blocksOf(section, 'table').map((t) => t.caption)).toEqual([
      'Fairness metrics',
      'Metrics by group (95% intervals in brackets)',
      'Representativeness',
    ]);
    // Selection rate chart, two heat maps, representativeness chart.
    expect(blocksOf(section, 'chart')).toHaveLength(4);
  });

  it('puts intervals next to values and leaves missing ones empty', () => {
    const [metrics, groups] = blocksOf(section, 'table');
    expect(metrics.columns).toEqual(['Metric', 'Value', '95% interval', 'Convention']);
    expect(metrics.rows[0]).toEqual([
      'Statistical parity difference',
      -0.1781,
      '[-0.1852, -0.1710]',
      'unprivileged − privileged (AIF360)',
    ]);
    expect(metrics.rows[2][2]).toBeNull();
    expect(groups.rows[0].slice(0, 3)).toEqual([
      'sex=Female, race=Black',
      2308,
      '0.05200 [0.04300, 0.06100]',
    ]);
    expect(groups.rows[0][3]).toBeCloseTo(0.052 * 2.1, 12);
  });

  it('summarises the spread of selection rates against the four-fifths rule', () => {
    // Highest 26.3%; 0.8 × 0.263 = 0.2104: four of five groups are below it.
    expect(section.summary).toBe(
      "45,222 rows audited over sex, race in 5 groups. Selection rates range from 0.0% ('sex=Female, race=" +
        `${HOSTILE}') to 26.3% ('sex=Male, race=White'); 4 of 5 groups fall below 0.8 × the highest rate.`,
    );
  });

  it('warns about small groups, intersections too small to judge and undefined metrics', () => {
    const warnings = blocksOf(section, 'warnings')[0].items;
    expect(warnings[0]).toContain('under-represented');
    expect(warnings).toContain(
      `Group 'sex=Female, race=${HOSTILE}' has only 12 rows (fewer than 30); its metrics are too noisy to judge.`,
    );
    expect(warnings).toContain(
      `1 intersection of race and sex has fewer than 30 rows and cannot be judged: race=${HOSTILE}, sex=Female (12).`,
    );
    expect(warnings).toContain('Equalized odds difference is undefined for this audit.');
  });

  it('reports the chi-square test of representativeness', () => {
    const kv = blocksOf(section, 'keyValue')[1].items;
    expect(kv).toEqual([
      ['Pearson chi-square statistic', '6,712'],
      ['Degrees of freedom', '1'],
      ['p-value', '0'],
    ]);
  });

  it('works without intervals, intersections or representativeness', () => {
    const bare = fairnessSection({
      ...fairnessFixture(),
      intersections: undefined,
      representativeness: undefined,
      confidence: undefined,
      groups: fairnessFixture().groups.map(({ intervals, ...g }) => g),
      metrics: [],
    });
    expect(blocksOf(bare, 'chart')).toHaveLength(1);
    expect(blocksOf(bare, 'table').map((t) => t.caption)).toEqual(['Metrics by group']);
  });

  it('is plain JSON-serialisable data and renders to balanced, escaped, deterministic HTML', () => {
    expect(JSON.parse(JSON.stringify(section))).toEqual(section);
    const render = () =>
      renderHtml(
        createReport({
          title: 'Audit',
          sections: [fairnessSection(fairnessFixture(), { id: 'fair-1' })],
          generatedAt: '2024-01-01T00:00:00.000Z',
        }),
      );
    const html = render();
    expect(html).toBe(render());
    expect(html).not.toContain('<script>');
    expectBalancedTags(html);
  });
});
