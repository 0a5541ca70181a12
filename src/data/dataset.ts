import { checkInRange, checkInteger, InvalidParameterError } from '../core/index.js';
import type { Column, ColumnBatch } from './columns.js';
import type { ColumnKind, DatasetSpec } from './dataset-spec.js';
import { type DataEngine, quoteIdent } from './engine.js';
import { type DatasetProfile, profileDataset } from './profile.js';

/** A column of an opened dataset: engine type, inferred kind and role. */
export interface ColumnInfo {
  /** Column name. */
  name: string;
  /** DuckDB type after cleaning. */
  sqlType: string;
  /** Numeric (standardised) or categorical (one-hot). */
  kind: ColumnKind;
  /** Label, protected attribute or plain feature. */
  role: 'label' | 'protected' | 'feature';
  /** Whether the column is an input of the model. */
  isFeature: boolean;
}

/** Which rows to read: all, or one side of the split made by `split()`. */
export type RowSelection = 'all' | 'train' | 'test';

/** Options of `Dataset.split`. */
export interface SplitOptions {
  /** Fraction of rows held out for testing, in (0, 1). Default 0.25. */
  testFraction?: number;
  /** Seed of the split. Default 0. */
  seed?: number;
  /** Columns whose combinations keep their proportions on both sides. Default: the label. */
  stratifyBy?: string[];
  /**
   * An explicit split instead of the seeded one: the 1-based data rows (of the first file) that form
   * the test side, e.g. exported from another tool's split to compare on identical rows.
   */
  testRows?: readonly number[];
}

/** Description of a split that was made. */
export interface SplitInfo {
  /** Training rows. */
  train: number;
  /** Test rows. */
  test: number;
  /** Seed used. */
  seed: number;
  /** Whether (and by what) it was stratified. */
  stratified: boolean;
  /** Stratification columns. */
  stratifyBy: string[];
}

/**
 * A dataset opened in the engine (table `steward_data`). Rows stay in DuckDB; `read` pulls only the
 * columns (and split side) a step asks for.
 */
export class Dataset {
  /** The split, once `split()` was called. */
  splitInfo: SplitInfo | undefined;

  /** Created by `openDataset`. */
  constructor(
    /** The engine holding the table. */
    readonly engine: DataEngine,
    private readonly ownsEngine: boolean,
    /** The spec the dataset was opened with. */
    readonly spec: DatasetSpec,
    /** The file (or files) it was read from, for messages. */
    readonly source: string,
    /** Used columns with their kinds and roles. */
    readonly columns: readonly ColumnInfo[],
    /** Rows kept. */
    readonly rows: number,
    /** Rows dropped for missing values. */
    readonly droppedRows: number,
  ) {}

  /** Feature columns split by kind, in table order. */
  featureColumns(): { numeric: string[]; categorical: string[] } {
    const f = this.columns.filter((c) => c.isFeature);
    return {
      numeric: f.filter((c) => c.kind === 'numeric').map((c) => c.name),
      categorical: f.filter((c) => c.kind === 'categorical').map((c) => c.name),
    };
  }

