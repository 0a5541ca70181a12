import { InvalidParameterError } from '../core/index.js';
import { checkColor, emptyChart, truncate } from './chart-utils.js';
import { formatNumber } from './format.js';
import type { NumberFormat } from './model.js';
import { renderChartSvg } from './svg.js';

/** One bar of a `barChart`: a name and its value (`null` draws no bar and labels it n/a). */
export interface Bar {
  /** Category label. */
  name: string;
  /** Bar length. */
  value: number | null;
  /** Optional hex fill colour for this bar. */
  color?: string;
}

/** Input of `barChart`. */
export interface BarChartInput {
  /** Bars, drawn top to bottom in this order. */
  bars: Bar[];
  /** Name of the value axis (e.g. "Selection rate"). */
  valueAxisName?: string;
  /** How value labels and axis ticks are written; default 'auto'. */
  format?: NumberFormat;
  /** Lower end of the value axis; default chosen from the data (0 when all values are >= 0). */
  min?: number;
  /** Upper end of the value axis; default chosen from the data. */
  max?: number;
  /** Text alternative; default lists every bar and its value. */
  ariaLabel?: string;
  /** Width in pixels; default 640. */
  width?: number;
}

/** A horizontal bar chart of name -> value with value labels, as a deterministic SVG string. */
export function barChart(input: BarChartInput): string {
  const format = input.format ?? 'auto';
  const width = input.width ?? 640;
  const label = (v: number | null) => (v === null || !Number.isFinite(v) ? 'n/a' : formatNumber(v, format));
  const ariaLabel =
    input.ariaLabel ??
    `Bar chart${input.valueAxisName ? ` of ${input.valueAxisName}` : ''}: ${input.bars
      .map((b) => `${b.name} ${label(b.value)}`)
      .join('; ')}`;
  if (input.bars.length === 0) return emptyChart('No data to chart', ariaLabel, width);
  for (const b of input.bars) {
    if (b.value !== null && typeof b.value !== 'number') {
      throw new InvalidParameterError(
        `The value of bar '${b.name}' given to barChart must be a number or null. Got ${JSON.stringify(b.value)} instead.`,
      );
    }
    if (b.color !== undefined) checkColor('barChart', b.color);
  }
  const height = 40 + 30 * input.bars.length + (input.valueAxisName ? 54 : 34);
  return renderChartSvg(
    {
      grid: {
        left: 12,
        right: 72,
        top: 16,
        bottom: input.valueAxisName ? 46 : 26,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      xAxis: {
        type: 'value',
        min: input.min,
        max: input.max,
        name: input.valueAxisName,
        nameLocation: 'middle',
        nameGap: 28,
        axisLabel: { formatter: (v: number) => formatNumber(v, format === 'count' ? 'count' : format) },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: input.bars.map((b) => truncate(b.name, 32)),
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          data: input.bars.map((b) => ({
            value: b.value === null || !Number.isFinite(b.value) ? null : b.value,
            itemStyle: b.color ? { color: b.color } : undefined,
          })),
          label: {
            show: true,
            position: 'right',
            formatter: (p: { dataIndex: number }) => label(input.bars[p.dataIndex].value),
          },
        },
      ],
    },
    { width, height, ariaLabel },
  );
}
