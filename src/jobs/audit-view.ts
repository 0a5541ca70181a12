import {
  type BootstrapInterval,
  type FairnessAudit,
  type GroupMetrics,
  groupLabel,
  type RepresentativenessResult,
} from '../fairness/index.js';
import type {
  FairnessAuditView,
  FairnessGroupMetric,
  FairnessGroupView,
  FairnessHeadlineMetric,
  FairnessIntersectionView,
  IntersectionCellView,
  RepresentativenessView,
  ValueInterval,
} from '../report/index.js';

/** Options of `fairnessAuditView`. */
export interface FairnessAuditViewOptions {
  /** Bootstrap intervals keyed like `auditMetricValues` (metric names and `group[…].metric`). */
  intervals?: Record<string, BootstrapInterval>;
  /** Confidence level of the intervals, e.g. 0.95. */
  confidence?: number;
  /** How the intervals were computed, e.g. "percentile bootstrap, 1000 replicates, seed 0". */
  intervalMethod?: string;
  /** Group shares against a reference population. */
  representativeness?: RepresentativenessResult;
  /** Groups with fewer rows are flagged by the report itself; default 30 (as `fairnessSection`). */
  minRows?: number;
}

/** Display name and convention of each headline metric, in display order. */
const HEADLINE: [key: string, name: string, description: string][] = [
  ['disparate_impact', 'Disparate impact', 'selection rate, unprivileged / privileged (AIF360); 1 is parity'],
  [
    'statistical_parity_difference',
    'Statistical parity difference',
    'selection rate, unprivileged − privileged (AIF360); 0 is parity',
  ],
  ['equal_opportunity_difference', 'Equal opportunity difference', 'TPR, unprivileged − privileged (AIF360)'],
  [
    'average_odds_difference',
    'Average odds difference',
    'mean of the FPR and TPR differences, unprivileged − privileged (AIF360)',
  ],
  [
    'average_abs_odds_difference',
    'Average absolute odds difference',
    'mean of |FPR difference| and |TPR difference| (AIF360)',
  ],
  [
    'demographic_parity_difference',
    'Demographic parity difference',
    'selection rate, max − min over groups (Fairlearn)',
  ],
  [
    'demographic_parity_ratio',
    'Demographic parity ratio',
    'selection rate, min / max over groups (Fairlearn)',
  ],
  [
    'equalized_odds_difference',
    'Equalized odds difference',
    'larger of the TPR and FPR max − min over groups (Fairlearn)',
  ],
  [
    'equalized_odds_ratio',
    'Equalized odds ratio',
    'smaller of the TPR and FPR min / max over groups (Fairlearn)',
  ],
  ['false_positive_rate_difference', 'FPR difference', 'unprivileged − privileged (AIF360)'],
  ['false_negative_rate_difference', 'FNR difference', 'unprivileged − privileged (AIF360)'],
  ['false_discovery_rate_difference', 'FDR difference', 'unprivileged − privileged (AIF360)'],
  ['false_omission_rate_difference', 'FOR difference', 'unprivileged − privileged (AIF360)'],
  ['error_rate_difference', 'Error rate difference', 'unprivileged − privileged (AIF360)'],
  ['error_rate_ratio', 'Error rate ratio', 'unprivileged / privileged (AIF360)'],
  ['base_rate_privileged', 'Base rate, privileged', 'P(y = 1 | privileged)'],
  ['base_rate_unprivileged', 'Base rate, unprivileged', 'P(y = 1 | unprivileged)'],
  [
    'theil_index',
    'Theil index',
    'generalized entropy (α = 1) of the benefits ŷ − y + 1 (Speicher et al. 2018)',
  ],
  [
    'generalized_entropy_index',
    'Generalized entropy index',
    'α = 2, of the benefits ŷ − y + 1 (Speicher et al. 2018)',
  ],
  ['between_group_theil_index', 'Between-group Theil index', 'Theil index of the group-mean benefits'],
  ['accuracy', 'Accuracy', 'all rows'],
  ['balanced_accuracy', 'Balanced accuracy', '(TPR + TNR) / 2, all rows'],
];

/** Conventions of a labels-only audit, where the "selection rate" is the favourable-label rate. */
const LABEL_DESCRIPTIONS: Record<string, string> = {
  disparate_impact: 'favourable-label rate, unprivileged / privileged (AIF360, labels only)',
  statistical_parity_difference: 'favourable-label rate, unprivileged − privileged (AIF360, labels only)',
};

/** Report field ← audit field of the per-group metrics the report shows. */
const GROUP_FIELDS: [FairnessGroupMetric, keyof GroupMetrics][] = [
  ['selectionRate', 'selection_rate'],
  ['tpr', 'true_positive_rate'],
  ['fpr', 'false_positive_rate'],
  ['precision', 'precision'],
  ['accuracy', 'accuracy'],
  ['baseRate', 'base_rate'],
];

/** The same for a labels-only audit, whose "selection rate" is the favourable-label rate. */
const LABEL_GROUP_FIELDS: [FairnessGroupMetric, keyof GroupMetrics][] = [
  ['selectionRate', 'base_rate'],
  ['baseRate', 'base_rate'],
];

