import { checkInteger, InvalidParameterError } from '../../core/index.js';
import { type Column, type ColumnBatch, isNumericColumn } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import { categoricalGrid, type GridMethod, numericGrid } from './partial-dependence-grid.js';

/** Options of `partialDependence`. */
export interface PartialDependenceOptions {
  /** Grid points of a numeric feature with at least this many distinct values; default 100 (scikit-learn's). */
  gridResolution?: number;
  /** Quantiles bounding a numeric grid; default [0.05, 0.95] (scikit-learn's). */
  percentiles?: readonly [number, number];
  /** 'average' (the PD curve), 'individual' (ICE curves) or 'both'; default 'average'. */
  kind?: 'average' | 'individual' | 'both';
}

/** Partial dependence of the predicted probability on one original feature (plain JSON). */
export interface PartialDependence {
  /** The feature varied. */
  readonly feature: string;
  /** Its kind in the model. */
  readonly featureKind: 'numeric' | 'categorical';
  /** How the grid was built: distinct values, or evenly spaced between percentiles. */
  readonly gridMethod: GridMethod | 'categories';
  /** Grid values (numbers for a numeric feature, categories for a categorical one). */
  readonly grid: readonly (number | string)[];
  /** Mean predicted P(y = 1) over the data at each grid value (kind 'average' or 'both'). */
  readonly average?: number[];
  /** Predicted P(y = 1) of each row at each grid value, [row][grid] (kind 'individual' or 'both'). */
  readonly individual?: number[][];
  /** Rows averaged over. */
  readonly rows: number;
}

/**
 * Partial dependence by scikit-learn's brute method (Friedman 2001, "Greedy function approximation",
 * §8.2): PD(v) = (1/n) Σᵢ f(xᵢ with feature := v), and the ICE curves f(xᵢ with feature := v)
 * (Goldstein et al. 2015). The grid follows scikit-learn's `_grid_from_X`: a categorical feature's
 * distinct values, a numeric feature's distinct values when fewer than `gridResolution`, else
 * `gridResolution` points evenly spaced between its `percentiles` (scipy mquantiles). A categorical
 * feature is one original column, so its one-hot columns move together.
 */
export async function partialDependence(
  model: ExplainableModel,
  data: ColumnBatch,
  feature: string,
  options: PartialDependenceOptions = {},
): Promise<PartialDependence> {
  const gridResolution = options.gridResolution ?? 100;
  checkInteger('partialDependence', 'gridResolution', gridResolution, 2);
  const percentiles = options.percentiles ?? [0.05, 0.95];
  checkPercentiles(percentiles);
  const kind = options.kind ?? 'average';
  if (kind !== 'average' && kind !== 'individual' && kind !== 'both') {
    throw new InvalidParameterError(
      `The 'kind' option of partialDependence must be 'average', 'individual' or 'both'. Got '${String(kind)}' instead.`,
    );
  }
  const spec = model.features.find((f) => f.name === feature);
  if (spec === undefined) {
    throw new InvalidParameterError(
      `The 'feature' argument of partialDependence must be one of the model's features (${model.features.map((f) => f.name).join(', ')}). Got '${feature}' instead.`,
    );
  }
  if (data.rows < 1) {
    throw new InvalidParameterError('partialDependence needs at least one data row. Got 0 rows instead.');
  }
  for (const f of model.features) {
    if (data.columns[f.name] === undefined) {
      throw new InvalidParameterError(
        `The data given to partialDependence lacks the model's column '${f.name}'. Add it to the batch.`,
      );
    }
  }
  const column = data.columns[feature];
  let grid: (number | string)[];
  let gridMethod: PartialDependence['gridMethod'];
  if (spec.kind === 'categorical') {
    grid = categoricalGrid(column);
    gridMethod = 'categories';
  } else {
    if (!isNumericColumn(column)) {
      throw new InvalidParameterError(
        `partialDependence: the numeric feature '${feature}' holds text in the data. Pass it as numbers.`,
      );
    }
    const g = numericGrid(column, gridResolution, percentiles);
    grid = g.grid;
    gridMethod = g.method;
  }
  const n = data.rows;
  const average: number[] = [];
  const individual: number[][] | undefined =
    kind === 'average' ? undefined : Array.from({ length: n }, () => new Array<number>(grid.length));
  for (let g = 0; g < grid.length; g++) {
    const proba = await model.predictProba(withConstantColumn(data, feature, grid[g]));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += proba[i];
    average.push(sum / n);
    if (individual) for (let i = 0; i < n; i++) individual[i][g] = proba[i];
  }
  return {
    feature,
    featureKind: spec.kind,
    gridMethod,
    grid,
    ...(kind === 'individual' ? {} : { average }),
    ...(individual ? { individual } : {}),
    rows: n,
  };
}

/** A shallow copy of `data` whose column `name` holds `value` on every row (same column type). */
function withConstantColumn(data: ColumnBatch, name: string, value: number | string): ColumnBatch {
  const original = data.columns[name];
  const column: Column = isNumericColumn(original)
    ? new Float64Array(data.rows).fill(Number(value))
    : new Array<string | null>(data.rows).fill(String(value));
  return { rows: data.rows, columns: { ...data.columns, [name]: column } };
}

function checkPercentiles(p: readonly number[]): void {
  const ok =
    Array.isArray(p) &&
    p.length === 2 &&
    p.every((x) => typeof x === 'number' && x >= 0 && x <= 1) &&
    p[0] < p[1];
  if (!ok) {
    throw new InvalidParameterError(
      `The 'percentiles' option of partialDependence must be two numbers in [0, 1], the first smaller. Got ${JSON.stringify(p)} instead.`,
    );
  }
}
