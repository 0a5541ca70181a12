import type { GraphicComponentOption } from 'echarts/components';
import { truncate } from './chart-utils.js';
import { formatCount, formatPercent } from './format.js';
import { CHART_FONT } from './svg.js';

// Fairness charts are drawn from graphic primitives on a fixed layout: the server-side renderer
// cannot measure text, so every label gets a reserved slot and is truncated to fit it.

/** Text colour of chart labels. */
export const INK = '#1a1a1a';
/** Colour of secondary text and axis labels. */
export const MUTED = '#555555';
/** Colour of grid lines. */
export const GRID_LINE = '#e0e0e0';
/** Fill of groups that pass a check (Okabe-Ito blue). */
export const OK_FILL = '#0072b2';
/** Fill of groups flagged by a check (Okabe-Ito vermillion). */
export const ALERT_FILL = '#d55e00';
/** Fill of reference values (expected shares). */
export const REFERENCE_FILL = '#9a9a9a';

/** Style of a text primitive. */
export interface TextStyle {
  /** Fill colour; default INK. */
  fill?: string;
  /** Font size in px; default 12. */
  fontSize?: number;
  /** Bold text. */
  bold?: boolean;
  /** Italic text. */
  italic?: boolean;
  /** Horizontal anchor; default 'left'. */
  align?: 'left' | 'center' | 'right';
}

/** A text primitive anchored at (x, y), vertically centred. */
export function textAt(x: number, y: number, content: string, style: TextStyle = {}): GraphicComponentOption {
  return {
    type: 'text',
    x,
    y,
    style: {
      text: content,
      fontFamily: CHART_FONT,
      fill: style.fill ?? INK,
      fontSize: style.fontSize ?? 12,
      fontWeight: style.bold ? 'bold' : undefined,
      fontStyle: style.italic ? 'italic' : undefined,
      align: style.align ?? 'left',
      verticalAlign: 'middle',
    },
  };
}

/** A filled rectangle, optionally outlined. */
export function rectAt(
  x: number,
  y: number,
  width: number,
  height: number,
  fill: string,
  stroke?: { color: string; width?: number; dash?: number[] },
): GraphicComponentOption {
  return {
    type: 'rect',
    shape: { x, y, width: Math.max(0, width), height },
    style: {
      fill,
      stroke: stroke?.color,
      lineWidth: stroke ? (stroke.width ?? 1) : 0,
      lineDash: stroke?.dash,
    },
  };
}

/** A straight line segment. */
export function lineAt(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  color: string,
  width = 1,
  dash?: number[],
): GraphicComponentOption {
  return {
    type: 'line',
    shape: { x1, y1, x2, y2 },
    style: { stroke: color, lineWidth: width, lineDash: dash },
  };
}

/** A share axis [0, max] with tick step, chosen so the largest value fits with round percentages. */
export interface ShareDomain {
  /** Upper end of the axis. */
  max: number;
  /** Distance between ticks. */
  step: number;
}

const DOMAINS: ShareDomain[] = [
  { max: 0.05, step: 0.01 },
  { max: 0.1, step: 0.02 },
  { max: 0.2, step: 0.05 },
  { max: 0.4, step: 0.1 },
  { max: 0.6, step: 0.1 },
  { max: 0.8, step: 0.2 },
  { max: 1, step: 0.2 },
];

/** The smallest share axis holding every finite value in [0, 1] (values above 1 use [0, 1]). */
export function shareDomain(values: readonly (number | null | undefined)[]): ShareDomain {
  const top = Math.max(0, ...values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  return DOMAINS.find((d) => top <= d.max + 1e-12) ?? DOMAINS[DOMAINS.length - 1];
}

/** Vertical grid lines and percentage tick labels of a share axis spanning x0..x1 over y0..y1. */
export function shareAxis(
  domain: ShareDomain,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  title: string,
) {
  const out: GraphicComponentOption[] = [];
  const ticks = Math.round(domain.max / domain.step);
  for (let i = 0; i <= ticks; i++) {
    const v = i * domain.step;
    const x = x0 + ((x1 - x0) * v) / domain.max;
    out.push(lineAt(x, y0, x, y1, i === 0 ? MUTED : GRID_LINE));
    out.push(textAt(x, y1 + 12, `${Math.round(v * 100)}%`, { fill: MUTED, fontSize: 11, align: 'center' }));
  }
  out.push(textAt((x0 + x1) / 2, y1 + 32, title, { fill: MUTED, align: 'center' }));
  return out;
}

/** One entry of a vertical legend: a swatch (box, line or whisker) and its text. */
export interface LegendEntry {
  /** Swatch kind. */
  kind: 'box' | 'dashed' | 'whisker' | 'band';
  /** Swatch colour. */
  color: string;
  /** Text after the swatch. */
  text: string;
}

/** A legend with one entry per line (never side by side: text widths are unknown), from (x, y). */
export function verticalLegend(
  x: number,
  y: number,
  entries: readonly LegendEntry[],
): GraphicComponentOption[] {
  const out: GraphicComponentOption[] = [];
  entries.forEach((e, i) => {
    const cy = y + i * 20;
    if (e.kind === 'box') out.push(rectAt(x, cy - 6, 14, 12, e.color));
    else if (e.kind === 'band') out.push(rectAt(x, cy - 7, 14, 14, e.color, { color: MUTED, width: 1 }));
    else if (e.kind === 'dashed') out.push(lineAt(x + 7, cy - 8, x + 7, cy + 8, e.color, 2, [4, 3]));
    else
      out.push(
        lineAt(x, cy, x + 14, cy, e.color, 1.5),
        lineAt(x, cy - 4, x, cy + 4, e.color, 1.5),
        lineAt(x + 14, cy - 4, x + 14, cy + 4, e.color, 1.5),
      );
    out.push(textAt(x + 22, cy, e.text, { fontSize: 12 }));
  });
  return out;
}

/** Writes a share for a chart label: a percentage, or "n/a" when undefined. */
export function shareLabel(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : formatPercent(value);
}

/** Linear blend of two hex colours: t = 0 gives `from`, t = 1 gives `to`. */
export function blend(from: string, to: string, t: number): string {
  const a = hexRgb(from);
  const b = hexRgb(to);
  const u = Math.min(1, Math.max(0, t));
  return `#${a
    .map((v, i) =>
      Math.round(v + (b[i] - v) * u)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function hexRgb(hex: string): number[] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
}

/** Width reserved for group labels on the left of the row charts. */
export const LABEL_W = 240;
/** Width reserved for the value column on the right of the row charts. */
export const VALUE_W = 150;
/** Top margin of the row charts. */
export const ROW_TOP = 16;

/** A group's row label: the (truncated) name, right-aligned at `x`, with `n = count` beneath it. */
export function groupRowLabel(x: number, cy: number, label: string, count: number): GraphicComponentOption[] {
  return [
    textAt(x, cy - 6, truncate(label, 30), { align: 'right' }),
    textAt(x, cy + 8, `n = ${formatCount(count)}`, { align: 'right', fill: MUTED, fontSize: 10 }),
  ];
}
