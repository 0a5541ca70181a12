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
