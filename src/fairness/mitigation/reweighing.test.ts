import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataValidationError, NotFittedError } from '../../core/index.js';
import { DataEngine, sqlString } from '../../data/index.js';
import { fromJsonNumber } from '../audit-json.js';
import { countCells } from '../count-cells.js';
import { countCellsSql } from '../count-cells-sql.js';
import { datasetMetrics } from '../dataset-metrics.js';
import { referenceCases } from '../reference-cases.test-suite.js';
import {
  privilegedMask,
  Reweighing,
  type ReweighingWeights,
  reweighedCounts,
  reweighingRowWeights,
  reweighingWeights,
} from './reweighing.js';

// Expected weights: the `reweighing` entries of ../shared/reference/fairness/*.json, AIF360 @34877916
// `Reweighing` (w_p_fav, w_p_unfav, w_up_fav, w_up_unfav; see that folder's README.md).
// Tolerance: 1e-12 absolute; AIF360's x/0 = Infinity exactly.
const TOLERANCE = 1e-12;
const NAMES = [
  'privileged_favorable',
  'privileged_unfavorable',
  'unprivileged_favorable',
  'unprivileged_unfavorable',
] as const;
const cases = referenceCases().map((c) => ({
  ...c,
  reweighing: (c as unknown as { reweighing: Record<string, unknown> }).reweighing,
}));
let engine: DataEngine;
let worst = 0;

function expectWeights(actual: ReweighingWeights, expected: Record<string, unknown>, where: string): void {
  expect(Object.keys(expected).sort()).toEqual([...NAMES].sort());
  for (const k of NAMES) {
    const e = fromJsonNumber(expected[k]);
    if (!Number.isFinite(e)) {
      expect(actual[k], `${where} ${k}`).toBe(e);
      continue;
    }
    const err = Math.abs(actual[k] - e);
    worst = Math.max(worst, err);
    expect(err, `${where} ${k}: got ${actual[k]}, AIF360 ${e}`).toBeLessThanOrEqual(TOLERANCE);
  }
}

beforeAll(async () => {
  engine = await DataEngine.open();
});
afterAll(() => {
  engine.close();
  console.info(`reweighing: largest absolute error against AIF360 over all cases: ${worst}`);
});

