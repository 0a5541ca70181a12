import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../../core/index.js';
import { dpGroupCounts, type GroupCountCell } from './dp-group-counts.js';
import { meanAndVariance } from './goodness-of-fit.test-suite.js';
import { SeededRandom } from './random-source.js';

const cells: GroupCountCell[] = [
  { group: 'female', label: 1, prediction: 1, count: 120 },
  { group: 'female', label: 0, prediction: 0, count: 300 },
  { group: 'male', label: 0, prediction: 1, count: 45 },
  { group: 'female', label: 1, prediction: 0, count: 60 },
];

describe('dpGroupCounts', () => {
  it('releases all four cells of every group, missing ones as 0 (exact at ε = 50: noise 0 w.p. 1 − 2e^−50)', () => {
    const release = dpGroupCounts(cells, { epsilon: 50, seed: 1 });
    expect(release).toMatchObject({ epsilon: 50, delta: 0, mechanism: 'discrete-laplace' });
    expect(release.value).toEqual([
      { group: 'female', label: 0, prediction: 0, count: 300 },
      { group: 'female', label: 0, prediction: 1, count: 0 },
      { group: 'female', label: 1, prediction: 0, count: 60 },
      { group: 'female', label: 1, prediction: 1, count: 120 },
      { group: 'male', label: 0, prediction: 0, count: 0 },
      { group: 'male', label: 0, prediction: 1, count: 45 },
      { group: 'male', label: 1, prediction: 0, count: 0 },
      { group: 'male', label: 1, prediction: 1, count: 0 },
    ]);
  });

  it('adds Lap_ℤ(1/ε) noise per cell and clamps at 0 (post-processing)', () => {
    const r = new SeededRandom(61);
    const runs = Array.from({ length: 3000 }, () => dpGroupCounts(cells, { epsilon: 1, random: r }).value);
    expect(runs.every((cs) => cs.every((c) => Number.isInteger(c.count) && c.count >= 0))).toBe(true);
    const q = Math.exp(-1); // hand derivation: Var Lap_ℤ(1) = 2q/(1 − q)²
    const variance = (2 * q) / (1 - q) ** 2;
    const stats = meanAndVariance(runs.map((cs) => cs[0].count));
    expect(Math.abs(stats.mean - 300)).toBeLessThan(5 * Math.sqrt(variance / 3000));
    expect(Math.abs(stats.variance / variance - 1)).toBeLessThan(5 * Math.sqrt(5.23 / 3000)); // κ = 6.23
    // Same seed, same release (for tests only: a seeded release is not private).
    expect(dpGroupCounts(cells, { epsilon: 1, seed: 9 })).toEqual(
      dpGroupCounts(cells, { epsilon: 1, seed: 9 }),
    );
  });

  it('rejects duplicate cells, bad counts, labels and ε', () => {
    expect(() => dpGroupCounts([...cells, cells[0]], { epsilon: 1 })).toThrow(/appears twice/);
    expect(() => dpGroupCounts([{ ...cells[0], count: -1 }], { epsilon: 1 })).toThrow(DataValidationError);
    expect(() => dpGroupCounts([{ ...cells[0], count: 1.5 }], { epsilon: 1 })).toThrow(
      /non-negative integer 'count'/,
    );
    const badLabel = { ...cells[0], label: 2 } as unknown as GroupCountCell;
    expect(() => dpGroupCounts([badLabel], { epsilon: 1 })).toThrow(/'label' and 'prediction' in \{0, 1\}/);
    const noGroup = { ...cells[0], group: undefined } as unknown as GroupCountCell;
    expect(() => dpGroupCounts([noGroup], { epsilon: 1 })).toThrow(/string 'group'/);
    expect(() => dpGroupCounts(cells, { epsilon: 0 })).toThrow(/'epsilon' option of dpGroupCounts/);
  });
});
