import type { MitigationResult, MitigationSnapshot } from '../fairness/index.js';
import { emptyChart } from './chart-utils.js';
import { formatMetric } from './format.js';
import type { NumberFormat, ReportBlock, ReportSection, SectionOptions, TableCell } from './model.js';
import { renderChartSvg } from './svg.js';

/** What `mitigationSection` needs: the baseline and every method evaluated on one protocol run. */
export interface MitigationTableInput {
  /** Dataset name (e.g. 'adult'). */
  readonly dataset: string;
  /** Protected column and privileged value. */
  readonly privileged: Readonly<Record<string, string>>;
  /** The baseline model's numbers on the test rows. */
  readonly baseline: MitigationSnapshot;
  /** Seconds fitting the baseline. */
  readonly baselineFitSeconds: number;
  /** One result per method. */
  readonly results: readonly MitigationResult[];
}

/** One point of the accuracy-vs-disparity chart. */
interface ParetoPoint {
  readonly index: number;
  readonly name: string;
  readonly dpd: number;
  readonly accuracy: number;
  readonly flagged: boolean;
  readonly baseline: boolean;
}

const METRICS = [
  ['disparate_impact', 'DI'],
  ['demographic_parity_difference', 'DPD'],
  ['equalized_odds_difference', 'EO diff'],
  ['average_odds_difference', 'AOD'],
] as const;

/**
 * A report section comparing bias mitigations: a table of every method × (accuracy, balanced
 * accuracy, selection rate per group, DI, DPD, EO difference, AOD, fit time, flags) with the
 * baseline first, an accuracy-vs-demographic-parity-difference chart (baseline marked, flagged
 * methods highlighted, the Pareto front drawn) and the flags' messages as warnings.
 */
export function mitigationSection(table: MitigationTableInput, options: SectionOptions = {}): ReportSection {
  const groups = Object.keys(table.baseline.selectionRates);
  const rows: TableCell[][] = [
    row(0, 'baseline', table.baseline, table.baselineFitSeconds, '', groups),
    ...table.results.map((r, i) =>
      row(
        i + 1,
        r.expected ? `${r.method} *` : r.method,
        r.expected ?? r.after,
        r.fitSeconds,
        r.flags.map((f) => f.code.replace(/_/g, ' ')).join(', '),
        groups,
      ),
    ),
  ];
  const columns = [
    '#',
    'method',
    'acc',
    'bal acc',
    ...groups.map((g) => `sel ${g.slice(g.indexOf('=') + 1)}`),
    ...METRICS.map(([, short]) => short),
    'fit s',
    'flags',
  ];
  const numberFormat: NumberFormat[] = columns.map((c) =>
    c === '#' ? 'count' : c === 'fit s' ? 'seconds' : 'metric',
  );
  const points: ParetoPoint[] = [
    point(0, 'baseline', table.baseline, false, true),
    ...table.results.map((r, i) => point(i + 1, r.method, r.expected ?? r.after, r.flags.length > 0, false)),
  ];
  const warnings = table.results.flatMap((r) => r.flags.map((f) => `${r.method}: ${f.message}`));
  const privileged = Object.entries(table.privileged)
    .map(([c, v]) => `${c}=${v}`)
    .join(', ');
  const blocks: ReportBlock[] = [
    {
      kind: 'table',
      caption: `Every method on the test rows of ${table.dataset} (privileged: ${privileged}). DI and AOD in AIF360's convention (unprivileged vs privileged), DPD and EO diff in Fairlearn's (max − min over groups).${table.results.some((r) => r.expected) ? ' Methods marked * decide at random; their figures are in expectation over that draw (one seeded draw moves DI by a few hundredths).' : ''}`,
      columns,
      rows,
      numberFormat,
    },
    {
      kind: 'chart',
      caption:
        'Accuracy against demographic parity difference (lower is fairer): each point is numbered as in the table; the baseline is the black diamond, flagged methods are red triangles, and the dashed line joins the Pareto-optimal methods.',
      svg: paretoChart(points),
    },
  ];
  if (warnings.length > 0) blocks.push({ kind: 'warnings', items: warnings });
  return {
    id: options.id ?? 'mitigation',
    title: options.title ?? 'Bias mitigation',
    summary: `${table.results.length} mitigation method${table.results.length === 1 ? '' : 's'} compared with the baseline on ${table.dataset}; ${warnings.length === 0 ? 'none was flagged' : `${new Set(table.results.filter((r) => r.flags.length > 0).map((r) => r.method)).size} flagged`}.`,
    blocks,
  };
}

