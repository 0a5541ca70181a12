import type { ColumnDrift } from './column-drift.js';
import type { GroupRates } from './fairness-drift.js';
import type { MonitorReport } from './monitor-files.js';

const num = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;

function columnJson(c: ColumnDrift) {
  return {
    column: c.column,
    kind: c.kind,
    test: c.test,
    statistic: num(c.statistic),
    ...(c.pValue !== undefined ? { p_value: num(c.pValue) } : {}),
    threshold: c.threshold,
    drifted: c.drifted,
  };
}

const ratesJson = (r: GroupRates) => ({
  rows: r.rows,
  selection_rate: num(r.selectionRate),
  ...(r.tpr !== undefined ? { tpr: num(r.tpr), fpr: num(r.fpr) } : {}),
});

/** The report as the JSON of `steward monitor --json` (snake_case keys; non-finite numbers as null). */
export function monitorReportJson(report: MonitorReport): Record<string, unknown> {
  return {
    rows: report.rows,
    dataset_drift: report.datasetDrift,
    drifted_share: report.driftedShare,
    columns: report.columns.map(columnJson),
    prediction_drift: columnJson(report.predictionDrift),
    fairness: {
      attributes: report.fairness.attributes,
      labels: report.fairness.labels,
      groups: report.fairness.groups.map((g) => ({
        attribute: g.attribute,
        group: g.group,
        reference: ratesJson(g.reference),
        current: ratesJson(g.current),
        selection_rate_change: num(g.selectionRateChange),
      })),
      disparate_impact: report.fairness.disparateImpact,
      alerts: report.fairness.alerts,
    },
  };
}

const fmt = (x: number | undefined) =>
  x === undefined
    ? ''
    : !Number.isFinite(x)
      ? String(x)
      : Math.abs(x) >= 1e-3 || x === 0
        ? x.toFixed(4)
        : x.toExponential(2);

/** The report as a short table for people: one line per column, prediction drift, group rates and alerts. */
export function formatMonitorReport(report: MonitorReport): string {
  const rows = [...report.columns, report.predictionDrift].map((c) => [
    c.column,
    c.test,
    fmt(c.statistic),
    fmt(c.pValue),
    String(c.threshold),
    c.drifted ? 'DRIFT' : 'ok',
  ]);
  const head = ['column', 'test', 'statistic', 'p-value', 'threshold', 'drift'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [
    `steward monitor: ${report.rows.reference} reference rows, ${report.rows.current} current rows`,
    `Dataset drift: ${report.datasetDrift ? 'YES' : 'no'} (${report.columns.filter((c) => c.drifted).length} of ${report.columns.length} columns drifted, share ${report.driftedShare.toFixed(3)}; threshold 0.5)`,
    '',
    line(head),
    ...rows.map(line),
  ];
  if (report.fairness.attributes.length > 0) {
    out.push('', 'Fairness (selection rate reference → current):');
    for (const g of report.fairness.groups)
      out.push(
        `  ${g.attribute}=${g.group}: ${fmt(g.reference.selectionRate)} → ${fmt(g.current.selectionRate)} (${g.current.rows} rows)`,
      );
    for (const d of report.fairness.disparateImpact)
      out.push(
        `  disparate impact (${d.attribute}): ${fmt(d.reference ?? Number.NaN)} → ${fmt(d.current ?? Number.NaN)}`,
      );
  }
  const alerts = report.fairness.alerts;
  out.push('', alerts.length === 0 ? 'Alerts: none' : `Alerts (${alerts.length}):`);
  for (const a of alerts) out.push(`  - ${a.message}`);
  return `${out.join('\n')}\n`;
}
