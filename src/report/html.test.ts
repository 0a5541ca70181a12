import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportFixture, XSS } from './fixtures.test-suite.js';
import { renderHtml } from './html.js';
import type { Report } from './model.js';
import { expectBalancedTags } from './svg-checks.test-suite.js';

describe('renderHtml', () => {
  const html = renderHtml(reportFixture());

  it('produces one well-formed HTML document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expectBalancedTags(html);
  });

  it('is self-contained: no scripts, stylesheets, imports or network URLs beyond SVG namespaces', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(\s*['"]?(https?:)?\/\//i);
    const withoutNamespaces = html.replace(/ xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
    expect(withoutNamespaces).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
  });

  it('contains every section with a heading and a table-of-contents link', () => {
    for (const id of ['dataset', 'evaluation', 'notes', 'run']) {
      expect(html).toContain(`<section class="report-section" id="${id}" aria-labelledby="${id}-title">`);
      expect(html).toContain(`<li><a href="#${id}">`);
    }
    expect(html).toContain('<h2 id="notes-title">Notes &amp; caveats</h2>');
  });

  it('escapes user text everywhere', () => {
    expect(html).not.toContain(XSS);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('gives charts an accessible name and every element a unique id', () => {
    const svgs = html.match(/<svg\b[^>]*>/g) ?? [];
    expect(svgs.length).toBe(3);
    for (const tag of svgs) {
      expect(tag).toMatch(/ role="img"/);
      expect(tag).toMatch(/ aria-label="[^"]+"/);
    }
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses table headers and formats numbers for reading', () => {
    expect(html).toContain('<th scope="col">Column</th>');
    expect(html).toContain('<th scope="row">');
    expect(html).toContain('<td class="num">1,234,567</td>');
    expect(html).toContain('<td class="num">0.1235</td>');
    expect(html).toContain('<td class="num">0.8512</td>');
    expect(html).toContain('<dd>1,234,567</dd>');
    expect(html).toContain('<span class="sr-only">not available</span>');
    expect(html).toContain('<time datetime="2025-03-01T12:34:56.000Z">2025-03-01 12:34:56 UTC</time>');
  });

  it('is deterministic and depends only on the plain report data', () => {
    expect(renderHtml(reportFixture())).toBe(html);
    const roundTripped = JSON.parse(JSON.stringify(reportFixture())) as Report;
    expect(renderHtml(roundTripped)).toBe(html);
  });

  it('rejects bad or duplicate section ids and ragged tables', () => {
    const base = reportFixture();
    expect(() => renderHtml({ ...base, sections: [{ id: '1 bad', title: 't', blocks: [] }] })).toThrow(
      /must start with a letter/,
    );
    expect(() => renderHtml({ ...base, sections: [base.sections[0], base.sections[0]] })).toThrow(/unique/);
    const ragged: Report = {
      ...base,
      sections: [
        { id: 'x', title: 'x', blocks: [{ kind: 'table', columns: ['a', 'b'], rows: [['only one']] }] },
      ],
    };
    expect(() => renderHtml(ragged)).toThrow(/must have 2 cells. Row 0 has 1 instead/);
  });

  it('renders an empty report without a table of contents', () => {
    const out = renderHtml({ title: 'Empty', generatedAt: 'not a date', sections: [] });
    expect(out).not.toContain('<nav');
    expect(out).toContain('Generated not a date');
    expectBalancedTags(out);
  });

  it('writes a file a browser can open directly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steward-report-'));
    try {
      const path = join(dir, 'report.html');
      await writeFile(path, html);
      const back = await readFile(path, 'utf8');
      expect(back).toBe(html);
      expect(Buffer.byteLength(back)).toBeLessThan(200_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