function row(
  index: number,
  name: string,
  s: MitigationSnapshot,
  seconds: number,
  flags: string,
  groups: readonly string[],
): TableCell[] {
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  return [
    index,
    name,
    num(s.metrics.accuracy),
    num(s.metrics.balanced_accuracy),
    ...groups.map((g) => num(s.selectionRates[g])),
    ...METRICS.map(([k]) => num(s.metrics[k])),
    num(seconds),
    flags,
  ];
}

function point(
  index: number,
  name: string,
  s: MitigationSnapshot,
  flagged: boolean,
  baseline: boolean,
): ParetoPoint {
  return {
    index,
    name,
    dpd: s.metrics.demographic_parity_difference ?? Number.NaN,
    accuracy: s.metrics.accuracy ?? Number.NaN,
    flagged,
    baseline,
  };
}

/** Indices of the points no other point beats on both accuracy (higher) and DPD (lower), by DPD. */
export function paretoFront(points: readonly { dpd: number; accuracy: number }[]): number[] {
  const ok = points
    .map((p, i) => ({ ...p, i }))
    .filter((p) => Number.isFinite(p.dpd) && Number.isFinite(p.accuracy));
  const front = ok.filter(
    (p) =>
      !ok.some(
        (q) => q.dpd <= p.dpd && q.accuracy >= p.accuracy && (q.dpd < p.dpd || q.accuracy > p.accuracy),
      ),
  );
  return front.sort((a, b) => a.dpd - b.dpd || a.accuracy - b.accuracy).map((p) => p.i);
}

/** The accuracy-vs-DPD scatter as a deterministic SVG (line series without lines, one per kind). */
function paretoChart(points: readonly ParetoPoint[]): string {
  const ariaLabel = `Accuracy against demographic parity difference: ${points
    .map(
      (p) =>
        `${p.index} ${p.name}${p.baseline ? ' (baseline)' : ''}${p.flagged ? ' (flagged)' : ''}: accuracy ${formatMetric(p.accuracy)}, DPD ${formatMetric(p.dpd)}`,
    )
    .join('; ')}`;
  const drawn = points.filter((p) => Number.isFinite(p.dpd) && Number.isFinite(p.accuracy));
  if (drawn.length === 0) return emptyChart('No finite accuracy and DPD to chart', ariaLabel, 640);
  const front = paretoFront(points).map((i) => points[i]);
  const kinds = [
    { name: 'Baseline', pick: (p: ParetoPoint) => p.baseline, color: '#000000', symbol: 'diamond', size: 14 },
    {
      name: 'Method',
      pick: (p: ParetoPoint) => !p.baseline && !p.flagged,
      color: '#0072b2',
      symbol: 'circle',
      size: 10,
    },
    {
      name: 'Flagged method',
      pick: (p: ParetoPoint) => !p.baseline && p.flagged,
      color: '#d55e00',
      symbol: 'triangle',
      size: 13,
    },
  ].filter((k) => drawn.some(k.pick));
  const legend = [...kinds.map((k) => k.name), 'Pareto front'];
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  const [xMin, xMax] = niceRange(
    drawn.map((p) => p.dpd),
    0.05,
    true,
  );
  const [yMin, yMax] = niceRange(
    drawn.map((p) => p.accuracy),
    0.01,
    false,
  );
  const width = 640;
  const plot = 380;
  const plotWidth = width - 64 - 40;
  const positions = placeLabels(
    drawn.map((p) => ({
      x: ((p.dpd - xMin) / (xMax - xMin)) * plotWidth,
      y: ((yMax - p.accuracy) / (yMax - yMin)) * plot,
      text: String(p.index),
    })),
  );
  const position = new Map(drawn.map((p, i) => [p.index, positions[i]]));
  // One legend item per row: the server-side renderer cannot measure text, so items side by side overlap.
  const bottom = 56 + 22 * legend.length;
  return renderChartSvg(
    {
      grid: { left: 64, right: 40, top: 20, bottom, height: plot },
      legend: { bottom: 0, left: 64, orient: 'vertical', itemGap: 6, data: legend },
      xAxis: {
        type: 'value',
        name: 'Demographic parity difference (lower is fairer)',
        nameLocation: 'middle',
        nameGap: 30,
        min: xMin,
        max: xMax,
        axisLabel: { formatter: (v: number) => String(Number(v.toFixed(3))) },
      },
      yAxis: {
        type: 'value',
        name: 'Accuracy',
        nameLocation: 'middle',
        nameGap: 48,
        min: yMin,
        max: yMax,
        axisLabel: { formatter: (v: number) => String(Number(v.toFixed(3))) },
      },
      series: [
        {
          type: 'line',
          name: 'Pareto front',
          data: front.map((p) => [round(p.dpd), round(p.accuracy)]),
          showSymbol: false,
          lineStyle: { type: 'dashed', color: '#777777', width: 1.5 },
          itemStyle: { color: '#777777' },
          z: 1,
        },
        ...kinds.map((k) => ({
          type: 'line' as const,
          name: k.name,
          data: drawn.filter(k.pick).map((p) => ({
            value: [round(p.dpd), round(p.accuracy)],
            label: { position: position.get(p.index) },
          })),
          symbol: k.symbol,
          symbolSize: k.size,
          lineStyle: { width: 0, opacity: 0 },
          itemStyle: { color: k.color },
          z: 3,
          label: {
            show: true,
            distance: 5,
            fontSize: 12,
            color: '#222222',
            formatter: (p: { dataIndex: number }) => String(drawn.filter(k.pick)[p.dataIndex].index),
          },
        })),
      ],
    },
    { width, height: 20 + plot + bottom, ariaLabel },
  );
}

