import { checkInRange, checkInteger, DataValidationError } from '../core/index.js';
import type { DisaggregatedCounts } from './group-counts.js';
import { groupLabel } from './privileged.js';
import { chiSquareSurvival } from './representativeness-chi-square.js';
import { checkExpectedShares, type ExpectedShares, groupKey } from './representativeness-shares.js';

/** Options of `representativeness` and `smallGroups`. */
export interface RepresentativenessOptions {
  /** Groups with fewer rows are warned about; default 30. */
  minRows?: number;
  /** Groups with a smaller share of the rows are warned about; default 0.01 (1%). */
  minShare?: number;
}

/** Observed against expected representation of one group. */
export interface GroupRepresentation {
  /** The group's value of each compared column. */
  group: Record<string, string>;
  /** Readable name, e.g. `sex=Female`. */
  label: string;
  /** Rows in the group (unweighted). */
  rows: number;
  /** rows / all rows. */
  observedShare: number;
  /** Share in the reference population. */
  expectedShare: number;
  /** expectedShare × all rows: the count the chi-square test compares `rows` with. */
  expectedRows: number;
  /** observedShare / expectedShare: below 1 under-represented (Infinity when the expected share is 0). */
  ratio: number;
  /** Fewer than `minRows` rows. */
  tooFewRows: boolean;
  /** Observed share below `minShare`. */
  belowMinShare: boolean;
}

/** Pearson's chi-square goodness-of-fit test (Pearson 1900): X² = Σ (O − E)² / E, df = groups − 1. */
export interface ChiSquareTest {
  /** X² over groups with an expected share > 0 (Infinity when a group expected at 0 has rows). */
  statistic: number;
  /** Groups with an expected share > 0, minus 1. */
  degreesOfFreedom: number;
  /** P(χ²_df >= X²) = Q(df/2, X²/2); NaN when df < 1. */
  pValue: number;
}

/** A cell of all protected columns too small to judge: its metrics are noise. */
export interface SmallGroup {
  /** The cell's value of each protected column. */
  group: Record<string, string>;
  /** Readable name, e.g. `sex=Female, race=Other`. */
  label: string;
  /** Rows in the cell. */
  rows: number;
  /** rows / all rows. */
  share: number;
}

/** What `representativeness` found: per-group comparison, the test, small intersections and warnings. */
export interface RepresentativenessResult {
  /** Columns the groups are defined by (those of the expected shares). */
  columns: string[];
  /** Source of the expected shares. */
  source: string;
  /** Rows in the audit. */
  totalRows: number;
  /** One entry per expected group, in the order of the expected shares. */
  groups: GroupRepresentation[];
  /** Goodness of fit of the observed counts to the expected shares. */
  chiSquare: ChiSquareTest;
  /** Cells of all protected columns with fewer than `minRows` rows or a share under `minShare`. */
  smallIntersections: SmallGroup[];
  /** Sentences a reader must see (small groups, unobserved groups, an unreliable test). */
  warnings: string[];
}

/**
 * Compares the audit's group shares with a reference population's: observed share (rows per group of
 * the expected shares' columns, summed over the other protected columns) against expected share,
 * their ratio, and Pearson's (1900) chi-square goodness-of-fit test X² = Σ_g (O_g − E_g)² / E_g with
 * E_g = n · share_g and df = G − 1. Throws a DataValidationError when an expected column is not a
 * protected column or a group observed in the data has no expected share; an expected group with no
 * rows counts as observed 0 (the strongest under-representation) and is warned about.
 */
