import type { BarSeriesOption } from 'echarts/charts';
import { InvalidParameterError } from '../core/index.js';
import type { GroupCount } from '../data/index.js';
import { emptyChart, truncate } from './chart-utils.js';
import { formatCount, formatPercent } from './format.js';
import { renderChartSvg } from './svg.js';

/** Row and positive-label counts of one group (the data layer's `GroupCount`). */
export type GroupLabelCount = GroupCount;

/** Input of `labelBalanceChart`. */
export interface LabelBalanceChartInput {
  /** Groups of every protected attribute; drawn in this order, coloured by attribute. */
  groups: GroupLabelCount[];
  /** Width in pixels; default 640. */
  width?: number;
}

/**
 * Positive-label rate P(y = 1 | A = a) of every group of every protected attribute as horizontal
 * bars (one colour per attribute), each labelled with the rate and the group's row count.
 */
export function labelBalanceChart(input: LabelBalanceChartInput): string {
  const width = input.width ?? 640;
  const groups = input.groups;
  groups.forEach(checkGroup);
  const rate = (g: GroupLabelCount) => (g.count > 0 ? g.positives / g.count : null);
  const describe = (g: GroupLabelCount) => {
    const r = rate(g);
    return r === null ? 'no rows' : `${formatPercent(r)} of ${formatCount(g.count)}`;
  };
  const ariaLabel = `Positive-label rate by group: ${groups
    .map((g) => `${g.attribute} = ${g.group}: ${describe(g)}`)
    .join('; ')}`;
  if (groups.length === 0) return emptyChart('No protected-attribute groups', ariaLabel, width);

  const attributes = [...new Set(groups.map((g) => g.attribute))];
  const series: BarSeriesOption[] = attributes.map((attribute) => ({
    type: 'bar',
    name: attribute,
    stack: 'rate',
    barMaxWidth: 22,
    data: groups.map((g) => (g.attribute === attribute ? rate(g) : null)),
    label: {
      show: true,
      position: 'right',
      formatter: (p: { dataIndex: number }) => describe(groups[p.dataIndex]),
    },
  }));
  const legend = attributes.length > 1;
  const height = 24 + 28 * groups.length + 44 + (legend ? 28 : 0);
  return renderChartSvg(
    {
      grid: {
        left: 12,
        right: 120,
        top: 12,
        bottom: 44 + (legend ? 28 : 0),
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      legend: legend ? { bottom: 0, data: attributes } : undefined,
      xAxis: {
        type: 'value',
        min: 0,
        max: 1,
        interval: 0.25,
        name: 'Positive-label rate',
        nameLocation: 'middle',
        nameGap: 26,
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        axisTick: { show: false },
        data: groups.map((g) => truncate(`${g.attribute}: ${g.group}`, 36)),
      },
      series,
    },
    { width, height, ariaLabel },
  );
}

function checkGroup(g: GroupLabelCount): void {
  const ok =
    Number.isFinite(g.count) &&
    Number.isFinite(g.positives) &&
    g.count >= 0 &&
    g.positives >= 0 &&
    g.positives <= g.count;
  if (!ok) {
    throw new InvalidParameterError(
      `Group '${g.attribute} = ${g.group}' given to labelBalanceChart must have 0 <= positives <= count. Got count ${g.count} and positives ${g.positives} instead.`,
    );
  }
}
