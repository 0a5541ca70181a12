import type { LineSeriesOption } from 'echarts/charts';
import { InvalidParameterError } from '../core/index.js';
import { emptyChart } from './chart-utils.js';
import { formatMetric } from './format.js';
import { downsampleCurve } from './roc-points.js';
import { renderChartSvg } from './svg.js';

/** One ROC curve to draw: its points (from threshold +inf down to -inf) and its AUC. */
export interface RocCurveSeries {
  /** Legend name (model or group). */
  name: string;
  /** False positive rates, ascending. */
  fpr: ArrayLike<number>;
  /** True positive rates, same length as `fpr`. */
  tpr: ArrayLike<number>;
  /** Area under the full curve (computed by the pipeline, shown in the legend). */
  auc: number;
}

/** Input of `rocChart`. */
export interface RocChartInput {
  /** Curves to overlay. */
  curves: RocCurveSeries[];
  /** Points kept per curve for drawing (see `downsampleCurve`); default 200. */
  maxPoints?: number;
  /** Side of the square plot area in pixels; default 360. */
  size?: number;
}

/** ROC curves (true vs false positive rate) with the chance diagonal, as a deterministic SVG string. */
export function rocChart(input: RocChartInput): string {
  const size = input.size ?? 360;
  const maxPoints = input.maxPoints ?? 200;
  const named = input.curves.map((c) => `${c.name} (AUC ${formatMetric(c.auc)})`);
  const ariaLabel = `ROC curve${input.curves.length === 1 ? '' : 's'}: ${named.join('; ')}; dashed diagonal shows chance`;
  const width = size + 80;
  if (input.curves.length === 0) return emptyChart('No ROC curve', ariaLabel, width);

  const series: LineSeriesOption[] = input.curves.map((c, i) => {
    if (c.fpr.length !== c.tpr.length || c.fpr.length < 2) {
      throw new InvalidParameterError(
        `The ROC curve '${c.name}' given to rocChart must have fpr and tpr of the same length (at least 2). Got ${c.fpr.length} and ${c.tpr.length} instead.`,
      );
    }
    const pts = downsampleCurve(c.fpr, c.tpr, maxPoints);
    return {
      type: 'line',
      name: named[i],
      symbol: 'none',
      lineStyle: { width: 2 },
      data: pts.fpr.map((x, k) => [round(x), round(pts.tpr[k])]),
    };
  });
  series.push({
    type: 'line',
    name: 'Chance',
    symbol: 'none',
    silent: true,
    color: '#888888',
    lineStyle: { type: 'dashed', width: 1 },
    data: [
      [0, 0],
      [1, 1],
    ],
  });
  // One legend item per row: the server-side renderer cannot measure text, so items side by side overlap.
  const legendRows = series.length;
  const bottom = 52 + 22 * legendRows;
  const axis = (name: string) => ({
    type: 'value' as const,
    min: 0,
    max: 1,
    interval: 0.2,
    name,
    nameLocation: 'middle' as const,
    nameGap: 30,
    axisLabel: { formatter: (v: number) => String(Number(v.toFixed(1))) },
  });
  return renderChartSvg(
    {
      grid: { left: 56, right: 24, top: 16, bottom, width: size, height: size },
      legend: { bottom: 0, left: 56, orient: 'vertical', itemGap: 6, data: named.concat('Chance') },
      xAxis: axis('False positive rate'),
      yAxis: axis('True positive rate'),
      series,
    },
    { width, height: size + 16 + bottom, ariaLabel },
  );
}

/** Rounds a coordinate to 4 decimals: invisible at chart size and keeps the SVG small. */
function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
