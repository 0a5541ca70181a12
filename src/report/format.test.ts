import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatCount,
  formatDuration,
  formatMetric,
  formatNumber,
  formatPercent,
} from './format.js';

describe('number formatting', () => {
  it('writes counts with comma thousands separators regardless of locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-12345)).toBe('-12,345');
    expect(formatCount(1234.6)).toBe('1,235');
  });

  it('writes metrics with 4 significant digits', () => {
    expect(formatMetric(0.812345)).toBe('0.8123');
    expect(formatMetric(12.3456)).toBe('12.35');
    expect(formatMetric(1)).toBe('1.000');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(0.00012346)).toBe('0.0001235');
    expect(formatMetric(1.234e-5)).toBe('1.234e-5');
    expect(formatMetric(12345.6)).toBe('12,346');
  });

  it('writes non-finite values readably', () => {
    expect(formatMetric(Number.NaN)).toBe('n/a');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatPercent(Number.NEGATIVE_INFINITY)).toBe('-∞');
  });

  it('writes percentages and durations', () => {
    expect(formatPercent(0.4213)).toBe('42.1%');
    expect(formatDuration(0.0123)).toBe('12.3 ms');
    expect(formatDuration(4.5)).toBe('4.50 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3725)).toBe('1 h 2 min 5 s');
  });

  it("formats integers as counts and fractions as metrics under 'auto'", () => {
    expect(formatNumber(30162)).toBe('30,162');
    expect(formatNumber(0.851234)).toBe('0.8512');
    expect(formatNumber(0.5, 'raw')).toBe('0.5');
  });

  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
