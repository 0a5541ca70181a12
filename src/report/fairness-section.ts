import { intersectionHeatmap } from './fairness-heatmap-chart.js';
import { representativenessChart } from './fairness-representativeness-chart.js';
import { selectionRateChart } from './fairness-selection-chart.js';
import type {
  FairnessAuditView,
  FairnessGroupMetric,
  FairnessGroupView,
  ValueInterval,
} from './fairness-view.js';
import { formatCount, formatMetric, formatPercent } from './format.js';
import type { ReportBlock, ReportSection, SectionOptions, TableCell } from './model.js';

/** Options of `fairnessSection`. */
export interface FairnessSectionOptions extends SectionOptions {
  /** Groups and intersections with fewer rows are flagged as too small to judge; default 30. */
  minRows?: number;
  /** Ratio to the highest selection rate below which a group is flagged; default 0.8 (four-fifths rule). */
  threshold?: number;
}

const GROUP_COLUMNS: [FairnessGroupMetric, string][] = [
  ['selectionRate', 'Selection rate'],
  ['tpr', 'TPR'],
  ['fpr', 'FPR'],
  ['precision', 'Precision'],
  ['accuracy', 'Accuracy'],
  ['baseRate', 'Base rate'],
];

/**
 * The fairness audit section: audit facts, warnings, headline metrics with intervals, selection rate
 * per group against the four-fifths band, metrics per group, heat maps of intersections and the
 * representativeness of the rows against a reference population. Built from a plain
 * `FairnessAuditView`; flags groups below `minRows` rows and undefined metrics in the warnings.
 */
export function fairnessSection(
  view: FairnessAuditView,
  options: FairnessSectionOptions = {},
): ReportSection {
  const minRows = options.minRows ?? 30;
  const threshold = options.threshold ?? 0.8;
  const level = view.confidence !== undefined ? `${Math.round(view.confidence * 1000) / 10}%` : '';
  const blocks: ReportBlock[] = [];

  const facts: [string, string | number][] = [
    ['Protected columns', view.protectedColumns.join(', ')],
    ['Privileged group', describePrivileged(view.privileged)],
    ['Rows audited', formatCount(view.rows)],
  ];
  if (view.label) facts.push(['Label (favourable value)', `${view.label.column} (${view.label.positive})`]);
  if (view.intervalMethod) facts.push([`Intervals${level ? ` (${level})` : ''}`, view.intervalMethod]);
  if (view.zeroDivision) facts.push(['Zero-division rule', view.zeroDivision]);
  blocks.push({ kind: 'keyValue', items: facts });

  const warnings = [...new Set([...view.warnings, ...derivedWarnings(view, minRows)])];
  if (warnings.length > 0) blocks.push({ kind: 'warnings', items: warnings });

  if (view.metrics.length > 0) {
    const withIntervals = view.metrics.some((m) => m.interval);
    const withDescriptions = view.metrics.some((m) => m.description);
    const columns = ['Metric', 'Value'];
    if (withIntervals) columns.push(`${level || 'Confidence'} interval`);
    if (withDescriptions) columns.push('Convention');
    blocks.push({
      kind: 'table',
      caption: 'Fairness metrics',
      columns,
      rows: view.metrics.map((m) => {
        const row: TableCell[] = [m.name, m.value];
        if (withIntervals) row.push(m.interval ? intervalText(m.interval) : null);
        if (withDescriptions) row.push(m.description ?? null);
        return row;
      }),
      numberFormat: 'metric',
    });
  }

  if (view.groups.length > 0) {
    blocks.push({
      kind: 'chart',
      caption: `Selection rate by group${level ? ` with ${level} intervals` : ''}. The shaded band runs from ${threshold} × the highest rate (dashed line) to the highest rate; groups below it are highlighted.`,
      svg: selectionRateChart({
        groups: view.groups.map((g) => ({
          label: g.label,
          count: g.count,
          rate: finiteOrNull(g.selectionRate),
          interval: g.intervals?.selectionRate,
        })),
        confidence: view.confidence,
        threshold,
      }),
    });
    blocks.push(groupTable(view.groups, level));
  }

  for (const inter of view.intersections ?? []) {
    blocks.push({
      kind: 'chart',
      caption: `${inter.metric} by ${inter.rowColumn} and ${inter.columnColumn}. Dashed cells have fewer than ${minRows} rows: too small to judge.`,
      svg: intersectionHeatmap({ ...inter, minRows }),
    });
  }

  const rep = view.representativeness;
  if (rep && rep.rows.length > 0) {
    blocks.push({
      kind: 'chart',
      caption: `Observed share of the rows against the expected share from '${rep.source}'.`,
      svg: representativenessChart({ rows: rep.rows }),
    });
    blocks.push({
      kind: 'table',
      caption: 'Representativeness',
      columns: ['Group', 'Rows', 'Observed share', 'Expected share', 'Observed / expected'],
      rows: rep.rows.map((r) => [r.group, r.rows, r.observedShare, r.expectedShare, r.ratio]),
      numberFormat: ['auto', 'count', 'percent', 'percent', 'metric'],
    });
    if (rep.chiSquare) {
      const { statistic, degreesOfFreedom, pValue } = rep.chiSquare;
      blocks.push({
        kind: 'keyValue',
        items: [
          ['Pearson chi-square statistic', statistic === null ? 'n/a' : formatMetric(statistic)],
          ['Degrees of freedom', String(degreesOfFreedom)],
          ['p-value', pValue === null ? 'n/a' : formatMetric(pValue)],
        ],
      });
    }
  }

  return {
    id: options.id ?? 'fairness',
    title: options.title ?? 'Fairness audit',
    summary: summarize(view, threshold),
    blocks,
  };
}

