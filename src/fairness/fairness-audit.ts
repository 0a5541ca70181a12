import { type Aif360MetricName, aif360Metrics } from './aif360-metrics.js';
import { type DatasetMetrics, datasetMetrics } from './dataset-metrics.js';
import { type FairlearnMetricName, fairlearnMetrics } from './fairlearn-metrics.js';
import type { DisaggregatedCounts } from './group-counts.js';
import { GROUP_METRIC_NAMES, type GroupMetrics, groupMetrics } from './group-metrics.js';
import { checkPrivileged, groupLabel, type PrivilegedGroup } from './privileged.js';
import {
  checkZeroDivisionRule,
  Divider,
  ZERO_DIVISION_DESCRIPTIONS,
  type ZeroDivisionRule,
} from './zero-division.js';

/** A classifier's fairness metrics: AIF360's (privileged vs the rest) and Fairlearn's (all groups). */
export type ClassificationFairnessMetrics = Record<Aif360MetricName | FairlearnMetricName, number>;

/** Metrics of a labels-only audit, named like AIF360's `BinaryLabelDatasetMetric` methods. */
export interface LabelFairnessMetrics {
  /** P(y = 1 | privileged). */
  base_rate_privileged: number;
  /** P(y = 1 | unprivileged). */
  base_rate_unprivileged: number;
  /** Base rate difference, unprivileged − privileged. */
  statistical_parity_difference: number;
  /** Base rate ratio, unprivileged / privileged. */
  disparate_impact: number;
}

/** A group's row in a labels-only audit. */
export type LabelGroupMetrics = Pick<GroupMetrics, 'group' | 'count' | 'base_rate'>;

/** What was audited: where the rows came from and which columns played which role. */
export interface AuditSubject {
  /** File (as displayed) or table the rows came from. */
  source?: string;
  /** Label column and its favourable value. */
  label?: { column: string; positive: string };
  /** Prediction column and its favourable value; absent for a labels-only audit. */
  prediction?: { column: string; positive: string };
  /** Score column, when one was checked. */
  score?: string;
  /** Instance-weight column, when rows were weighted. */
  weight?: string;
  /** ONNX model that produced the predictions, when the audit scored the rows itself. */
  model?: string;
}

/**
 * The result of a fairness audit: plain and JSON-serialisable (see `fairnessAuditToJson` for NaN and
 * ±Infinity), so reports and compliance documents can be built from it without a live model.
 */
export interface FairnessAudit extends AuditSubject {
  /** Protected columns, in audit order. */
  protectedColumns: string[];
  /** AIF360's privileged group: column → value. */
  privileged: Record<string, string>;
  /** Rows audited. */
  rows: number;
  /** Zero-division rule applied, with its one-line description. */
  zeroDivision: { rule: ZeroDivisionRule; description: string };
  /** Headline metrics: classification metrics, or label metrics when there were no predictions. */
  metrics: ClassificationFairnessMetrics | LabelFairnessMetrics;
  /** Per-group metrics (Fairlearn's `by_group`), one per observed combination, in cell order. */
  groups: GroupMetrics[] | LabelGroupMetrics[];
  /** Metrics of the labels alone (always computed). */
  datasetMetrics: DatasetMetrics;
  /** The disaggregated counts every number above was derived from (for intervals, representativeness). */
  counts: DisaggregatedCounts;
  /** What a reader must know: undefined metrics and the value used, small groups. */
  warnings: string[];
}

/** Options of `auditCounts`. */
export interface AuditCountsOptions {
  /** AIF360's privileged group (column → value); its columns must be protected columns. */
  privileged: PrivilegedGroup;
  /** Zero-division rule; default `'reference'` (see `ZeroDivisionRule`). */
  zeroDivision?: ZeroDivisionRule;
  /** Groups with fewer rows than this get a warning; default 30. */
  minGroupRows?: number;
  /** What was audited, copied into the result. */
  subject?: AuditSubject;
}

/**
 * Every fairness metric of an audit from its disaggregated counts: AIF360's privileged/unprivileged
 * metrics, Fairlearn's per-group metrics and disparities, and the labels' own metrics. Without
 * predictions (`counts.hasPredictions` false) it audits the labels alone.
 */
export function auditCounts(counts: DisaggregatedCounts, options: AuditCountsOptions): FairnessAudit {
  const rule = checkZeroDivisionRule('auditCounts', options.zeroDivision ?? 'reference');
  const subject = options.subject ?? {};
  checkPrivileged(counts, options.privileged, subject.source);
  const warnings: string[] = [];
  const divider = new Divider(rule, warnings);
  const labels = datasetMetrics(counts, options.privileged, divider);
  let metrics: FairnessAudit['metrics'];
  let groups: FairnessAudit['groups'];
  if (counts.hasPredictions) {
    const perGroup = groupMetrics(counts, divider);
    metrics = {
      ...aif360Metrics(counts, options.privileged, divider),
      ...fairlearnMetrics(perGroup, divider),
    };
    groups = perGroup;
  } else {
    metrics = {
      base_rate_privileged: labels.base_rate_privileged,
      base_rate_unprivileged: labels.base_rate_unprivileged,
      statistical_parity_difference: labels.label_statistical_parity_difference,
      disparate_impact: labels.label_disparate_impact,
    };
    groups = counts.cells.map((c) => ({
      group: { ...c.group },
      count: c.rows,
      base_rate: divider.div(
        c.tp + c.fn,
        c.tp + c.fp + c.tn + c.fn,
        'sklearn',
        `base_rate of group ${groupLabel(c.group)}`,
        'no weight',
      ),
    }));
  }
  const minRows = options.minGroupRows ?? 30;
  for (const c of counts.cells) {
    if (c.rows < minRows) {
      warnings.push(
        `Group ${groupLabel(c.group)} has only ${c.rows} row${c.rows === 1 ? '' : 's'} (fewer than ${minRows}); its rates are unreliable.`,
      );
    }
  }
  return {
    ...subject,
    protectedColumns: [...counts.protectedColumns],
    privileged: { ...options.privileged },
    rows: counts.cells.reduce((a, c) => a + c.rows, 0),
    zeroDivision: { rule, description: ZERO_DIVISION_DESCRIPTIONS[rule] },
    metrics,
    groups,
    datasetMetrics: labels,
    counts,
    warnings: [...new Set(warnings)],
  };
}

/**
 * Every number of an audit as one flat record (headline metrics by name, group metrics as
 * `group[col=value, …].metric`): a `CountsMetric` for bootstrap intervals. No warnings are built.
 */
export function auditMetricValues(
  counts: DisaggregatedCounts,
  privileged: PrivilegedGroup,
  zeroDivision: ZeroDivisionRule = 'reference',
): Record<string, number> {
  const divider = new Divider(zeroDivision);
  const out: Record<string, number> = {};
  if (counts.hasPredictions) {
    const groups = groupMetrics(counts, divider);
    Object.assign(out, aif360Metrics(counts, privileged, divider), fairlearnMetrics(groups, divider));
    for (const g of groups) {
      for (const m of GROUP_METRIC_NAMES) out[`group[${groupLabel(g.group)}].${m}`] = g[m];
    }
  } else {
    Object.assign(out, datasetMetrics(counts, privileged, divider));
  }
  return out;
}
