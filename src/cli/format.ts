import type { DatasetProfile } from '../data/index.js';
import type { ClassificationMetrics } from '../models/index.js';

/** Formats rows as an aligned plain-text table. */
export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => String(r[j]).length)));
  const line = (r: (string | number)[]) =>
    r
      .map((c, j) => String(c).padEnd(widths[j]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/** A number with 4 significant digits, integers with thousands separators. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Number(n.toPrecision(4)).toString();
}

/** Human-readable dataset profile (for `steward inspect`). */
export function formatProfile(p: DatasetProfile): string {
  const out = [
    `Dataset ${p.name}: ${fmt(p.rows)} rows${p.droppedRows > 0 ? ` (${fmt(p.droppedRows)} dropped: ${p.dropReason})` : ''}`,
    `Source: ${p.source}`,
    `Label: ${p.label} (positive: ${p.positiveLabel}); protected: ${p.protectedAttributes.join(', ')}`,
    '',
    textTable(
      ['column', 'kind', 'role', 'distinct', 'mean', 'min', 'max'],
      p.columns.map((c) => [
        c.name,
        c.type,
        c.role,
        c.distinct ?? '',
        c.mean ?? '',
        c.min ?? '',
        c.max ?? '',
      ]),
    ),
    '',
    textTable(
      ['attribute', 'group', 'rows', 'positive rate'],
      p.groups.map((g) => [g.attribute, g.group, g.count, g.positives / g.count]),
    ),
  ];
  const small = p.groups.filter((g) => g.count < 30);
  if (small.length > 0) {
    out.push(
      '',
      `Warning: ${small.length} group(s) have fewer than 30 rows; their rates are unreliable: ${small.map((g) => `${g.attribute}=${g.group} (${g.count})`).join(', ')}.`,
    );
  }
  return out.join('\n');
}

/** Human-readable headline metrics. */
export function formatMetrics(m: ClassificationMetrics): string {
  return textTable(
    ['accuracy', 'balanced acc.', 'precision', 'recall', 'F1', 'ROC AUC', 'log-loss'],
    [[m.accuracy, m.balancedAccuracy, m.precision, m.recall, m.f1, m.rocAuc, m.logLoss]],
  );
}
