import type { LineSeriesOption } from 'echarts/charts';
import { InvalidParameterError } from '../core/index.js';
import { CHART_FONT, renderChartSvg } from './svg.js';

/** Shortens `text` to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Throws unless `color` is a hex colour (`#rgb`, `#rrggbb` or with alpha). */
export function checkColor(owner: string, color: string): string {
  if (!/^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(color)) {
    throw new InvalidParameterError(
      `Colours given to ${owner} must be hex colours such as '#0072b2'. Got ${JSON.stringify(color)} instead.`,
    );
  }
  return color;
}

/** A small chart that says there is nothing to draw, so a section never shows a blank box. */
export function emptyChart(message: string, ariaLabel: string, width = 480, height = 120): string {
  return renderChartSvg(
    {
      graphic: [
        {
          type: 'text',
          x: width / 2,
          y: height / 2,
          style: {
            text: message,
            fontFamily: CHART_FONT,
            fill: '#555',
            fontSize: 14,
            align: 'center',
            verticalAlign: 'middle',
          },
        },
      ],
    },
    { width, height, ariaLabel },
  );
}

/** The part of an ROC curve that `rocLineSeries` needs: a legend name and equal-length FPR and TPR. */
export interface RocLine {
  /** Names the curve in error messages. */
  name: string;
  /** False positive rates. */
  fpr: ArrayLike<number>;
  /** True positive rates, same length as `fpr`. */
  tpr: ArrayLike<number>;
}

/**
 * One solid line per ROC curve (legend name `names[i]`, points from `points`), then the dashed grey
 * chance diagonal TPR = FPR from (`chanceFrom`, `chanceFrom`) to (1, 1). Throws when a curve's FPR and
 * TPR differ in length or have fewer than 2 points; `owner` names the chart in that message.
 */
export function rocLineSeries<C extends RocLine>(
  owner: string,
  curves: readonly C[],
  names: readonly string[],
  points: (curve: C) => number[][],
  chanceFrom = 0,
): LineSeriesOption[] {
  const series: LineSeriesOption[] = curves.map((c, i) => {
    if (c.fpr.length !== c.tpr.length || c.fpr.length < 2) {
      throw new InvalidParameterError(
        `The ROC curve '${c.name}' given to ${owner} must have fpr and tpr of the same length (at least 2). Got ${c.fpr.length} and ${c.tpr.length} instead.`,
      );
    }
    return { type: 'line', name: names[i], symbol: 'none', lineStyle: { width: 2 }, data: points(c) };
  });
  series.push({
    type: 'line',
    name: 'Chance',
    symbol: 'none',
    silent: true,
    color: '#888888',
    lineStyle: { type: 'dashed', width: 1 },
    data: [
      [chanceFrom, chanceFrom],
      [1, 1],
    ],
  });
  return series;
}

/** Layout of a square ROC plot drawn by `renderRocSvg`. */
export interface RocFrame {
  /** Side of the square plot area in pixels. */
  size: number;
  /** Left margin of the plot and of the legend in pixels. */
  left: number;
  /** Width of the whole SVG in pixels. */
  width: number;
  /** Text alternative of the chart. */
  ariaLabel: string;
  /** Names of the x (false positive rate) and y (true positive rate) axes. */
  axisNames: [string, string];
  /** Scale of both axes: type and range fields, as ECharts takes them. */
  scale:
    | { type: 'value'; min: number; max: number; interval: number }
    | { type: 'log'; logBase: number; min: number; max: number };
  /** Tick label of an axis value. */
  tickLabel: (v: number) => string;
}

/**
 * Renders ROC line series (see `rocLineSeries`) on a square plot with the legend under it, one item
 * per row: the server-side renderer cannot measure text, so items side by side would overlap.
 */
export function renderRocSvg(series: LineSeriesOption[], names: readonly string[], frame: RocFrame): string {
  const bottom = 52 + 22 * series.length;
  const axis = (name: string) => ({
    ...frame.scale,
    name,
    nameLocation: 'middle' as const,
    nameGap: 30,
    axisLabel: { formatter: frame.tickLabel },
  });
  return renderChartSvg(
    {
      grid: { left: frame.left, right: 24, top: 16, bottom, width: frame.size, height: frame.size },
      legend: { bottom: 0, left: frame.left, orient: 'vertical', itemGap: 6, data: names.concat('Chance') },
      xAxis: axis(frame.axisNames[0]),
      yAxis: axis(frame.axisNames[1]),
      series,
    },
    { width: frame.width, height: frame.size + 16 + bottom, ariaLabel: frame.ariaLabel },
  );
}