describe('Reweighing (Kamiran & Calders 2012) against AIF360', () => {
  it('finds all 8 reference cases, each with reweighing weights', () => {
    expect(cases).toHaveLength(8);
    for (const c of cases) expect(c.reweighing).toBeDefined();
  });

  for (const ref of cases) {
    it(`${ref.case}: weights from the SQL counts equal AIF360's to 1e-12`, async () => {
      const counts = await countCellsSql(engine, {
        from: { file: ref.csv },
        label: ref.label,
        positive: ref.positive,
        protected: ref.protected,
      });
      expectWeights(reweighingWeights(counts, ref.privileged).weights, ref.reweighing, ref.case);
    });

    it(`${ref.case}: fit/transform on typed arrays gives the same weights and balanced label rates`, async () => {
      const cols = [ref.label, ...ref.protected].map((c) => `CAST("${c}" AS VARCHAR) AS "${c}"`);
      const rows = await engine.rows(`SELECT ${cols.join(', ')} FROM read_csv(${sqlString(ref.csv)})`);
      const labels = Uint8Array.from(rows, (r) => (String(r[ref.label]) === ref.positive ? 1 : 0));
      const protectedColumns = Object.fromEntries(
        ref.protected.map((c) => [c, rows.map((r) => String(r[c]))]),
      );
      const input = { labels, protected: protectedColumns };
      const rw = new Reweighing({ privileged: ref.privileged });
      const w = rw.fitTransform(input);
      expectWeights(rw.weights, ref.reweighing, `${ref.case} (arrays)`);
      // Every row gets its cell's weight: never NaN, never the Infinity of an empty cell.
      expect(w.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
      // Defining property (hand derivation): under the weights, P_w(y=1 | g) = P(y=1) on both sides.
      const weighted = datasetMetrics(countCells({ ...input, weights: w }), ref.privileged);
      const overall = labels.reduce((s, y) => s + y, 0) / labels.length;
      if (rw.result.flags.length === 0) {
        expect(Math.abs(weighted.base_rate_privileged - overall)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(weighted.base_rate_unprivileged - overall)).toBeLessThanOrEqual(1e-12);
      }
      // The SQL-side view of the reweighed data agrees with the per-row weights.
      const viaCounts = datasetMetrics(
        reweighedCounts(countCells(input), ref.privileged, rw.weights),
        ref.privileged,
      );
      expect(Math.abs(viaCounts.base_rate_privileged - weighted.base_rate_privileged)).toBeLessThan(1e-12);
    });
  }
});

describe('Reweighing edge cases', () => {
  const toy = {
    labels: Uint8Array.from([1, 1, 1, 0, 1, 0, 0, 0]),
    protected: { g: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'] },
  };

  it('toy: w = P(g)P(y)/P(g,y) by hand (a: 3 fav, 1 unfav; b: 1 fav, 3 unfav)', () => {
    // P(a) = 1/2, P(fav) = 1/2, P(a, fav) = 3/8 → 2/3; P(a, unfav) = 1/8 → 2; symmetric for b.
    const w = new Reweighing({ privileged: { g: 'a' } }).fit(toy).weights;
    expect(w.privileged_favorable).toBeCloseTo(2 / 3, 15);
    expect(w.privileged_unfavorable).toBeCloseTo(2, 15);
    expect(w.unprivileged_favorable).toBeCloseTo(2, 15);
    expect(w.unprivileged_unfavorable).toBeCloseTo(2 / 3, 15);
  });

  it('an empty group × label cell is flagged, its weight is Infinity (AIF360) and no row gets it', () => {
    const input = { labels: Uint8Array.from([0, 0, 1, 0]), protected: { g: ['a', 'a', 'b', 'b'] } };
    const rw = new Reweighing({ privileged: { g: 'a' } });
    const w = rw.fitTransform(input);
    expect(rw.weights.privileged_favorable).toBe(Number.POSITIVE_INFINITY);
    expect(rw.result.flags.map((f) => f.code)).toEqual(['empty_cell']);
    expect(rw.result.flags[0].message).toMatch(/No privileged row has the favourable label/);
    expect(w.every(Number.isFinite)).toBe(true);
  });

  it('a label value absent from the data is an error, never NaN weights', () => {
    const input = { labels: Uint8Array.from([1, 1, 1]), protected: { g: ['a', 'b', 'b'] } };
    expect(() => new Reweighing({ privileged: { g: 'a' } }).fit(input)).toThrow(DataValidationError);
  });

  it('an empty privileged side is an error (as in the audit)', () => {
    expect(() => new Reweighing({ privileged: { g: 'z' } }).fit(toy)).toThrow(DataValidationError);
  });

  it('weights before fit throw NotFittedError', () => {
    expect(() => new Reweighing({ privileged: { g: 'a' } }).weights).toThrow(NotFittedError);
  });

  it('per-row weights multiply instance weights and follow the privileged mask (all pairs must match)', () => {
    const mask = privilegedMask({ s: ['M', 'M', 'F'], r: ['W', 'B', 'W'] }, { s: 'M', r: 'W' }, 3);
    expect([...mask]).toEqual([1, 0, 0]);
    const weights = {
      privileged_favorable: 1,
      privileged_unfavorable: 2,
      unprivileged_favorable: 3,
      unprivileged_unfavorable: 4,
    };
    const out = reweighingRowWeights(weights, [1, 0, 1], mask, [1, 10, 0.5]);
    expect([...out]).toEqual([1, 40, 1.5]);
  });
});
