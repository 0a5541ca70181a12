import { InvalidParameterError } from '../../core/index.js';
import { binnedShares, categoryCounts } from './binning.js';
import {
  chiSquare,
  jensenShannonDistance,
  ksTwoSample,
  populationStabilityIndex,
  proportionZTest,
  type TestValue,
  wassersteinNormed,
} from './stattests.js';

/** Names of the drift tests (Evidently's names). */
export const DRIFT_TESTS = ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi'] as const;

/** A drift test name. */
export type DriftTest = (typeof DRIFT_TESTS)[number];

/** Default threshold of each test: p-value below it (KS, chi-square, Z) or distance at or above it. */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
  psi: 0.1,
};

/** One sample of a column: numbers or category values. */
export type Sample = Float64Array | readonly string[];

/** Drift of one column between the reference and the current sample. */
export interface ColumnDrift {
  /** Column name. */
  column: string;
  /** How the column was read. */
  kind: 'numeric' | 'categorical';
  /** The test applied. */
  test: DriftTest;
  /** Test statistic or distance. */
  statistic: number;
  /** p-value (KS, chi-square and Z only). */
  pValue?: number;
  /** The threshold the decision used. */
  threshold: number;
  /** Whether drift is detected. */
  drifted: boolean;
}

/**
 * Evidently's default test for a column (registry `_get_default_stattest`): with ≤ 1,000 reference rows,
 * KS for numeric columns with > 5 distinct values (both samples), else chi-square (> 2 values) or the
 * two-proportion Z-test (≤ 2); with more rows, normed Wasserstein for numeric columns with > 5 values,
 * else Jensen-Shannon.
 */
export function defaultDriftTest(reference: Sample, current: Sample): DriftTest {
  const numeric = reference instanceof Float64Array;
  const distinct = new Set<number | string>([...reference, ...current]).size;
  if (reference.length <= 1000) {
    if (numeric && distinct > 5) return 'ks';
    return distinct > 2 ? 'chisquare' : 'z';
  }
  return numeric && distinct > 5 ? 'wasserstein' : 'jensenshannon';
}

function zTest(reference: Sample, current: Sample): TestValue {
  const r = Array.from(reference as ArrayLike<number | string>);
  const c = Array.from(current as ArrayLike<number | string>);
  const keys = [...new Set([...r, ...c])];
  if (keys.length === 1) return { statistic: 0, pValue: 1 };
  keys.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1,
  );
  const ones = (xs: (number | string)[]) => xs.filter((x) => x !== keys[0]).length;
  return proportionZTest(ones(r), r.length, ones(c), c.length);
}

function chiSquareTest(reference: Sample, current: Sample): TestValue {
  const text = (x: Sample) => Array.from(x as ArrayLike<unknown>, String);
  const counts = categoryCounts(text(reference), text(current));
  const scale = current.length / reference.length;
  return chiSquare(
    counts.current,
    counts.reference.map((n) => n * scale),
  );
}

/** Runs one named test on two samples; the statistic and p-value as Evidently and scipy define them. */
export function runDriftTest(test: DriftTest, reference: Sample, current: Sample): TestValue {
  const numeric = reference instanceof Float64Array && current instanceof Float64Array;
  if ((test === 'ks' || test === 'wasserstein') && !numeric)
    throw new InvalidParameterError(`The '${test}' drift test needs a numeric column.`);
  switch (test) {
    case 'ks':
      return ksTwoSample(reference as Float64Array, current as Float64Array);
    case 'wasserstein':
      return { statistic: wassersteinNormed(reference as Float64Array, current as Float64Array) };
    case 'chisquare':
      return chiSquareTest(reference, current);
    case 'z':
      return zTest(reference, current);
    case 'jensenshannon': {
      const b = binnedShares(reference, current, false);
      return { statistic: jensenShannonDistance(b.reference, b.current) };
    }
    case 'psi': {
      const b = binnedShares(reference, current, true);
      return { statistic: populationStabilityIndex(b.reference, b.current) };
    }
  }
}

/** Options of `columnDrift`. */
export interface ColumnDriftOptions {
  /** Force one test on every column (default: Evidently's choice per column). */
  test?: DriftTest;
  /** Threshold override (default: the test's `DEFAULT_THRESHOLDS`). */
  threshold?: number;
}

/** Drift of one column: the chosen test, its value and the decision (p < threshold, or distance ≥ threshold). */
export function columnDrift(
  column: string,
  reference: Sample,
  current: Sample,
  options: ColumnDriftOptions = {},
): ColumnDrift {
  if (reference.length === 0 || current.length === 0)
    throw new InvalidParameterError(`Column '${column}' has no rows in the reference or the current sample.`);
  const test = options.test ?? defaultDriftTest(reference, current);
  const threshold = options.threshold ?? DEFAULT_THRESHOLDS[test];
  const value = runDriftTest(test, reference, current);
  const drifted = value.pValue !== undefined ? value.pValue < threshold : value.statistic >= threshold;
  return {
    column,
    kind: reference instanceof Float64Array ? 'numeric' : 'categorical',
    test,
    statistic: value.statistic,
    ...(value.pValue !== undefined ? { pValue: value.pValue } : {}),
    threshold,
    drifted,
  };
}

/** Dataset drift: the share of drifted columns, and whether it reaches `share` (Evidently's default 0.5). */
export function datasetDrift(
  columns: readonly ColumnDrift[],
  share = 0.5,
): { driftedShare: number; datasetDrift: boolean } {
  const driftedShare = columns.length === 0 ? 0 : columns.filter((c) => c.drifted).length / columns.length;
  return { driftedShare, datasetDrift: columns.length > 0 && driftedShare >= share };
}
