import type { NumberFormat } from './model.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Writes an integer with comma thousands separators (locale-independent): 1234567 -> "1,234,567". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

/**
 * Writes a metric with 4 significant digits: 0.812345 -> "0.8123", 12.3456 -> "12.35". Values of
 * 1000 or more are rounded to an integer with separators; tiny values use exponent notation.
 */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return formatCount(value);
  if (abs < 1e-4) return value.toExponential(3);
  return value.toPrecision(4);
}

/** Writes a proportion as a percentage with one decimal: 0.4213 -> "42.1%". */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  return `${(value * 100).toFixed(1)}%`;
}

/** Writes a duration in seconds for people: 0.0123 -> "12.3 ms", 4.5 -> "4.50 s", 125 -> "2 min 5 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return formatNonFinite(seconds);
  if (seconds < 1) return `${Number((seconds * 1000).toPrecision(3))} ms`;
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${m} min ${s} s` : `${m} min ${s} s`;
}

/** Formats a number the given way; 'auto' writes integers as counts and other numbers as metrics. */
export function formatNumber(value: number, format: NumberFormat = 'auto'): string {
  switch (format) {
    case 'count':
      return formatCount(value);
    case 'metric':
      return formatMetric(value);
    case 'percent':
      return formatPercent(value);
    case 'seconds':
      return formatDuration(value);
    case 'raw':
      return String(value);
    default:
      return Number.isInteger(value) ? formatCount(value) : formatMetric(value);
  }
}

function formatNonFinite(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  return value > 0 ? '∞' : '-∞';
}