/** Axis bounds on multiples of `step` around the values, with a margin; `fromZero` starts at 0. */
function niceRange(values: readonly number[], step: number, fromZero: boolean): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const margin = Math.max((hi - lo) * 0.05, step / 4);
  const min = fromZero ? 0 : Math.floor((lo - margin) / step) * step;
  let max = Math.ceil((hi + margin) / step) * step;
  if (max <= min) max = min + step;
  return [Number(min.toFixed(6)), Number(max.toFixed(6))];
}

type LabelPosition = 'right' | 'left' | 'top' | 'bottom';

/**
 * Picks a side for each point's label so labels overlap neither each other nor other points. The
 * server-side renderer cannot measure text, so a label's box is estimated (7 px per character,
 * 14 px high) in plot pixels; a point whose four sides are all taken keeps the least crowded one.
 */
export function placeLabels(points: readonly { x: number; y: number; text: string }[]): LabelPosition[] {
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = points.map((p) => ({
    x0: p.x - 6,
    y0: p.y - 6,
    x1: p.x + 6,
    y1: p.y + 6,
  }));
  const out: LabelPosition[] = [];
  for (const p of points) {
    const w = 7 * p.text.length;
    const h = 14;
    const boxes: Record<LabelPosition, { x0: number; y0: number; x1: number; y1: number }> = {
      right: { x0: p.x + 9, y0: p.y - h / 2, x1: p.x + 9 + w, y1: p.y + h / 2 },
      left: { x0: p.x - 9 - w, y0: p.y - h / 2, x1: p.x - 9, y1: p.y + h / 2 },
      top: { x0: p.x - w / 2, y0: p.y - 9 - h, x1: p.x + w / 2, y1: p.y - 9 },
      bottom: { x0: p.x - w / 2, y0: p.y + 9, x1: p.x + w / 2, y1: p.y + 9 + h },
    };
    const overlaps = (b: (typeof boxes)[LabelPosition]) =>
      placed.filter((q) => b.x0 < q.x1 && q.x0 < b.x1 && b.y0 < q.y1 && q.y0 < b.y1).length;
    const sides: LabelPosition[] = ['right', 'left', 'top', 'bottom'];
    let best = sides[0];
    for (const side of sides) if (overlaps(boxes[side]) < overlaps(boxes[best])) best = side;
    out.push(best);
    placed.push(boxes[best]);
  }
  return out;
}