/**
 * Maps a `FairnessAudit` (plus optional bootstrap intervals and representativeness) to the report's
 * `FairnessAuditView`: headline metrics with readable names, conventions and intervals; per-group
 * rates with intervals; selection-rate heat maps over the first two protected columns; observed
 * against expected shares; and every warning (the audit's, representativeness', and notes on
 * metrics undefined in some bootstrap replicates). NaN becomes null; ±Infinity stays for ratios.
 */
export function fairnessAuditView(
  audit: FairnessAudit,
  options: FairnessAuditViewOptions = {},
): FairnessAuditView {
  const intervals = options.intervals ?? {};
  const minRows = options.minRows ?? 30;
  const groups = groupViews(audit, intervals);
  const view: FairnessAuditView = {
    protectedColumns: [...audit.protectedColumns],
    privileged: { ...audit.privileged },
    rows: audit.rows,
    zeroDivision: audit.zeroDivision.description,
    metrics: headlineMetrics(audit, intervals),
    groups,
    warnings: [],
  };
  if (audit.label) view.label = { ...audit.label };
  if (options.intervals) {
    if (options.confidence !== undefined) view.confidence = options.confidence;
    if (options.intervalMethod !== undefined) view.intervalMethod = options.intervalMethod;
  }
  const intersections = intersectionViews(audit);
  if (intersections.length > 0) view.intersections = intersections;
  if (options.representativeness)
    view.representativeness = representativenessView(options.representativeness);

  // The section flags groups under minRows itself, in its own words; keep the audit's other warnings.
  const small = new Set(groups.filter((g) => g.count < minRows).map((g) => g.label));
  const auditWarnings = audit.warnings.filter((w) => {
    const m = /^Group (.+) has only \d+ rows? \(fewer than \d+\); its rates are unreliable\.$/.exec(w);
    return m === null || !small.has(m[1]);
  });
  view.warnings = [
    ...new Set([
      ...auditWarnings,
      ...(options.representativeness ? representativenessWarnings(options.representativeness, minRows) : []),
      ...intervalNotes(audit, intervals),
    ]),
  ];
  return view;
}

function headlineMetrics(
  audit: FairnessAudit,
  intervals: Record<string, BootstrapInterval>,
): FairnessHeadlineMetric[] {
  const metrics = audit.metrics as unknown as Record<string, number>;
  const labelsOnly = !audit.counts.hasPredictions;
  const known = new Set(HEADLINE.map(([key]) => key));
  const entries = [
    ...HEADLINE.filter(([key]) => key in metrics),
    ...Object.keys(metrics)
      .filter((key) => !known.has(key))
      .map((key): [string, string, string] => [key, humanize(key), '']),
  ];
  return entries.map(([key, name, description]) => {
    const metric: FairnessHeadlineMetric = { name, value: notNaN(metrics[key]) };
    const convention = (labelsOnly ? LABEL_DESCRIPTIONS[key] : undefined) ?? description;
    if (convention) metric.description = convention;
    const interval = toInterval(intervals[key]);
    if (interval) metric.interval = interval;
    return metric;
  });
}

function groupViews(audit: FairnessAudit, intervals: Record<string, BootstrapInterval>): FairnessGroupView[] {
  const labelsOnly = !audit.counts.hasPredictions;
  return (audit.groups as Partial<GroupMetrics>[]).map((g) => {
    const group = g.group as Record<string, string>;
    const key = `group[${groupLabel(group)}]`;
    const value = (field: keyof GroupMetrics) => notNaN(g[field] as number | undefined);
    const view: FairnessGroupView = {
      label: groupLabel(group, audit.protectedColumns),
      count: g.count as number,
      // Without predictions the prediction is the label, so the "selection" is the favourable-label rate.
      selectionRate: labelsOnly ? value('base_rate') : value('selection_rate'),
      tpr: labelsOnly ? null : value('true_positive_rate'),
      fpr: labelsOnly ? null : value('false_positive_rate'),
      precision: labelsOnly ? null : value('precision'),
      accuracy: labelsOnly ? null : value('accuracy'),
      baseRate: value('base_rate'),
    };
    const groupIntervals: Partial<Record<FairnessGroupMetric, ValueInterval>> = {};
    for (const [field, source] of labelsOnly ? LABEL_GROUP_FIELDS : GROUP_FIELDS) {
      const interval = toInterval(intervals[`${key}.${source}`]);
      if (interval) groupIntervals[field] = interval;
    }
    if (Object.keys(groupIntervals).length > 0) view.intervals = groupIntervals;
    return view;
  });
}

/**
 * Selection rate (weighted) per intersection of the first two protected columns, summed over any
 * further columns, and each cell's rate over the highest cell's (a disparity centred on 1).
 */
