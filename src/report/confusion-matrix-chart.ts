import type { GraphicComponentOption } from 'echarts/components';
import { InvalidParameterError } from '../core/index.js';
import { truncate } from './chart-utils.js';
import { formatCount, formatPercent } from './format.js';
import { CHART_FONT, renderChartSvg } from './svg.js';

/** Input of `confusionMatrixChart`: the four cells of a binary confusion matrix. */
export interface ConfusionMatrixChartInput {
  /** True positives: predicted positive, actually positive. */
  tp: number;
  /** False positives: predicted positive, actually negative. */
  fp: number;
  /** True negatives: predicted negative, actually negative. */
  tn: number;
  /** False negatives: predicted negative, actually positive. */
  fn: number;
  /** Names of the classes as [negative, positive]; default ['Negative', 'Positive']. */
  labels?: [string, string];
}

const LEFT = 132;
const TOP = 64;
const CELL_W = 150;
const CELL_H = 96;

/**
 * A 2 × 2 annotated grid (rows: actual class, columns: predicted class); each cell shows its count
 * and share of all rows and is shaded by count.
 */
export function confusionMatrixChart(input: ConfusionMatrixChartInput): string {
  const { tp, fp, tn, fn } = input;
  for (const [name, v] of Object.entries({ tp, fp, tn, fn })) {
    if (!Number.isFinite(v) || v < 0) {
      throw new InvalidParameterError(
        `The '${name}' count given to confusionMatrixChart must be a finite number >= 0. Got ${v} instead.`,
      );
    }
  }
  const [negative, positive] = input.labels ?? ['Negative', 'Positive'];
  const total = tp + fp + tn + fn;
  const max = Math.max(tp, fp, tn, fn, 1);
  const cells = [
    { row: 0, col: 0, tag: 'TN', value: tn },
    { row: 0, col: 1, tag: 'FP', value: fp },
    { row: 1, col: 0, tag: 'FN', value: fn },
    { row: 1, col: 1, tag: 'TP', value: tp },
  ];
  const graphic: GraphicComponentOption[] = [
    text(LEFT + CELL_W, 14, 'Predicted class', { fontWeight: 'bold' }),
    text(LEFT + CELL_W / 2, TOP - 18, truncate(negative, 20)),
    text(LEFT + (3 * CELL_W) / 2, TOP - 18, truncate(positive, 20)),
    { ...text(16, TOP + CELL_H, 'Actual class', { fontWeight: 'bold' }), rotation: Math.PI / 2 },
    text(LEFT - 12, TOP + CELL_H / 2, truncate(negative, 14), { align: 'right' }),
    text(LEFT - 12, TOP + (3 * CELL_H) / 2, truncate(positive, 14), { align: 'right' }),
  ];
  for (const c of cells) {
    const t = c.value / max;
    const x = LEFT + c.col * CELL_W;
    const y = TOP + c.row * CELL_H;
    const fill = shade(t);
    const ink = t > 0.5 ? '#ffffff' : '#1a1a1a';
    graphic.push({
      type: 'rect',
      shape: { x, y, width: CELL_W, height: CELL_H },
      style: { fill, stroke: '#ffffff', lineWidth: 2 },
    });
    graphic.push(
      text(x + CELL_W / 2, y + CELL_H / 2 - 10, formatCount(c.value), { fill: ink, fontSize: 22 }),
    );
    const share = total > 0 ? formatPercent(c.value / total) : 'n/a';
    graphic.push(
      text(x + CELL_W / 2, y + CELL_H / 2 + 18, `${c.tag} · ${share}`, { fill: ink, fontSize: 12 }),
    );
  }
  const ariaLabel =
    `Confusion matrix (negative class '${negative}', positive class '${positive}'): ` +
    cells.map((c) => `${c.tag} ${formatCount(c.value)}`).join(', ');
  return renderChartSvg(
    { graphic },
    { width: LEFT + 2 * CELL_W + 16, height: TOP + 2 * CELL_H + 12, ariaLabel },
  );
}

function text(
  x: number,
  y: number,
  content: string,
  style: { fill?: string; fontSize?: number; fontWeight?: 'bold'; align?: 'left' | 'center' | 'right' } = {},
): GraphicComponentOption {
  return {
    type: 'text',
    x,
    y,
    style: {
      text: content,
      fontFamily: CHART_FONT,
      fill: style.fill ?? '#1a1a1a',
      fontSize: style.fontSize ?? 13,
      fontWeight: style.fontWeight,
      align: style.align ?? 'center',
      verticalAlign: 'middle',
    },
  };
}

/** Linear blend from a pale to a dark blue: t = 0 gives #eef4fb, t = 1 gives #0b4f8a. */
function shade(t: number): string {
  const from = [0xee, 0xf4, 0xfb];
  const to = [0x0b, 0x4f, 0x8a];
  return `#${from
    .map((f, i) =>
      Math.round(f + (to[i] - f) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
