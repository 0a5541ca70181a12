import { InvalidParameterError } from '../../core/index.js';
import { type Column, compareCodeUnits, isNumericColumn } from '../../data/index.js';

/** Placeholders a reason template may use. */
export const REASON_PLACEHOLDERS = ['feature', 'value', 'reference', 'direction'] as const;

/** One placeholder name. */
export type ReasonPlaceholder = (typeof REASON_PLACEHOLDERS)[number];

/** The template used for a feature without its own. */
export const DEFAULT_REASON_TEMPLATE = '{feature} = {value} lowered the score (typical: {reference})';

/** A raw cell: a number (NaN = missing), a category, or null (missing). */
export type CellValue = number | string | null;

/**
 * Checks templates up front: every key must be a model feature and every `{name}` a known placeholder.
 * Throws InvalidParameterError naming the feature and the placeholder otherwise.
 */
export function checkReasonTemplates(
  templates: Readonly<Record<string, string>>,
  features: readonly string[],
  defaultTemplate: string,
): void {
  const known = new Set(features);
  for (const [feature, template] of Object.entries(templates)) {
    if (!known.has(feature)) {
      throw new InvalidParameterError(
        `The 'templates' option of reasonCodes names '${feature}', which is not a model feature. Use one of: ${features.join(', ')}.`,
      );
    }
    checkTemplate(template, `the template of '${feature}'`);
  }
  checkTemplate(defaultTemplate, "the 'defaultTemplate'");
}

function checkTemplate(template: string, what: string): void {
  if (typeof template !== 'string' || template.trim() === '') {
    throw new InvalidParameterError(
      `reasonCodes: ${what} must be a non-empty string. Got ${JSON.stringify(template)} instead.`,
    );
  }
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!(REASON_PLACEHOLDERS as readonly string[]).includes(match[1])) {
      throw new InvalidParameterError(
        `reasonCodes: ${what} uses the unknown placeholder '{${match[1]}}'. Use ${REASON_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`,
      );
    }
  }
}

/** Fills `{feature}`, `{value}`, `{reference}` and `{direction}` in a checked template. */
export function renderReason(template: string, fields: Readonly<Record<ReasonPlaceholder, string>>): string {
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => fields[name as ReasonPlaceholder]);
}

/** A cell as text: integers as written, other numbers to 6 significant digits, missing as "missing". */
export function formatCell(value: CellValue): string {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return 'missing';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/**
 * The typical value of a reference column: the median of a numeric column (mean of the two middle
 * values when the count is even; missing values left out), the mode of a categorical one (ties by
 * code-unit order). Null when every value is missing.
 */
export function typicalValue(column: Column, kind: 'numeric' | 'categorical'): CellValue {
  if (kind === 'numeric' && isNumericColumn(column)) {
    const present = column.filter((v) => !Number.isNaN(v)).sort();
    if (present.length === 0) return null;
    const h = present.length >> 1;
    return present.length % 2 === 1 ? present[h] : (present[h - 1] + present[h]) / 2;
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && compareCodeUnits(key, best) < 0)) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

/**
 * How the row's value sits against the typical one: 'above', 'below' or 'equal to' for a number,
 * 'different from' or 'equal to' for a category, 'missing' when the row's value is missing.
 */
export function directionOf(value: CellValue, reference: CellValue, kind: 'numeric' | 'categorical'): string {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return 'missing';
  if (reference === null) return 'different from';
  if (kind === 'numeric' && typeof value === 'number' && typeof reference === 'number') {
    return value > reference ? 'above' : value < reference ? 'below' : 'equal to';
  }
  return String(value) === String(reference) ? 'equal to' : 'different from';
}
