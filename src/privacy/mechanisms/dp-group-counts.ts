import { DataValidationError, describeValue } from '../../core/index.js';
import { discreteLaplaceMechanism } from './discrete.js';
import type { DpStatisticOptions } from './dp-statistics.js';
import { checkEpsilon, type DpRelease } from './parameters.js';
import { randomSource } from './random-source.js';

/** One cell of a fairness audit's confusion table: how many rows of `group` have this label and prediction. */
export interface GroupCountCell {
  /** Group name (a public category: its existence is not protected). */
  group: string;
  /** True label, 0 or 1. */
  label: 0 | 1;
  /** Predicted label, 0 or 1. */
  prediction: 0 | 1;
  /** Number of rows in the cell (a non-negative integer). */
  count: number;
}

/**
 * ε-DP release of a fairness audit's group counts: every cell (group × label × prediction) gets
 * count + Y, Y ~ Lap_ℤ(1/ε), sampled exactly (Canonne, Kamath & Steinke 2020). Each row lies in
 * exactly one cell, so adding or removing a row changes one count by 1: ℓ1 sensitivity 1 and
 * parallel composition make the whole table ε-DP. Every (label, prediction) cell of every given
 * group is released, missing ones as count 0, so which cells are empty is not revealed. Noisy counts
 * are clamped at 0: post-processing, which costs no privacy (Dwork & Roth 2014, Prop. 2.1).
 * The group names must be public (they are released as they are).
 */
export function dpGroupCounts(
  cells: readonly GroupCountCell[],
  options: DpStatisticOptions,
): DpRelease<GroupCountCell[]> {
  checkEpsilon('dpGroupCounts', options.epsilon);
  const counts = new Map<string, number>();
  const groups: string[] = [];
  cells.forEach((cell, i) => {
    const where = { row: i + 1 };
    if (typeof cell?.group !== 'string') {
      throw new DataValidationError(
        `A group-count cell needs a string 'group'. Got ${describeValue(cell?.group)} instead.`,
        where,
      );
    }
    if ((cell.label !== 0 && cell.label !== 1) || (cell.prediction !== 0 && cell.prediction !== 1)) {
      throw new DataValidationError(
        `A group-count cell needs 'label' and 'prediction' in {0, 1}. Got ${describeValue(cell.label)} and ${describeValue(cell.prediction)} instead.`,
        { ...where, column: 'label' },
      );
    }
    if (!Number.isSafeInteger(cell.count) || cell.count < 0) {
      throw new DataValidationError(
        `A group-count cell needs a non-negative integer 'count'. Got ${describeValue(cell.count)} instead.`,
        { ...where, column: 'count' },
      );
    }
    const key = cellKey(cell.group, cell.label, cell.prediction);
    if (counts.has(key)) {
      throw new DataValidationError(
        `The cell (group ${describeValue(cell.group)}, label ${cell.label}, prediction ${cell.prediction}) appears twice; each row must be counted in exactly one cell.`,
        where,
      );
    }
    if (!groups.includes(cell.group)) groups.push(cell.group);
    counts.set(key, cell.count);
  });
  const random = randomSource(options.random, options.seed);
  const released: GroupCountCell[] = [];
  for (const group of groups) {
    for (const label of [0, 1] as const) {
      for (const prediction of [0, 1] as const) {
        const count = counts.get(cellKey(group, label, prediction)) ?? 0;
        const noisy = discreteLaplaceMechanism(count, { epsilon: options.epsilon, random });
        released.push({ group, label, prediction, count: Math.max(0, noisy) });
      }
    }
  }
  return { value: released, epsilon: options.epsilon, delta: 0, mechanism: 'discrete-laplace' };
}

function cellKey(group: string, label: number, prediction: number): string {
  return JSON.stringify([group, label, prediction]);
}
