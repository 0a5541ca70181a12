// Structural checks shared by the chart and HTML tests.
import { describe, expect, it } from 'vitest';

const VOID_HTML = new Set(['meta', 'link', 'br', 'hr', 'img', 'input']);

/**
 * Asserts that every element in `markup` is closed in order (a tag-balance check, enough to catch
 * broken SVG or HTML from string building; text is escaped, so no raw '<' appears in content).
 */
export function expectBalancedTags(markup: string): void {
  const stack: string[] = [];
  const body = markup.replace(/<!DOCTYPE[^>]*>/i, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)(?:\s[^<>]*?)?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing === '/' || (closing === '' && VOID_HTML.has(name))) continue;
    if (closing === '') stack.push(name);
    else expect(stack.pop(), `closing </${name}>`).toBe(name);
  }
  expect(stack).toEqual([]);
}

/** Asserts `svg` is a static, inline-safe chart: one root `<svg>`, accessible, no scripts or styles. */
export function expectCleanSvg(svg: string): void {
  expect(svg.startsWith('<svg ')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toMatch(/^<svg[^>]* role="img"/);
  expect(svg).toMatch(/^<svg[^>]* aria-label="[^"]+"/);
  expect(svg).not.toMatch(/<\?xml|<script|<style|ecmeta_|zr\d+-|\son[a-z]+=/i);
  expectBalancedTags(svg);
}

/**
 * Registers the checks every chart builder must pass: clean, accessible, inline-safe SVG under
 * `maxBytes`, the same string for the same input, and escaped user text (the input must contain
 * `<script>` somewhere it is drawn).
 */
export function chartBuilderChecks(builders: [string, () => string][], maxBytes: number): void {
  describe.each(builders)('%s', (_, build) => {
    it(`returns clean, accessible, inline-safe SVG under ${maxBytes} bytes`, () => {
      const svg = build();
      expectCleanSvg(svg);
      expect(svg.length).toBeLessThan(maxBytes);
    });

    it('is deterministic: the same input gives the same string', () => {
      expect(build()).toBe(build());
    });

    it('escapes user text', () => {
      const svg = build();
      expect(svg).not.toContain('<script>');
      expect(svg).toContain('&lt;script&gt;');
    });
  });
}
