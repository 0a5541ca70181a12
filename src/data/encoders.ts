import { DataValidationError, InvalidParameterError, type Matrix, matrix } from '../core/index.js';
import { type ColumnBatch, isNumericColumn } from './columns.js';
import type { EncoderSpec, FeatureSpec, UnknownCategoryPolicy } from './encoder-spec.js';

/** Options of `fitEncoder`. */
export interface FitEncoderOptions {
  /** Columns to standardise. */
  numeric: readonly string[];
  /** Columns to one-hot encode. */
  categorical: readonly string[];
  /** Policy for categories unseen at fit time (default `ignore`: all-zero encoding). */
  unknown?: UnknownCategoryPolicy;
  /** Source name for error messages (a file path or table name). */
  source?: string;
}

/**
 * Fits a standardiser for each numeric column (population mean and standard deviation, as
 * scikit-learn's StandardScaler) and a one-hot encoder for each categorical column (categories
 * sorted, as scikit-learn's OneHotEncoder). Output columns are ordered as the options list them:
 * numeric first, then categorical.
 */
export function fitEncoder(batch: ColumnBatch, options: FitEncoderOptions): EncoderSpec {
  const unknown = options.unknown ?? 'ignore';
  if (unknown !== 'ignore' && unknown !== 'error') {
    throw new InvalidParameterError(
      `The 'unknown' option of fitEncoder must be 'ignore' or 'error'. Got '${String(unknown)}' instead.`,
    );
  }
  const features: FeatureSpec[] = [];
  for (const name of options.numeric) {
    const col = requireColumn(batch, name, options.source);
    if (!isNumericColumn(col)) {
      throw new DataValidationError(`Column '${name}' was declared numeric but holds text.`, {
        file: options.source,
        column: name,
      });
    }
    let mean = 0;
    for (let i = 0; i < col.length; i++) mean += col[i];
    mean /= col.length;
    let ss = 0;
    for (let i = 0; i < col.length; i++) ss += (col[i] - mean) ** 2;
    const std = Math.sqrt(ss / col.length);
    features.push({ kind: 'numeric', column: name, mean, scale: std > 0 ? std : 1 });
  }
  for (const name of options.categorical) {
    const col = requireColumn(batch, name, options.source);
    const values = new Set<string>();
    for (let i = 0; i < col.length; i++) values.add(categoryOf(col[i]));
    const categories = [...values].sort(compareCodeUnits);
    features.push({ kind: 'categorical', column: name, categories, unknown });
  }
  return { features, outputNames: outputNamesOf(features) };
}

/** Encodes raw columns with a fitted encoder into a float64 design matrix. */
export function applyEncoder(spec: EncoderSpec, batch: ColumnBatch, source?: string): Matrix {
  const cols = spec.outputNames.length;
  const out = matrix(batch.rows, cols);
  const d = out.data;
  let offset = 0;
  for (const f of spec.features) {
    const col = requireColumn(batch, f.column, source);
    if (f.kind === 'numeric') {
      for (let i = 0; i < batch.rows; i++) {
        const v = isNumericColumn(col) ? col[i] : Number(col[i]);
        if (!Number.isFinite(v)) {
          throw new DataValidationError(`Expected a finite number. Got '${String(col[i])}' instead.`, {
            file: source,
            row: i + 1,
            column: f.column,
          });
        }
        d[i * cols + offset] = (v - f.mean) / f.scale;
      }
      offset += 1;
    } else {
      const index = new Map(f.categories.map((c, k) => [c, k]));
      for (let i = 0; i < batch.rows; i++) {
        const k = index.get(categoryOf(col[i]));
        if (k === undefined) {
          if (f.unknown === 'error') {
            throw new DataValidationError(
              `Category '${categoryOf(col[i])}' was not seen during fit; expected one of ${f.categories.length} known categories (${f.categories.slice(0, 5).join(', ')}${f.categories.length > 5 ? ', ...' : ''}).`,
              { file: source, row: i + 1, column: f.column },
            );
          }
          continue; // 'ignore': all zeros
        }
        d[i * cols + offset + k] = 1;
      }
      offset += f.categories.length;
    }
  }
  return out;
}

/** Output column names of a feature list: `col` for numeric, `col_category` per category. */
export function outputNamesOf(features: readonly FeatureSpec[]): string[] {
  return features.flatMap((f) =>
    f.kind === 'numeric' ? [f.column] : f.categories.map((c) => `${f.column}_${c}`),
  );
}

/** The string a categorical cell is encoded under (numbers print as JS does; missing is ''). */
export function categoryOf(value: string | number | null): string {
  if (value === null) return '';
  return typeof value === 'number' ? String(value) : value;
}

/** Orders strings by UTF-16 code units, like Python's and DuckDB's default string order. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requireColumn(batch: ColumnBatch, name: string, source?: string) {
  const col = batch.columns[name];
  if (col === undefined) {
    throw new DataValidationError(
      `Column '${name}' is missing. Available columns: ${Object.keys(batch.columns).join(', ')}.`,
      { file: source, column: name },
    );
  }
  return col;
}