  /**
   * Splits rows into train and test in the engine, seeded and stratified: within each stratum rows
   * are ordered by DuckDB's hash of the text `seed:file index:row` (the file's position in the spec,
   * never its path, so a checkout in another folder splits the same way; a string key because
   * DuckDB's multi-argument hash mixes a small seed in too weakly and different seeds then gave
   * heavily overlapping test sets) and the first round(n × testFraction) go to test.
   * The same seed, data and DuckDB version give the same split.
   */
  async split(options: SplitOptions = {}): Promise<SplitInfo> {
    const testFraction = checkInRange('split', 'testFraction', options.testFraction ?? 0.25, 0, 1, true);
    const seed = checkInteger('split', 'seed', options.seed ?? 0, 0);
    const strata = options.stratifyBy ?? [this.spec.label];
    for (const s of strata) this.column(s);
    const partition = strata.length > 0 ? `PARTITION BY ${strata.map(quoteIdent).join(', ')}` : '';
    const base =
      this.splitInfo === undefined ? 'steward_data' : '(SELECT * EXCLUDE (__is_test) FROM steward_data)';
    const explicit = options.testRows;
    if (explicit !== undefined && explicit.some((r) => !Number.isInteger(r) || r < 1)) {
      throw new InvalidParameterError(
        "The 'testRows' option of split must list 1-based row numbers. Got a value that is not one instead.",
      );
    }
    await this.engine.exec(
      explicit !== undefined
        ? `CREATE OR REPLACE TABLE steward_data AS
           SELECT *, (__part = 1 AND list_contains(CAST($1 AS BIGINT[]), __row)) AS __is_test
           FROM ${base} ORDER BY __part, __row`
        : `CREATE OR REPLACE TABLE steward_data AS
      SELECT * EXCLUDE (__split_rank, __split_n), __split_rank <= round(__split_n * ${testFraction}) AS __is_test
      FROM (SELECT *,
                   row_number() OVER (${partition} ORDER BY hash(${seed} || ':' || __part || ':' || __row)) AS __split_rank,
                   count(*) OVER (${partition}) AS __split_n
            FROM ${base})
      ORDER BY __part, __row`,
      explicit !== undefined ? [JSON.stringify(explicit)] : undefined,
    );
    const test = await this.engine.scalar('SELECT count(*) FROM steward_data WHERE __is_test');
    this.splitInfo = {
      train: this.rows - test,
      test,
      seed,
      stratified: explicit === undefined && strata.length > 0,
      stratifyBy: explicit === undefined ? strata : [],
    };
    return this.splitInfo;
  }

  /** Reads columns into JS: numeric kinds as Float64Array, categorical as strings. */
  async read(columns: readonly string[], selection: RowSelection = 'all'): Promise<ColumnBatch> {
    const infos = columns.map((c) => this.column(c));
    const select = infos
      .map((c) =>
        c.kind === 'numeric'
          ? `CAST(${quoteIdent(c.name)} AS DOUBLE) AS ${quoteIdent(c.name)}`
          : `CAST(${quoteIdent(c.name)} AS VARCHAR) AS ${quoteIdent(c.name)}`,
      )
      .join(', ');
    const result = await this.engine.columns(
      `SELECT ${select || '1 AS __one'} FROM steward_data ${this.whereOf(selection)} ORDER BY __part, __row`,
    );
    const out: Record<string, Column> = {};
    infos.forEach((c, k) => {
      const values = result.values[k];
      out[c.name] =
        c.kind === 'numeric' ? Float64Array.from(values as number[]) : (values as (string | null)[]);
    });
    const rows = result.values[0]?.length ?? 0;
    return { rows, columns: out };
  }

  /** The label as 0/1 (1 = the positive value), in the same row order as `read`. */
  async labels(selection: RowSelection = 'all'): Promise<Uint8Array> {
    const label = quoteIdent(this.spec.label);
    const result = await this.engine.columns(
      `SELECT CAST(CAST(${label} AS VARCHAR) = $1 AS INTEGER) AS y FROM steward_data ${this.whereOf(selection)} ORDER BY __part, __row`,
      [String(this.spec.positiveLabel)],
    );
    return Uint8Array.from(result.values[0] as number[]);
  }

  /** Column summaries and label balance by protected group, computed in the engine. */
  async profile(): Promise<DatasetProfile> {
    return profileDataset(this);
  }

  /** The info of a used column; throws for columns not in the dataset. */
  column(name: string): ColumnInfo {
    const c = this.columns.find((x) => x.name === name);
    if (c === undefined) {
      throw new InvalidParameterError(
        `Column '${name}' is not part of dataset '${this.spec.name}'. Its columns are ${this.columns.map((x) => x.name).join(', ')}.`,
      );
    }
    return c;
  }

  /** SQL WHERE clause for a row selection. */
  whereOf(selection: RowSelection): string {
    if (selection === 'all') return '';
    if (this.splitInfo === undefined) {
      throw new InvalidParameterError(
        `Rows '${selection}' were asked for before the dataset was split. Call split() first.`,
      );
    }
    return selection === 'test' ? 'WHERE __is_test' : 'WHERE NOT __is_test';
  }

  /** Closes the engine if the dataset opened it. */
  close(): void {
    if (this.ownsEngine) this.engine.close();
  }
}
