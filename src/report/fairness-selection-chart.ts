import type { GraphicComponentOption } from 'echarts/components';
import { InvalidParameterError } from '../core/index.js';
import { emptyChart } from './chart-utils.js';
import {
  ALERT_FILL,
  groupRowLabel,
  INK,
  LABEL_W,
  type LegendEntry,
  lineAt,
  OK_FILL,
  ROW_TOP,
  rectAt,
  shareAxis,
  shareDomain,
  shareLabel,
  textAt,
  VALUE_W,
  verticalLegend,
} from './fairness-chart-parts.js';
import type { ValueInterval } from './fairness-view.js';
import { formatCount, formatPercent } from './format.js';
import { renderChartSvg } from './svg.js';

/** One group's bar in a `selectionRateChart`. */
export interface SelectionRateBar {
  /** Group label. */
  label: string;
  /** Rows in the group. */
  count: number;
  /** Selection rate; null when undefined (no bar, labelled n/a). */
  rate: number | null;
  /** Confidence interval, drawn as a whisker. */
  interval?: ValueInterval;
}

/** Input of `selectionRateChart`. */
export interface SelectionRateChartInput {
  /** Groups, drawn top to bottom in this order. */
  groups: SelectionRateBar[];
  /** Confidence level of the whiskers, for the legend (e.g. 0.95). */
  confidence?: number;
  /** Ratio to the highest rate below which a group is flagged; default 0.8 (the four-fifths rule). */
  threshold?: number;
  /** Width in pixels; default 720. */
  width?: number;
}

const ROW_H = 30;

/**
 * Selection rate P(ŷ = 1 | group) of each group as horizontal bars with interval whiskers, and the
 * four-fifths band: the range from 0.8 × the highest group's rate up to that rate is shaded and its
 * lower edge dashed; a group whose rate is below the edge (impact ratio < 0.8, the EEOC Uniform
 * Guidelines' four-fifths rule, 29 CFR 1607.4(D)) is drawn in the alert colour.
 */
export function selectionRateChart(input: SelectionRateChartInput): string {
  const width = input.width ?? 720;
  const ratio = input.threshold ?? 0.8;
  const groups = input.groups;
  for (const g of groups) checkBar(g);
  const rates = groups.map((g) => g.rate).filter((r): r is number => r !== null && Number.isFinite(r));
  const best = rates.length > 0 ? Math.max(...rates) : Number.NaN;
  const edge = ratio * best;
  const flagged = (g: SelectionRateBar) => g.rate !== null && Number.isFinite(g.rate) && g.rate < edge;
  const ariaLabel =
    `Selection rate by group${Number.isFinite(best) ? `; four-fifths threshold ${formatPercent(edge)}` : ''}: ` +
    groups
      .map(
        (g) =>
          `${g.label} ${shareLabel(g.rate)} of ${formatCount(g.count)}${flagged(g) ? ' (below threshold)' : ''}`,
      )
      .join('; ');
  if (groups.length === 0) return emptyChart('No groups to chart', ariaLabel, width);

  const domain = shareDomain(groups.flatMap((g) => [g.rate, g.interval?.upper]));
  const x0 = LABEL_W;
  const x1 = width - VALUE_W;
  const x = (v: number) => x0 + ((x1 - x0) * Math.min(Math.max(v, 0), domain.max)) / domain.max;
  const plotBottom = ROW_TOP + ROW_H * groups.length;
  const g: GraphicComponentOption[] = [];
  if (Number.isFinite(best) && best > 0) {
    g.push(rectAt(x(edge), ROW_TOP - 6, x(best) - x(edge), plotBottom - ROW_TOP + 6, '#f3e3d6'));
  }
  g.push(...shareAxis(domain, x0, x1, ROW_TOP - 6, plotBottom, 'Selection rate'));
  if (Number.isFinite(best) && best > 0)
    g.push(lineAt(x(edge), ROW_TOP - 6, x(edge), plotBottom, ALERT_FILL, 2, [5, 4]));
  groups.forEach((bar, i) => {
    const cy = ROW_TOP + ROW_H * i + ROW_H / 2;
    g.push(...groupRowLabel(x0 - 10, cy, bar.label, bar.count));
    if (bar.rate !== null && Number.isFinite(bar.rate)) {
      g.push(rectAt(x0, cy - 8, x(bar.rate) - x0, 16, flagged(bar) ? ALERT_FILL : OK_FILL));
    }
    if (bar.interval) {
      const lo = x(bar.interval.lower);
      const hi = x(bar.interval.upper);
      g.push(
        lineAt(lo, cy, hi, cy, INK, 1.5),
        lineAt(lo, cy - 6, lo, cy + 6, INK, 1.5),
        lineAt(hi, cy - 6, hi, cy + 6, INK, 1.5),
      );
    }
    const text = bar.interval
      ? `${shareLabel(bar.rate)} (${shareLabel(bar.interval.lower)}–${shareLabel(bar.interval.upper)})`
      : shareLabel(bar.rate);
    g.push(textAt(x1 + 10, cy, text, { fontSize: 11, fill: flagged(bar) ? ALERT_FILL : INK }));
  });

  const level = input.confidence !== undefined ? `${Math.round(input.confidence * 1000) / 10}% ` : '';
  const legend: LegendEntry[] = [
    { kind: 'box', color: OK_FILL, text: `At least ${ratio} × the highest selection rate` },
    { kind: 'box', color: ALERT_FILL, text: `Below ${ratio} × the highest rate (four-fifths rule)` },
  ];
  if (Number.isFinite(best) && best > 0) {
    legend.push({
      kind: 'band',
      color: '#f3e3d6',
      text: `Band from ${formatPercent(edge)} (dashed) to the highest rate ${formatPercent(best)}`,
    });
  }
  if (groups.some((b) => b.interval))
    legend.push({ kind: 'whisker', color: INK, text: `${level}confidence interval` });
  g.push(...verticalLegend(x0, plotBottom + 62, legend));
  const height = plotBottom + 62 + 20 * legend.length;
  return renderChartSvg({ graphic: g }, { width, height, ariaLabel });
}

function checkBar(bar: SelectionRateBar): void {
  const ok = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
  if (bar.rate !== null && !ok(bar.rate)) {
    throw new InvalidParameterError(
      `The selection rate of group '${bar.label}' given to selectionRateChart must be in [0, 1] or null. Got ${bar.rate} instead.`,
    );
  }
  if (
    bar.interval &&
    !(ok(bar.interval.lower) && ok(bar.interval.upper) && bar.interval.lower <= bar.interval.upper)
  ) {
    throw new InvalidParameterError(
      `The interval of group '${bar.label}' given to selectionRateChart must satisfy 0 <= lower <= upper <= 1. Got [${bar.interval.lower}, ${bar.interval.upper}] instead.`,
    );
  }
}
