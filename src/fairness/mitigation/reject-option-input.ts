import { DataValidationError } from '../../core/index.js';

/** Rows of one post-processing call: a score in [0, 1], a 0/1 label and a privileged flag per row. */
export interface ScoredRows {
  /** Model score P(y = 1 | x) per row, in [0, 1]. */
  readonly scores: Float64Array;
  /** True 0/1 label per row (1 = favourable). */
  readonly labels: Uint8Array;
  /** 1 where the row belongs to the privileged group, 0 where it belongs to the unprivileged group. */
  readonly privileged: Uint8Array;
}

/** Throws DataValidationError unless every score is a finite number in [0, 1]. */
export function checkScores(owner: string, scores: Float64Array): void {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!(s >= 0 && s <= 1)) {
      throw new DataValidationError(
        `${owner} needs scores in [0, 1]; row ${i + 1} has ${s}. Pass probabilities (predictProba), not logits.`,
      );
    }
  }
}

/** Throws DataValidationError unless `values` has `n` entries, each 0 or 1. */
export function checkBinary(owner: string, what: string, values: Uint8Array, n: number): void {
  if (values.length !== n) {
    throw new DataValidationError(
      `${owner} needs one ${what} per score: got ${values.length} for ${n} scores.`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (values[i] > 1) {
      throw new DataValidationError(`${owner} needs ${what} of 0 or 1; row ${i + 1} has ${values[i]}.`);
    }
  }
}

/**
 * Validates training rows of a privileged/unprivileged post-processor: scores in [0, 1], 0/1 labels and
 * flags of equal length, and both groups present with both labels when `needPerGroupLabels` is set.
 */
export function checkScoredRows(owner: string, rows: ScoredRows, needPerGroupLabels: boolean): void {
  const n = rows.scores.length;
  if (n === 0) throw new DataValidationError(`${owner} needs at least one row to fit.`);
  checkScores(owner, rows.scores);
  checkBinary(owner, 'label', rows.labels, n);
  checkBinary(owner, 'privileged flag', rows.privileged, n);
  const cells = [0, 0, 0, 0]; // index = 2 * privileged + label
  for (let i = 0; i < n; i++) cells[2 * rows.privileged[i] + rows.labels[i]]++;
  for (const [g, name] of [
    [0, 'unprivileged'],
    [1, 'privileged'],
  ] as const) {
    if (cells[2 * g] + cells[2 * g + 1] === 0) {
      throw new DataValidationError(`${owner} needs rows of both groups; the ${name} group has none.`);
    }
    if (!needPerGroupLabels) continue;
    for (const [y, label] of [
      [1, 'positive'],
      [0, 'negative'],
    ] as const) {
      if (cells[2 * g + y] === 0) {
        throw new DataValidationError(
          `${owner} needs ${label} labels in every group; the ${name} group has none, so its ${y === 1 ? 'true' : 'false'} positive rate is undefined.`,
        );
      }
    }
  }
  if (cells[1] + cells[3] === 0 || cells[0] + cells[2] === 0) {
    throw new DataValidationError(
      `${owner} needs both labels in the training rows; balanced accuracy is undefined.`,
    );
  }
}
