import { emptyChart, renderRocSvg, rocLineSeries } from './chart-utils.js';
import { formatMetric } from './format.js';
import { downsampleCurve } from './roc-points.js';

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

  const series = rocLineSeries('rocChart', input.curves, named, (c) => {
    const pts = downsampleCurve(c.fpr, c.tpr, maxPoints);
    return pts.fpr.map((x, k) => [round(x), round(pts.tpr[k])]);
  });
  return renderRocSvg(series, named, {
    size,
    left: 56,
    width,
    ariaLabel,
    axisNames: ['False positive rate', 'True positive rate'],
    scale: { type: 'value', min: 0, max: 1, interval: 0.2 },
    tickLabel: (v) => String(Number(v.toFixed(1))),
  });
}

/** Rounds a coordinate to 4 decimals: invisible at chart size and keeps the SVG small. */
function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