function groupTable(groups: FairnessGroupView[], level: string): ReportBlock {
  const withIntervals = groups.some((g) => g.intervals && Object.keys(g.intervals).length > 0);
  return {
    kind: 'table',
    caption: `Metrics by group${withIntervals ? ` (${level || 'confidence'} intervals in brackets)` : ''}`,
    columns: ['Group', 'Rows', ...GROUP_COLUMNS.map(([, name]) => name)],
    rows: groups.map((g) => [
      g.label,
      g.count,
      ...GROUP_COLUMNS.map(([key]) => {
        const interval = g.intervals?.[key];
        return interval ? `${formatMetric(g[key] ?? Number.NaN)} ${intervalText(interval)}` : g[key];
      }),
    ]),
    numberFormat: ['auto', 'count', 'metric', 'metric', 'metric', 'metric', 'metric', 'metric'],
  };
}

function derivedWarnings(view: FairnessAuditView, minRows: number): string[] {
  const out: string[] = [];
  for (const g of view.groups) {
    if (g.count < minRows) {
      out.push(
        `Group '${g.label}' has only ${formatCount(g.count)} rows (fewer than ${minRows}); its metrics are too noisy to judge.`,
      );
    }
  }
  for (const m of view.metrics) {
    if (m.value === null || Number.isNaN(m.value)) out.push(`${m.name} is undefined for this audit.`);
  }
  for (const inter of view.intersections ?? []) {
    const small = inter.cells.filter((c) => c.count > 0 && c.count < minRows);
    if (small.length > 0) {
      out.push(
        `${small.length} intersection${small.length > 1 ? 's' : ''} of ${inter.rowColumn} and ${inter.columnColumn} ha${small.length > 1 ? 've' : 's'} fewer than ${minRows} rows and cannot be judged: ${small
          .map(
            (c) => `${inter.rowColumn}=${c.row}, ${inter.columnColumn}=${c.column} (${formatCount(c.count)})`,
          )
          .join('; ')}.`,
      );
    }
  }
  return out;
}

function summarize(view: FairnessAuditView, threshold: number): string {
  const head = `${formatCount(view.rows)} rows audited over ${view.protectedColumns.join(', ')} in ${view.groups.length} groups.`;
  const rated = view.groups.filter((g) => finiteOrNull(g.selectionRate) !== null);
  if (rated.length < 2) return head;
  const sorted = [...rated].sort((a, b) => (a.selectionRate as number) - (b.selectionRate as number));
  const low = sorted[0];
  const high = sorted[sorted.length - 1];
  const below = rated.filter(
    (g) => (g.selectionRate as number) < threshold * (high.selectionRate as number),
  ).length;
  return `${head} Selection rates range from ${formatPercent(low.selectionRate as number)} ('${low.label}') to ${formatPercent(
    high.selectionRate as number,
  )} ('${high.label}'); ${below} of ${rated.length} groups fall below ${threshold} × the highest rate.`;
}

function describePrivileged(privileged: Record<string, string>): string {
  const pairs = Object.entries(privileged);
  return pairs.length > 0 ? pairs.map(([c, v]) => `${c}=${v}`).join(', ') : 'none given';
}

function intervalText(interval: ValueInterval): string {
  return `[${formatMetric(interval.lower)}, ${formatMetric(interval.upper)}]`;
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