export function representativeness(
  counts: DisaggregatedCounts,
  expected: ExpectedShares,
  options: RepresentativenessOptions = {},
): RepresentativenessResult {
  const { minRows, minShare } = checkOptions(options);
  checkExpectedShares(expected);
  const { columns, source } = expected;
  for (const column of columns) {
    if (!counts.protectedColumns.includes(column)) {
      throw new DataValidationError(
        `The expected-shares column '${column}' is not a protected column of the audit (${counts.protectedColumns.join(', ')}); rename it or audit that column.`,
        { file: source, row: 0, column },
      );
    }
  }
  const observed = new Map<string, number>();
  let totalRows = 0;
  for (const cell of counts.cells) {
    const key = groupKey(cell.group, columns);
    observed.set(key, (observed.get(key) ?? 0) + cell.rows);
    totalRows += cell.rows;
  }
  if (totalRows === 0) {
    throw new DataValidationError('The audit has no rows, so group shares cannot be compared.', {
      file: source,
    });
  }
  const expectedKeys = new Set(expected.shares.map((s) => groupKey(s.group, columns)));
  for (const cell of counts.cells) {
    if (!expectedKeys.has(groupKey(cell.group, columns))) {
      throw new DataValidationError(
        `The group '${groupLabel(cell.group, columns)}' has ${observed.get(groupKey(cell.group, columns))} rows in the data but no expected share; add a row for it.`,
        { file: source, column: 'share' },
      );
    }
  }

  const warnings: string[] = [];
  const groups = expected.shares.map((s): GroupRepresentation => {
    const rows = observed.get(groupKey(s.group, columns)) ?? 0;
    const observedShare = rows / totalRows;
    return {
      group: Object.fromEntries(columns.map((c) => [c, s.group[c]])),
      label: groupLabel(s.group, columns),
      rows,
      observedShare,
      expectedShare: s.share,
      expectedRows: s.share * totalRows,
      ratio: s.share > 0 ? observedShare / s.share : rows > 0 ? Number.POSITIVE_INFINITY : Number.NaN,
      tooFewRows: rows < minRows,
      belowMinShare: observedShare < minShare,
    };
  });
  for (const g of groups) {
    if (g.rows === 0 && g.expectedShare > 0) {
      warnings.push(
        `Group '${g.label}' has no rows although ${pct(g.expectedShare)} of the reference population is in it.`,
      );
    } else if (g.tooFewRows) {
      warnings.push(
        `Group '${g.label}' has only ${g.rows} rows (fewer than ${minRows}); its metrics are too noisy to judge.`,
      );
    } else if (g.belowMinShare) {
      warnings.push(
        `Group '${g.label}' is only ${pct(g.observedShare)} of the rows (under ${pct(minShare)}); expected ${pct(g.expectedShare)}.`,
      );
    }
    if (g.expectedShare === 0 && g.rows > 0) {
      warnings.push(
        `Group '${g.label}' has ${g.rows} rows but an expected share of 0, so the chi-square statistic is infinite.`,
      );
    }
  }
  const chiSquare = pearsonTest(groups);
  if (chiSquare.degreesOfFreedom < 1) {
    warnings.push(
      'The chi-square test needs at least two groups with an expected share above 0; it was not computed.',
    );
  } else if (groups.some((g) => g.expectedShare > 0 && g.expectedRows < 5)) {
    warnings.push(
      'Some groups expect fewer than 5 rows, so the chi-square p-value is only approximate (Cochran 1954).',
    );
  }
  const smallIntersections = counts.protectedColumns.length > 1 ? smallGroups(counts, options) : [];
  return { columns: [...columns], source, totalRows, groups, chiSquare, smallIntersections, warnings };
}

/** Cells (observed combinations of all protected columns) with fewer than `minRows` rows or a share under `minShare`. */
export function smallGroups(
  counts: DisaggregatedCounts,
  options: RepresentativenessOptions = {},
): SmallGroup[] {
  const { minRows, minShare } = checkOptions(options);
  const total = counts.cells.reduce((s, c) => s + c.rows, 0);
  return counts.cells
    .map((cell) => ({
      group: { ...cell.group },
      label: groupLabel(cell.group, counts.protectedColumns),
      rows: cell.rows,
      share: total > 0 ? cell.rows / total : Number.NaN,
    }))
    .filter((g) => g.rows < minRows || g.share < minShare);
}

function pearsonTest(groups: GroupRepresentation[]): ChiSquareTest {
  let statistic = 0;
  let categories = 0;
  for (const g of groups) {
    if (g.expectedShare > 0) {
      statistic += (g.rows - g.expectedRows) ** 2 / g.expectedRows;
      categories++;
    } else if (g.rows > 0) statistic = Number.POSITIVE_INFINITY;
  }
  const degreesOfFreedom = categories - 1;
  const pValue = degreesOfFreedom >= 1 ? chiSquareSurvival(statistic, degreesOfFreedom) : Number.NaN;
  return { statistic, degreesOfFreedom, pValue };
}

function checkOptions(options: RepresentativenessOptions): { minRows: number; minShare: number } {
  return {
    minRows: checkInteger('representativeness', 'minRows', options.minRows ?? 30, 0),
    minShare: checkInRange('representativeness', 'minShare', options.minShare ?? 0.01, 0, 1),
  };
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
