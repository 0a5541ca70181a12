import { InvalidParameterError } from '../core/index.js';
import { emptyChart, truncate } from './chart-utils.js';
import { formatMetric } from './format.js';
import { renderChartSvg } from './svg.js';

/** One feature's contribution to one decision. */
export interface WaterfallStep {
  /** Feature name, with its value for the row (e.g. "age = 23"). */
  label: string;
  /** SHAP value: how much this feature moved the output from the base value. */
  contribution: number;
}

/** Input of `shapWaterfallChart`. */
export interface ShapWaterfallInput {
  /** E[f(background)]: where the explanation starts. */
  baseValue: number;
  /** Contributions, any order; the chart sorts them by |value| and folds the tail into one bar. */
  steps: readonly WaterfallStep[];
  /** Name of the output ("P(favourable)", "log-odds"). */
  outputName: string;
  /** Bars drawn before the rest is folded into "other features"; default 10. */
  maxSteps?: number;
  /** Width in pixels; default 640. */
  width?: number;
}

const UP = '#d55e00';
const DOWN = '#0072b2';

/**
 * A SHAP waterfall for one row (as shap's `waterfall` plot): starting from the base value, each feature's
 * contribution is a floating bar (red raises the output, blue lowers it), largest first, ending at the
 * row's output f(x) = base + Σφ. Deterministic SVG.
 */
export function shapWaterfallChart(input: ShapWaterfallInput): string {
  const width = input.width ?? 640;
  const maxSteps = input.maxSteps ?? 10;
  for (const s of input.steps) {
    if (!Number.isFinite(s.contribution)) {
      throw new InvalidParameterError(
        `The contribution of '${s.label}' given to shapWaterfallChart must be a finite number. Got ${s.contribution} instead.`,
      );
    }
  }
  const sorted = [...input.steps].sort(
    (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.label.localeCompare(b.label),
  );
  const shown = sorted.slice(0, maxSteps);
  const rest = sorted.slice(maxSteps);
  if (rest.length > 0) {
    shown.push({
      label: `${rest.length} other feature${rest.length === 1 ? '' : 's'}`,
      contribution: rest.reduce((s, r) => s + r.contribution, 0),
    });
  }
  const output = input.baseValue + input.steps.reduce((s, r) => s + r.contribution, 0);
  const ariaLabel = `SHAP waterfall of ${input.outputName}: base ${formatMetric(input.baseValue)}, ${shown
    .map((s) => `${s.label} ${s.contribution >= 0 ? '+' : ''}${formatMetric(s.contribution)}`)
    .join('; ')}; output ${formatMetric(output)}`;
  if (shown.length === 0) return emptyChart('No contribution to draw', ariaLabel, width);
  // Bars run top to bottom in drawing order; each starts where the previous one ended.
  const categories = ['base value E[f(x)]', ...shown.map((s) => truncate(s.label, 36)), 'this row f(x)'];
  const offsets: number[] = [];
  const lengths: { value: number; itemStyle: { color: string } }[] = [];
  let level = input.baseValue;
  offsets.push(Math.min(0, input.baseValue));
  lengths.push({ value: Math.abs(input.baseValue), itemStyle: { color: '#888888' } });
  for (const s of shown) {
    const next = level + s.contribution;
    offsets.push(Math.min(level, next));
    lengths.push({ value: Math.abs(s.contribution), itemStyle: { color: s.contribution >= 0 ? UP : DOWN } });
    level = next;
  }
  offsets.push(Math.min(0, output));
  lengths.push({ value: Math.abs(output), itemStyle: { color: '#444444' } });
  const values = offsets.flatMap((o, i) => [o, o + lengths[i].value]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.05 || 0.05;
  const short = (v: number) => String(Number(v.toPrecision(3)));
  const labels = [
    short(input.baseValue),
    ...shown.map((s) => `${s.contribution >= 0 ? '+' : ''}${short(s.contribution)}`),
    short(output),
  ];
  // The server-side renderer cannot measure text: leave about 6.5 px per character for the labels.
  const left = 16 + Math.ceil(6.5 * Math.max(...categories.map((c) => c.length)));
  const height = 40 + 28 * categories.length + 54;
  return renderChartSvg(
    {
      grid: { left, right: 80, top: 16, bottom: 46 },
      xAxis: {
        type: 'value',
        min: Number((lo - pad).toPrecision(3)),
        max: Number((hi + pad).toPrecision(3)),
        name: input.outputName,
        nameLocation: 'middle',
        nameGap: 28,
        // The padded ends are not round numbers: hide their labels, which would collide with a neighbour.
        axisLabel: {
          formatter: (v: number) => String(Number(v.toPrecision(3))),
          showMinLabel: false,
          showMaxLabel: false,
        },
      },
      yAxis: { type: 'category', inverse: true, data: categories, axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          stack: 'w',
          stackStrategy: 'all',
          silent: true,
          itemStyle: { color: 'transparent' },
          data: offsets,
        },
        {
          type: 'bar',
          stack: 'w',
          stackStrategy: 'all',
          barWidth: 16,
          data: lengths,
          label: { show: true, position: 'right', formatter: (p) => labels[p.dataIndex] ?? '' },
        },
      ],
    },
    { width, height, ariaLabel },
  );
}
