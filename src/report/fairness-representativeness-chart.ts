import type { GraphicComponentOption } from 'echarts/components';
import { InvalidParameterError } from '../core/index.js';
import { emptyChart } from './chart-utils.js';
import {
  ALERT_FILL,
  groupRowLabel,
  LABEL_W,
  type LegendEntry,
  MUTED,
  OK_FILL,
  REFERENCE_FILL,
  ROW_TOP,
  rectAt,
  shareAxis,
  shareDomain,
  shareLabel,
  textAt,
  VALUE_W,
  verticalLegend,
} from './fairness-chart-parts.js';
import type { RepresentativenessRowView } from './fairness-view.js';
import { formatMetric } from './format.js';
import { renderChartSvg } from './svg.js';

/** Input of `representativenessChart`. */
export interface RepresentativenessChartInput {
  /** Groups, drawn top to bottom in this order. */
  rows: RepresentativenessRowView[];
  /** Observed / expected below this marks a group under-represented; default 0.8. */
  underRatio?: number;
  /** Width in pixels; default 720. */
  width?: number;
}

const ROW_H = 40;

/**
 * Observed share of the audit's rows against the expected (reference population) share of each
 * group, as a pair of bars per group; the observed bar is in the alert colour when observed /
 * expected is below `underRatio`. The right column gives both shares and their ratio.
 */
export function representativenessChart(input: RepresentativenessChartInput): string {
  const width = input.width ?? 720;
  const under = input.underRatio ?? 0.8;
  const rows = input.rows;
  for (const r of rows) checkRow(r);
  const isUnder = (r: RepresentativenessRowView) =>
    r.ratio !== null && Number.isFinite(r.ratio) && r.ratio < under;
  const ariaLabel = `Observed against expected share by group: ${rows
    .map((r) => `${r.group} observed ${shareLabel(r.observedShare)}, expected ${shareLabel(r.expectedShare)}`)
    .join('; ')}`;
  if (rows.length === 0) return emptyChart('No groups to compare', ariaLabel, width);

  const domain = shareDomain(rows.flatMap((r) => [r.observedShare, r.expectedShare]));
  const x0 = LABEL_W;
  const x1 = width - VALUE_W;
  const x = (v: number) => x0 + ((x1 - x0) * Math.min(v, domain.max)) / domain.max;
  const plotBottom = ROW_TOP + ROW_H * rows.length;
  const g: GraphicComponentOption[] = [
    ...shareAxis(domain, x0, x1, ROW_TOP - 6, plotBottom, 'Share of rows'),
  ];
  rows.forEach((r, i) => {
    const cy = ROW_TOP + ROW_H * i + ROW_H / 2;
    g.push(...groupRowLabel(x0 - 10, cy, r.group, r.rows));
    g.push(rectAt(x0, cy - 12, x(r.observedShare) - x0, 11, isUnder(r) ? ALERT_FILL : OK_FILL));
    g.push(rectAt(x0, cy + 1, x(r.expectedShare) - x0, 11, REFERENCE_FILL));
    g.push(
      textAt(x1 + 10, cy - 6, `${shareLabel(r.observedShare)} vs ${shareLabel(r.expectedShare)}`, {
        fontSize: 11,
      }),
    );
    const ratio = r.ratio === null ? 'ratio n/a' : `ratio ${formatMetric(r.ratio)}`;
    g.push(textAt(x1 + 10, cy + 8, ratio, { fontSize: 11, fill: isUnder(r) ? ALERT_FILL : MUTED }));
  });
  const legend: LegendEntry[] = [
    { kind: 'box', color: OK_FILL, text: 'Observed share (rows in the audit)' },
    { kind: 'box', color: ALERT_FILL, text: `Observed share under ${under} × expected` },
    { kind: 'box', color: REFERENCE_FILL, text: 'Expected share (reference population)' },
  ];
  g.push(...verticalLegend(x0, plotBottom + 62, legend));
  return renderChartSvg({ graphic: g }, { width, height: plotBottom + 62 + 20 * legend.length, ariaLabel });
}

function checkRow(r: RepresentativenessRowView): void {
  for (const [name, v] of [
    ['observedShare', r.observedShare],
    ['expectedShare', r.expectedShare],
  ] as const) {
    if (!(Number.isFinite(v) && v >= 0 && v <= 1)) {
      throw new InvalidParameterError(
        `The ${name} of group '${r.group}' given to representativenessChart must be in [0, 1]. Got ${v} instead.`,
      );
    }
  }
}
