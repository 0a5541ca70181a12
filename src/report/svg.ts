import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GraphicComponent,
  type GraphicComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
} from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { InvalidParameterError } from '../core/index.js';
import { escapeHtml } from './format.js';

use([BarChart, LineChart, GridComponent, LegendComponent, GraphicComponent, SVGRenderer]);

/** The ECharts option subset the chart builders use (bar and line series, grid, legend, graphic). */
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | GraphicComponentOption
>;

/** Size and accessible name of a rendered chart. */
export interface ChartFrame {
  /** Width in CSS pixels. */
  width: number;
  /** Height in CSS pixels. */
  height: number;
  /** Text alternative describing what the chart shows (becomes `aria-label`). */
  ariaLabel: string;
}

/** Font stack of every chart (no quotes: ECharts writes it into a style attribute unescaped). */
export const CHART_FONT = 'system-ui, sans-serif';

/** Palette shared by the charts (colour-blind-safe Okabe-Ito order, darkened for contrast on white). */
export const CHART_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/**
 * Renders an ECharts option to a static, deterministic SVG string with server-side rendering:
 * animation off, fixed size, hover styles and ECharts bookkeeping attributes removed, and
 * `role="img"` plus `aria-label` on the root element.
 */
export function renderChartSvg(option: ChartOption, frame: ChartFrame): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: frame.width, height: frame.height });
  try {
    chart.setOption({
      animation: false,
      color: CHART_COLORS,
      textStyle: { fontFamily: CHART_FONT },
      ...option,
    });
    return withAccessibleName(cleanEchartsSvg(chart.renderToSVGString()), frame.ariaLabel);
  } finally {
    chart.dispose();
  }
}

/**
 * Makes ECharts SVG output static and stable: drops any XML prolog, the `<style>` block of hover
 * rules, `class`/`ecmeta_*`/`pointer-events` attributes, and the per-instance `zrN-` id prefix
 * (which otherwise differs between otherwise identical renders).
 */
export function cleanEchartsSvg(svg: string): string {
  return stripProlog(svg)
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>\s*/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ pointer-events="visible"/g, '')
    .replace(/(id="|url\(#|href="#)zr\d+-/g, '$1')
    .replace(/<defs\s+>/g, '<defs>')
    .trim();
}

/** Removes a leading XML declaration, doctype and whitespace so the SVG can be inlined in HTML. */
export function stripProlog(svg: string): string {
  return svg
    .replace(/^\uFEFF/, '')
    .replace(/^\s*<\?xml[\s\S]*?\?>/, '')
    .replace(/^\s*<!DOCTYPE[^>]*>/i, '')
    .trimStart();
}

/** Sets `role="img"` and `aria-label` on the root `<svg>` unless it already has an accessible name. */
export function withAccessibleName(svg: string, label: string): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (open === null) return svg;
  let tag = open[0];
  if (!/\srole="/.test(tag)) tag = tag.replace(/^<svg/, '<svg role="img"');
  if (!/\saria-label(ledby)?="/.test(tag))
    tag = tag.replace(/^<svg/, `<svg aria-label="${escapeHtml(label)}"`);
  return tag + svg.slice(open[0].length);
}

/**
 * Prepares chart SVG for inlining in an HTML page: checks it is an `<svg>` element, removes
 * scripts, `foreignObject`, event-handler attributes and non-fragment links (defence in depth; the
 * builders never emit them), and prefixes every id so several charts can share one page.
 */
export function inlineSvg(svg: string, idPrefix: string, label: string): string {
  const body = stripProlog(svg);
  if (!/^<svg[\s>]/.test(body)) {
    throw new InvalidParameterError(
      `The 'svg' of a chart block must start with '<svg'. Got ${JSON.stringify(body.slice(0, 20))} instead.`,
    );
  }
  const safe = body
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<script\b[^>]*\/>/gi, '')
    .replace(/<foreignObject\b[\s\S]*?<\/foreignObject\s*>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s(?:xlink:)?href\s*=\s*("(?!#)[^"]*"|'(?!#)[^']*')/gi, '')
    .replace(/(\sid=")([^"]+")/g, `$1${idPrefix}$2`)
    .replace(/url\(#/g, `url(#${idPrefix}`)
    .replace(/(\s(?:xlink:)?href=")#/g, `$1#${idPrefix}`);
  return withAccessibleName(safe, label);
}
