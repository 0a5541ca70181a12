import type { LineSeriesOption } from 'echarts/charts';
import { InvalidParameterError } from '../core/index.js';
import { emptyChart, renderRocSvg, rocLineSeries } from './chart-utils.js';
import { formatMetric } from './format.js';
import { renderChartSvg } from './svg.js';

/** One point of the DP-SGD trade-off: the privacy budget spent and the accuracy reached. */
export interface AccuracyAtEpsilon {
  /** Final ε of the training run (at the run's δ). */
  epsilon: number;
  /** Test accuracy of the private model. */
  accuracy: number;
}

/** Input of `privacyAccuracyChart`. */
export interface PrivacyAccuracyChartInput {
  /** Private runs, any order. */
  points: readonly AccuracyAtEpsilon[];
  /** Test accuracy of the same model trained without privacy (drawn as a dashed line). */
  baselineAccuracy?: number;
  /** Width of the plot area in pixels; default 420. */
  width?: number;
}

/** Accuracy against ε on a log axis, with the non-private accuracy as a dashed line, as a static SVG. */
export function privacyAccuracyChart(input: PrivacyAccuracyChartInput): string {
  const points = [...input.points].sort((a, b) => a.epsilon - b.epsilon);
  for (const p of points) {
    if (!(p.epsilon > 0 && Number.isFinite(p.epsilon)) || !(p.accuracy >= 0 && p.accuracy <= 1)) {
      throw new InvalidParameterError(
        `Points given to privacyAccuracyChart need a finite epsilon > 0 and an accuracy in [0, 1]. Got epsilon ${p.epsilon}, accuracy ${p.accuracy} instead.`,
      );
    }
  }
  const described = points.map((p) => `ε ${formatMetric(p.epsilon)}: ${formatMetric(p.accuracy)}`).join('; ');
  const base = input.baselineAccuracy;
  const ariaLabel = `Test accuracy against privacy budget ε: ${described || 'no private run'}${base === undefined ? '' : `; without privacy ${formatMetric(base)}`}`;
  const width = input.width ?? 420;
  if (points.length === 0) return emptyChart('No private training run', ariaLabel, width + 80);
  const lo = 10 ** Math.floor(Math.log10(points[0].epsilon));
  const hi = 10 ** Math.ceil(Math.log10(points[points.length - 1].epsilon * 1.0001));
  const accuracies = points.map((p) => p.accuracy).concat(base === undefined ? [] : [base]);
  const yMin = Math.max(0, Math.floor((Math.min(...accuracies) - 0.02) * 20) / 20);
  const yMax = Math.min(1, Math.ceil((Math.max(...accuracies) + 0.02) * 20) / 20);
  const series: LineSeriesOption[] = [
    {
      type: 'line',
      name: 'DP-SGD',
      symbol: 'circle',
      symbolSize: 7,
      lineStyle: { width: 2 },
      label: { show: true, position: 'top', formatter: (p) => formatMetric((p.value as number[])[1]) },
      data: points.map((p) => [p.epsilon, p.accuracy]),
    },
  ];
  const legend = ['DP-SGD'];
  if (base !== undefined) {
    series.push({
      type: 'line',
      name: 'Without privacy',
      symbol: 'none',
      color: '#555555',
      lineStyle: { type: 'dashed', width: 1.5 },
      data: [
        [lo, base],
        [hi, base],
      ],
    });
    legend.push('Without privacy');
  }
  const bottom = 52 + 22 * legend.length;
  return renderChartSvg(
    {
      grid: { left: 56, right: 24, top: 24, bottom, width, height: 260 },
      legend: { bottom: 0, left: 56, orient: 'vertical', itemGap: 6, data: legend },
      xAxis: {
        type: 'log',
        logBase: 10,
        min: lo,
        max: hi,
        name: 'ε (log scale)',
        nameLocation: 'middle',
        nameGap: 30,
      },
      yAxis: {
        type: 'value',
        min: yMin,
        max: yMax,
        name: 'Test accuracy',
        nameLocation: 'middle',
        nameGap: 42,
      },
      series,
    },
    { width: width + 80, height: 260 + 24 + bottom, ariaLabel },
  );
}

/** One membership-inference ROC curve: points with FPR and TPR in [0, 1]. */
export interface MembershipRocSeries {
  /** Legend name (attack and target model). */
  name: string;
  /** False positive rates, ascending. */
  fpr: readonly number[];
  /** True positive rates, same length. */
  tpr: readonly number[];
  /** ROC AUC, shown in the legend. */
  auc: number;
}

/** Smallest rate drawn on the log-log axes (points below are clamped to it). */
const LOG_FLOOR = 1e-4;

/**
 * Membership-inference ROC curves on log-log axes (Carlini et al. 2022, "Membership Inference Attacks From
 * First Principles", argue for the low-FPR regime), with the chance diagonal TPR = FPR, as a static SVG.
 */
export function membershipRocChart(curves: readonly MembershipRocSeries[], size = 360): string {
  const named = curves.map((c) => `${c.name} (AUC ${formatMetric(c.auc)})`);
  const ariaLabel = `Membership-inference ROC on log-log axes: ${named.join('; ') || 'no attack'}; dashed diagonal shows chance`;
  if (curves.length === 0) return emptyChart('No membership-inference attack', ariaLabel, size + 80);
  const clamp = (v: number) => Math.min(1, Math.max(LOG_FLOOR, v));
  const series = rocLineSeries(
    'membershipRocChart',
    curves,
    named,
    (c) => c.fpr.map((x, k) => [round(clamp(x)), round(clamp(c.tpr[k]))]),
    LOG_FLOOR,
  );
  return renderRocSvg(series, named, {
    size,
    left: 64,
    // The legend sits under the plot, one item per row; widen the SVG for long names (≈ 7 px per character).
    width: Math.max(size + 88, 64 + 40 + 7 * Math.max(...named.map((n) => n.length))),
    ariaLabel,
    axisNames: ['False positive rate (log)', 'True positive rate (log)'],
    scale: { type: 'log', logBase: 10, min: LOG_FLOOR, max: 1 },
    tickLabel: (v) => (v >= 0.01 ? String(v) : `1e${Math.round(Math.log10(v))}`),
  });
}

/** Rounds a coordinate to 6 significant digits: invisible at chart size and keeps the SVG small. */
function round(v: number): number {
  return Number(v.toPrecision(6));
}
