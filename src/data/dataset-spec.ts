/** How a column is treated: standardised number or one-hot category. */
export type ColumnKind = 'numeric' | 'categorical';

/** What to do with rows that have a blank, NULL or NaN cell in a column the job uses. */
export type MissingPolicy = 'drop' | 'refuse';

/**
 * A dataset: where the rows are and what they mean. Protected attributes are always passed by name.
 * The rest (numeric vs categorical) is inferred from the engine's column types and shown to the user.
 */
export interface DatasetSpec {
  /** A short name for reports. */
  name: string;
  /** One file, or several with the same columns (read as one table, in order). */
  path: string | string[];
  /** File format; inferred from the extension when omitted. */
  format?: 'csv' | 'parquet' | 'json';
  /** The label column. */
  label: string;
  /** The positive (favourable) label value, compared as text. */
  positiveLabel: string;
  /** Protected attributes by column name (one or several). */
  protectedAttributes: string[];
  /** Feature columns; default: every column except the label and `ignore`. */
  features?: string[];
  /** Columns never used as features. */
  ignore?: string[];
  /** Column kinds that override inference. */
  columnTypes?: Record<string, ColumnKind>;
  /** Cell values that mean "missing" besides empty cells (e.g. `?` in Adult). */
  naValues?: string[];
  /** `drop` (default): drop incomplete rows and report the count; `refuse`: stop at the first one. */
  missing?: MissingPolicy;
  /**
   * Derived or cleaned columns: SQL expressions over the raw columns, keyed by output column name.
   * Only bundled presets set this (it is code, not user input); config files cannot.
   */
  derive?: Record<string, string>;
  /** A row filter in SQL over the raw columns; presets only, like `derive`. */
  where?: string;
  /** Where the dataset comes from (citation shown in reports). */
  source?: string;
}
