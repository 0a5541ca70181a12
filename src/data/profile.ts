import type { Dataset } from './dataset.js';
import type { ColumnKind } from './dataset-spec.js';
import { quoteIdent } from './engine.js';

/** Summary of one column, computed in the engine. */
export interface ColumnProfile {
  /** Column name. */
  name: string;
  /** Numeric or categorical. */
  type: ColumnKind;
  /** Label, protected attribute, feature, or a column read but not used. */
  role: 'label' | 'protected' | 'feature' | 'ignored';
  /** Missing cells left (0 after the missing-value policy ran). */
  missing: number;
  /** Number of distinct values. */
  distinct?: number;
  /** Mean (numeric columns). */
  mean?: number;
  /** Minimum (numeric columns). */
  min?: number;
  /** Maximum (numeric columns). */
  max?: number;
}

/** Row and positive-label counts of one group of one protected attribute. */
export interface GroupCount {
  /** Protected attribute. */
  attribute: string;
  /** Group value (as text). */
  group: string;
  /** Rows in the group. */
  count: number;
  /** Rows in the group with the positive label. */
  positives: number;
}

/** A dataset summary: the plain object behind `steward inspect` and the report's data section. */
export interface DatasetProfile {
  /** Dataset name. */
  name: string;
  /** File(s) read. */
  source: string;
  /** Rows kept. */
  rows: number;
  /** Rows dropped for missing values. */
  droppedRows: number;
  /** Why rows were dropped, when some were. */
  dropReason?: string;
  /** Label column. */
  label: string;
  /** Positive (favourable) label value. */
  positiveLabel: string;
  /** Protected attributes. */
  protectedAttributes: string[];
  /** Column summaries. */
  columns: ColumnProfile[];
  /** Group counts per protected attribute, and per intersection of all of them when there are several. */
  groups: GroupCount[];
  /** The split, when one was made. */
  split?: { train: number; test: number; seed: number; stratified: boolean };
}

/** Computes a dataset profile with a handful of aggregate queries (no rows pulled into JS). */
export async function profileDataset(ds: Dataset): Promise<DatasetProfile> {
  const columns: ColumnProfile[] = [];
  for (const c of ds.columns) {
    const q = quoteIdent(c.name);
    const numeric = c.kind === 'numeric';
    const stats = (
      await ds.engine.rows(
        `SELECT count(*) FILTER (WHERE ${q} IS NULL) AS missing, count(DISTINCT ${q}) AS distinct_values${
          numeric
            ? `, avg(CAST(${q} AS DOUBLE)) AS mean, min(CAST(${q} AS DOUBLE)) AS min, max(CAST(${q} AS DOUBLE)) AS max`
            : ''
        } FROM steward_data`,
      )
    )[0];
    columns.push({
      name: c.name,
      type: c.kind,
      role: c.role,
      missing: Number(stats.missing),
      distinct: Number(stats.distinct_values),
      ...(numeric ? { mean: Number(stats.mean), min: Number(stats.min), max: Number(stats.max) } : {}),
    });
  }
  const positive = [String(ds.spec.positiveLabel)];
  const isPositive = `CAST(${quoteIdent(ds.spec.label)} AS VARCHAR) = $1`;
  const attributes = ds.spec.protectedAttributes.map((a) => ({
    name: a,
    expr: `CAST(${quoteIdent(a)} AS VARCHAR)`,
  }));
  if (attributes.length > 1) {
    attributes.push({
      name: ds.spec.protectedAttributes.join(' × '),
      expr: `concat_ws(' × ', ${ds.spec.protectedAttributes.map((a) => `CAST(${quoteIdent(a)} AS VARCHAR)`).join(', ')})`,
    });
  }
  const groups: GroupCount[] = [];
  for (const a of attributes) {
    const rows = await ds.engine.rows(
      `SELECT ${a.expr} AS g, count(*) AS n, count(*) FILTER (WHERE ${isPositive}) AS pos
       FROM steward_data GROUP BY 1 ORDER BY n DESC, g`,
      positive,
    );
    for (const r of rows) {
      groups.push({ attribute: a.name, group: String(r.g), count: Number(r.n), positives: Number(r.pos) });
    }
  }
  const profile: DatasetProfile = {
    name: ds.spec.name,
    source: ds.source,
    rows: ds.rows,
    droppedRows: ds.droppedRows,
    label: ds.spec.label,
    positiveLabel: String(ds.spec.positiveLabel),
    protectedAttributes: [...ds.spec.protectedAttributes],
    columns,
    groups,
  };
  if (ds.droppedRows > 0) {
    profile.dropReason = `a blank, NA${ds.spec.naValues?.length ? ` (${ds.spec.naValues.join(', ')})` : ''} or NaN cell in a used column`;
  }
  if (ds.splitInfo) {
    const { train, test, seed, stratified } = ds.splitInfo;
    profile.split = { train, test, seed, stratified };
  }
  return profile;
}
