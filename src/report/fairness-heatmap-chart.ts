import type { GraphicComponentOption } from 'echarts/components';
import { InvalidParameterError } from '../core/index.js';
import { truncate } from './chart-utils.js';
import { blend, INK, MUTED, rectAt, textAt } from './fairness-chart-parts.js';
import type { FairnessIntersectionView, IntersectionCellView } from './fairness-view.js';
import { formatCount, formatMetric, formatPercent } from './format.js';
import { renderChartSvg } from './svg.js';

/** Input of `intersectionHeatmap`: one intersection view plus drawing options. */
export interface IntersectionHeatmapInput extends FairnessIntersectionView {
  /** Cells with fewer rows are marked "too small"; default 30. */
  minRows?: number;
}

const LEFT = 170;
const TOP = 64;
const CELL_W = 128;
const CELL_H = 58;
const PALE = '#f4f6f8';
const HIGH = '#0b4f8a';
const LOW = '#a6400b';

/**
 * A heat map of one metric over the intersections of two protected columns: rows are the values of
 * `rowColumn`, columns those of `columnColumn`; each cell shows the value and its row count. Colours
 * run from pale to dark blue with the value, or, when `center` is given (1 for a ratio, 0 for a
 * difference), diverge from pale at the center to blue above and vermillion below. Intersections
 * with fewer than `minRows` rows are outlined and marked too small to judge; unobserved ones are grey.
 */
export function intersectionHeatmap(input: IntersectionHeatmapInput): string {
  const minRows = input.minRows ?? 30;
  const rows = unique(input.cells.map((c) => c.row));
  const columns = unique(input.cells.map((c) => c.column));
  const byKey = new Map<string, IntersectionCellView>();
  for (const c of input.cells) {
    const key = JSON.stringify([c.row, c.column]);
    if (byKey.has(key)) {
      throw new InvalidParameterError(
        `The intersection '${input.rowColumn}=${c.row}, ${input.columnColumn}=${c.column}' is given twice to intersectionHeatmap; give each pair once.`,
      );
    }
    byKey.set(key, c);
  }
  const write = (v: number | null) =>
    v === null || !Number.isFinite(v)
      ? 'n/a'
      : input.format === 'metric'
        ? formatMetric(v)
        : formatPercent(v);
  const finite = input.cells.map((c) => c.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = finite.length > 0 ? Math.min(...finite) : 0;
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  const spread =
    input.center === undefined ? 0 : Math.max(...finite.map((v) => Math.abs(v - input.center!)), 1e-12);
  const fillOf = (v: number): [string, number] => {
    if (input.center === undefined) {
      const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      return [blend(PALE, HIGH, 0.15 + 0.85 * t), 0.15 + 0.85 * t];
    }
    const t = Math.abs(v - input.center) / spread;
    return [blend(PALE, v >= input.center ? HIGH : LOW, t), t];
  };

  const g: GraphicComponentOption[] = [
    textAt(LEFT + (columns.length * CELL_W) / 2, 14, truncate(input.columnColumn, 40), {
      bold: true,
      align: 'center',
    }),
    textAt(LEFT - 12, TOP - 16, truncate(`${input.rowColumn} ↓`, 24), { bold: true, align: 'right' }),
  ];
  columns.forEach((col, j) => {
    g.push(textAt(LEFT + j * CELL_W + CELL_W / 2, TOP - 16, truncate(col, 18), { align: 'center' }));
  });
  rows.forEach((row, i) => {
    const y = TOP + i * CELL_H;
    g.push(textAt(LEFT - 12, y + CELL_H / 2, truncate(row, 20), { align: 'right' }));
    columns.forEach((col, j) => {
      const x = LEFT + j * CELL_W;
      const cell = byKey.get(JSON.stringify([row, col]));
      const cx = x + CELL_W / 2;
      if (cell === undefined || cell.count <= 0) {
        g.push(rectAt(x + 1, y + 1, CELL_W - 2, CELL_H - 2, '#e6e6e6'));
        g.push(textAt(cx, y + CELL_H / 2, 'no rows', { fill: MUTED, italic: true, align: 'center' }));
        return;
      }
      const small = cell.count < minRows;
      const defined = cell.value !== null && Number.isFinite(cell.value);
      const [fill, t] = defined ? fillOf(cell.value as number) : ['#ffffff', 0];
      g.push(
        rectAt(
          x + 1,
          y + 1,
          CELL_W - 2,
          CELL_H - 2,
          fill,
          small ? { color: INK, width: 1.5, dash: [4, 3] } : undefined,
        ),
      );
      const ink = t > 0.55 ? '#ffffff' : INK;
      g.push(
        textAt(cx, y + CELL_H / 2 - 9, write(cell.value), {
          fill: ink,
          fontSize: 15,
          bold: true,
          align: 'center',
        }),
      );
      const note = small ? `n = ${formatCount(cell.count)} · too small` : `n = ${formatCount(cell.count)}`;
      g.push(
        textAt(cx, y + CELL_H / 2 + 12, note, { fill: ink, fontSize: 11, italic: small, align: 'center' }),
      );
    });
  });

  const legendY = TOP + rows.length * CELL_H + 22;
  g.push(...scaleLegend(LEFT, legendY, input, lo, hi, write, fillOf));
  const width = Math.max(LEFT + columns.length * CELL_W + 16, LEFT + 370);
  const ariaLabel =
    `${input.metric} by ${input.rowColumn} and ${input.columnColumn}: ` +
    rows
      .flatMap((row) =>
        columns.map((col) => {
          const c = byKey.get(JSON.stringify([row, col]));
          return c === undefined || c.count <= 0
            ? `${row}, ${col}: no rows`
            : `${row}, ${col}: ${write(c.value)} (n = ${formatCount(c.count)}${c.count < minRows ? ', too small to judge' : ''})`;
        }),
      )
      .join('; ');
  return renderChartSvg({ graphic: g }, { width, height: legendY + 46, ariaLabel });
}

/** A colour ramp from the lowest to the highest value (through the center when diverging). */
function scaleLegend(
  x: number,
  y: number,
  input: IntersectionHeatmapInput,
  lo: number,
  hi: number,
  write: (v: number) => string,
  fillOf: (v: number) => [string, number],
): GraphicComponentOption[] {
  const steps = 12;
  const w = 16;
  const out: GraphicComponentOption[] = [textAt(x, y, truncate(input.metric, 60), { fill: MUTED })];
  const from = input.center === undefined ? lo : Math.min(lo, input.center);
  const to = input.center === undefined ? hi : Math.max(hi, input.center);
  for (let i = 0; i < steps; i++) {
    const v = from + ((to - from) * (i + 0.5)) / steps;
    out.push(rectAt(x + i * w, y + 12, w, 12, fillOf(v)[0]));
  }
  out.push(textAt(x, y + 36, write(from), { fill: MUTED, fontSize: 11 }));
  out.push(textAt(x + steps * w, y + 36, write(to), { fill: MUTED, fontSize: 11, align: 'right' }));
  out.push(rectAt(x + steps * w + 24, y + 12, 14, 12, '#ffffff', { color: INK, width: 1.5, dash: [4, 3] }));
  out.push(textAt(x + steps * w + 46, y + 18, 'too small to judge', { fill: MUTED, fontSize: 11 }));
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
