import type { ColumnProfile, DatasetProfile } from '../data/index.js';
import { formatCount, formatPercent } from './format.js';
import { labelBalanceChart } from './label-balance-chart.js';
import type { ReportBlock, ReportSection, SectionOptions, TableCell } from './model.js';

/** Groups with fewer rows than this get a warning: their rates are too noisy to compare. */
export const SMALL_GROUP_ROWS = 30;

/** Profile of one dataset column: the data layer's `ColumnProfile`. */
export type ColumnSummary = ColumnProfile;

/** How the rows were split for training and evaluation. */
export type SplitSummary = NonNullable<DatasetProfile['split']>;

/** The report's input contract for `datasetSection`: the data layer's plain `DatasetProfile` object. */
export type DatasetSummary = DatasetProfile;

/**
 * The dataset section: rows used and dropped, a column profile, label balance per protected group
 * (table and chart), and warnings for groups with fewer than `SMALL_GROUP_ROWS` rows or without
 * positive or negative labels.
 */
export function datasetSection(summary: DatasetSummary, options: SectionOptions = {}): ReportSection {
  const blocks: ReportBlock[] = [];
  const dropped =
    summary.droppedRows > 0
      ? `${formatCount(summary.droppedRows)}${summary.dropReason ? ` (${summary.dropReason})` : ''}`
      : '0';
  const facts: [string, string | number][] = [
    ['Dataset', summary.name],
    ['Source', summary.source],
    ['Rows used', formatCount(summary.rows)],
    ['Rows dropped', dropped],
    ['Label', summary.label],
    ['Positive class', summary.positiveLabel],
    [
      'Protected attributes',
      summary.protectedAttributes.length > 0 ? summary.protectedAttributes.join(', ') : 'none',
    ],
  ];
  if (summary.split) {
    const s = summary.split;
    facts.push(
      ['Train / test rows', `${formatCount(s.train)} / ${formatCount(s.test)}`],
      ['Split', `${s.stratified ? 'stratified' : 'random'}, seed ${s.seed}`],
    );
  }
  blocks.push({ kind: 'keyValue', items: facts });

  const warnings = datasetWarnings(summary);
  if (warnings.length > 0) blocks.push({ kind: 'warnings', items: warnings });

  if (summary.groups.length > 0) {
    blocks.push({
      kind: 'chart',
      caption: `Share of rows with label '${summary.positiveLabel}' in each group of each protected attribute, with the group's row count.`,
      svg: labelBalanceChart({ groups: summary.groups }),
    });
    blocks.push(groupTable(summary));
  }

  blocks.push({
    kind: 'table',
    caption: 'Columns',
    columns: ['Column', 'Type', 'Role', 'Missing', 'Distinct', 'Mean', 'Min', 'Max'],
    rows: summary.columns.map((c) => [
      c.name,
      c.type,
      c.role,
      c.missing,
      c.distinct ?? null,
      c.mean ?? null,
      c.min ?? null,
      c.max ?? null,
    ]),
    numberFormat: ['auto', 'auto', 'auto', 'count', 'count', 'auto', 'auto', 'auto'],
  });

  return {
    id: options.id ?? 'dataset',
    title: options.title ?? 'Dataset',
    summary: `${formatCount(summary.rows)} rows of '${summary.name}' were used to predict '${summary.label}' (positive class '${summary.positiveLabel}')${
      summary.protectedAttributes.length > 0
        ? `, with protected attribute${summary.protectedAttributes.length === 1 ? '' : 's'} ${summary.protectedAttributes.map((a) => `'${a}'`).join(', ')}`
        : ''
    }.`,
    blocks,
  };
}

function groupTable(summary: DatasetSummary): ReportBlock {
  const totals = new Map<string, number>();
  for (const g of summary.groups) totals.set(g.attribute, (totals.get(g.attribute) ?? 0) + g.count);
  const rows: TableCell[][] = summary.groups.map((g) => {
    const total = totals.get(g.attribute) ?? 0;
    return [
      g.attribute,
      g.group,
      g.count,
      total > 0 ? g.count / total : null,
      g.positives,
      g.count > 0 ? g.positives / g.count : null,
    ];
  });
  return {
    kind: 'table',
    caption: 'Label balance by group',
    columns: [
      'Attribute',
      'Group',
      'Rows',
      'Share of rows',
      `Positives ('${summary.positiveLabel}')`,
      'Positive rate',
    ],
    rows,
    numberFormat: ['auto', 'auto', 'count', 'percent', 'count', 'percent'],
  };
}

/** Warnings about the data a reader must see before trusting group comparisons. */
function datasetWarnings(summary: DatasetSummary): string[] {
  const out: string[] = [];
  const total = summary.rows + summary.droppedRows;
  if (summary.droppedRows > 0 && total > 0 && summary.droppedRows / total >= 0.05) {
    out.push(
      `${formatCount(summary.droppedRows)} of ${formatCount(total)} rows (${formatPercent(summary.droppedRows / total)}) were dropped${
        summary.dropReason ? ` (${summary.dropReason})` : ''
      }; if dropping depends on group membership, results may not describe the full population.`,
    );
  }
  for (const attribute of summary.protectedAttributes) {
    if (!summary.groups.some((g) => g.attribute === attribute)) {
      out.push(`Protected attribute '${attribute}' has no group counts in the summary.`);
    }
    const column = summary.columns.find((c) => c.name === attribute);
    if (column && column.missing > 0) {
      out.push(
        `Protected attribute '${attribute}' is missing in ${formatCount(column.missing)} rows; check how those rows are grouped.`,
      );
    }
  }
  for (const g of summary.groups) {
    const name = `'${g.attribute} = ${g.group}'`;
    if (g.count === 0) {
      out.push(`Group ${name} has no rows.`);
      continue;
    }
    if (g.count < SMALL_GROUP_ROWS) {
      out.push(
        `Group ${name} has only ${formatCount(g.count)} rows (fewer than ${SMALL_GROUP_ROWS}); its rates are too noisy to compare.`,
      );
    }
    if (g.positives === 0) {
      out.push(
        `Group ${name} has no rows with label '${summary.positiveLabel}'; its true positive rate is undefined.`,
      );
    } else if (g.positives === g.count) {
      out.push(
        `Group ${name} has only rows with label '${summary.positiveLabel}'; its false positive rate is undefined.`,
      );
    }
  }
  return out;
}