function intersectionViews(audit: FairnessAudit): FairnessIntersectionView[] {
  const columns = audit.counts.protectedColumns;
  if (columns.length < 2) return [];
  const [a, b] = columns;
  const distinct = (c: string) => new Set(audit.counts.cells.map((cell) => cell.group[c])).size;
  const [rowColumn, columnColumn] = distinct(b) > distinct(a) ? [b, a] : [a, b];
  const sums = new Map<
    string,
    { row: string; column: string; rows: number; selected: number; total: number }
  >();
  for (const cell of audit.counts.cells) {
    const row = cell.group[rowColumn];
    const column = cell.group[columnColumn];
    const key = JSON.stringify([row, column]);
    const s = sums.get(key) ?? { row, column, rows: 0, selected: 0, total: 0 };
    s.rows += cell.rows;
    s.selected += cell.tp + cell.fp;
    s.total += cell.tp + cell.fp + cell.tn + cell.fn;
    sums.set(key, s);
  }
  const cells: IntersectionCellView[] = [...sums.values()].map((s) => ({
    row: s.row,
    column: s.column,
    value: s.total > 0 ? s.selected / s.total : null,
    count: s.rows,
  }));
  const metric = audit.counts.hasPredictions ? 'Selection rate' : 'Favourable-label rate';
  const out: FairnessIntersectionView[] = [{ rowColumn, columnColumn, metric, cells }];
  const highest = Math.max(...cells.map((c) => c.value ?? Number.NEGATIVE_INFINITY));
  if (highest > 0) {
    out.push({
      rowColumn,
      columnColumn,
      metric: `${metric} / highest intersection`,
      format: 'metric',
      center: 1,
      cells: cells.map((c) => ({ ...c, value: c.value === null ? null : c.value / highest })),
    });
  }
  return out;
}

function representativenessView(rep: RepresentativenessResult): RepresentativenessView {
  return {
    source: rep.source,
    rows: rep.groups.map((g) => ({
      group: g.label,
      rows: g.rows,
      observedShare: g.observedShare,
      expectedShare: g.expectedShare,
      ratio: finiteOrNull(g.ratio),
    })),
    chiSquare: {
      statistic: finiteOrNull(rep.chiSquare.statistic),
      degreesOfFreedom: rep.chiSquare.degreesOfFreedom,
      pValue: finiteOrNull(rep.chiSquare.pValue),
    },
  };
}

/** Representativeness' own warnings, plus intersections with enough rows but a tiny share. */
function representativenessWarnings(rep: RepresentativenessResult, minRows: number): string[] {
  const out = [...rep.warnings];
  const compared = new Set(rep.groups.map((g) => g.label));
  for (const s of rep.smallIntersections) {
    // Cells under minRows are flagged by the section already; compared groups by representativeness.
    if (s.rows >= minRows && !compared.has(s.label)) {
      out.push(
        `Intersection '${s.label}' holds only ${pct(s.share)} of the rows (${s.rows}); its rates rest on few people.`,
      );
    }
  }
  return out;
}

/** Notes on metrics that were undefined in some bootstrap replicates (excluded from their interval). */
function intervalNotes(audit: FairnessAudit, intervals: Record<string, BootstrapInterval>): string[] {
  const out: string[] = [];
  const metrics = audit.metrics as unknown as Record<string, number>;
  const names = new Map(HEADLINE.map(([key, name]) => [key, name]));
  for (const key of Object.keys(metrics)) {
    const i = intervals[key];
    if (i === undefined || !Number.isFinite(i.estimate)) continue;
    const name = names.get(key) ?? humanize(key);
    if (i.estimate < i.lower || i.estimate > i.upper) {
      out.push(
        `The interval of ${name} does not contain its estimate: a maximum or minimum over groups jumps when a small group is resampled, so read the interval as a sign of instability, not as a range.`,
      );
    }
    if (i.undefinedShare === 0) continue;
    out.push(
      i.replicates === 0
        ? `${name} was undefined in every bootstrap replicate, so it has no interval.`
        : `${name} was undefined in ${pct(i.undefinedShare)} of the bootstrap replicates; its interval uses the other ${i.replicates}.`,
    );
  }
  for (const g of audit.groups as Partial<GroupMetrics>[]) {
    const group = g.group as Record<string, string>;
    const shares = GROUP_FIELDS.map(([, field]) => intervals[`group[${groupLabel(group)}].${field}`])
      .filter((i): i is BootstrapInterval => i !== undefined && i.undefinedShare > 0)
      .map((i) => i.undefinedShare);
    if (shares.length > 0) {
      out.push(
        `Rates of group '${groupLabel(group, audit.protectedColumns)}' were undefined in up to ${pct(Math.max(...shares))} of the bootstrap replicates (the group drew no rows, or none of a kind); their intervals use the rest.`,
      );
    }
  }
  return out;
}

function toInterval(i: BootstrapInterval | undefined): ValueInterval | undefined {
  return i !== undefined && Number.isFinite(i.lower) && Number.isFinite(i.upper)
    ? { lower: i.lower, upper: i.upper }
    : undefined;
}

function notNaN(v: number | undefined): number | null {
  return v === undefined || Number.isNaN(v) ? null : v;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function humanize(key: string): string {
  const text = key.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
