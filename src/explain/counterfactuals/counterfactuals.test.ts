import { describe, expect, it } from 'vitest';
import { InvalidParameterError, Rng } from '../../core/index.js';
import type { ColumnBatch } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import type { CounterfactualConstraints } from './feature-domains.js';
import { counterfactuals } from './index.js';

// A logistic model with a known decision boundary (hand-written, so every expectation is a hand derivation):
// z = 2·income − 1·debt + e(region) + 0.05·(age − 40) − 6, e = {north: 0, south: −2, east: 1}; p = σ(z).
const EFFECT: Record<string, number> = { north: 0, south: -2, east: 1 };
const REGIONS = ['east', 'north', 'south'];
const logit = (income: number, debt: number, region: string, age: number) =>
  2 * income - debt + EFFECT[region] + 0.05 * (age - 40) - 6;

const model: ExplainableModel = {
  features: [
    { name: 'income', kind: 'numeric' },
    { name: 'debt', kind: 'numeric' },
    { name: 'region', kind: 'categorical', categories: REGIONS },
    { name: 'age', kind: 'numeric' },
  ],
  predictProba: async (batch) => {
    const income = batch.columns.income as Float64Array;
    const debt = batch.columns.debt as Float64Array;
    const region = batch.columns.region as string[];
    const age = batch.columns.age as Float64Array;
    return Float64Array.from(
      { length: batch.rows },
      (_, i) => 1 / (1 + Math.exp(-logit(income[i], debt[i], region[i], age[i]))),
    );
  },
};

/** 200 training rows: income in [0, 10] at 1 decimal, debt and age integers, region uniform. */
function trainingData(): ColumnBatch {
  const rng = new Rng(7);
  const n = 200;
  const income = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 10 : rng.int(101) / 10));
  const debt = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 10 : rng.int(11)));
  const age = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 18 : i === 1 ? 80 : 18 + rng.int(63)));
  const region = Array.from({ length: n }, () => REGIONS[rng.int(3)]);
  return { rows: n, columns: { income, debt, region, age } };
}

const data = trainingData();
const row = (income: number, debt: number, region: string, age: number): ColumnBatch => ({
  rows: 1,
  columns: {
    income: Float64Array.of(income),
    debt: Float64Array.of(debt),
    region: [region],
    age: Float64Array.of(age),
  },
});
// z = 4 − 4 − 2 − 0.5 − 6 = −8.5: refused.
const refused = row(2, 4, 'south', 30);
const FAST = { maxIterations: 60 } as const;

describe('counterfactuals on a known logistic boundary', () => {
  it('flips the decision with values inside the training range, at the data precision, from known categories', async () => {
    for (const method of ['genetic', 'random'] as const) {
      const result = await counterfactuals(model, refused, { data, method, seed: 1 });
      expect(result.found).toBe(true);
      expect(result.desiredClass).toBe(1);
      expect(result.counterfactuals.length).toBe(4);
      expect(result.metrics.validity).toBe(1);
      for (const cf of result.counterfactuals) {
        const r = cf.row as { income: number; debt: number; region: string; age: number };
        // Recomputed by hand from the formula, tolerance 1e-12.
        expect(cf.probability).toBeCloseTo(1 / (1 + Math.exp(-logit(r.income, r.debt, r.region, r.age))), 12);
        expect(cf.probability).toBeGreaterThanOrEqual(0.5);
        expect(r.income).toBe(Math.round(r.income * 10) / 10);
        expect(Number.isInteger(r.debt) && Number.isInteger(r.age)).toBe(true);
        expect(
          r.income >= 0 && r.income <= 10 && r.debt >= 0 && r.debt <= 10 && r.age >= 18 && r.age <= 80,
        ).toBe(true);
        expect(REGIONS).toContain(r.region);
        const original = { income: 2, debt: 4, region: 'south', age: 30 } as Record<string, unknown>;
        for (const c of cf.changes) expect([c.from, c.to]).toEqual([original[c.feature], cf.row[c.feature]]);
        expect(cf.changes.length).toBe(Object.keys(original).filter((k) => original[k] !== cf.row[k]).length);
      }
    }
  });

  it('finds the minimal single-feature change when only income may move (income >= 6.25 → 6.3)', async () => {
    // Hand derivation: with debt 4, south, age 30 fixed, z >= 0 ⇔ 2·income >= 12.5; the 0.1 grid gives 6.3.
    const constraints = { immutable: ['debt', 'region', 'age'] };
    for (const method of ['genetic', 'random'] as const) {
      const result = await counterfactuals(model, refused, { data, method, constraints, count: 1, seed: 3 });
      expect(result.counterfactuals.map((c) => c.changes)).toEqual([
        [{ feature: 'income', from: 2, to: 6.3 }],
      ]);
      expect(result.mutableFeatures).toEqual(['income']);
      // A range that excludes the row's own value: the smallest allowed income that flips is its lower end, 7.
      const ranged = await counterfactuals(model, refused, {
        data,
        method,
        constraints: { ...constraints, ranges: { income: [7, 9] } },
        count: 1,
        seed: 3,
      });
      expect(ranged.counterfactuals.map((c) => c.changes)).toEqual([[{ feature: 'income', from: 2, to: 7 }]]);
    }
  });

  it('returns found: false when only immutable features could flip the decision', async () => {
    // Without income and age the best is debt 0 (+4) and east (+3): z = −8.5 + 7 = −1.5 < 0.
    for (const method of ['genetic', 'random'] as const) {
      const result = await counterfactuals(model, refused, {
        data,
        method,
        constraints: { immutable: ['income', 'age'] },
        ...FAST,
      });
      expect(result.found).toBe(false);
      expect(result.reason).toBe('no counterfactual within the constraints');
      expect(result.counterfactuals).toEqual([]);
      expect(result.metrics.validity).toBe(0);
    }
  });

  it('respects every constraint over random constraint sets, and finds one whenever the boundary is reachable', async () => {
    const rng = new Rng(11);
    const numeric = ['income', 'debt', 'age'];
    const coef: Record<string, number> = { income: 2, debt: -1, age: 0.05 };
    const x: Record<string, number> = { income: 2, debt: 4, age: 30 };
    const span: Record<string, [number, number]> = { income: [0, 10], debt: [0, 10], age: [18, 80] };
    for (let trial = 0; trial < 24; trial++) {
      const pick = (names: string[], p: number) => names.filter(() => rng.next() < p);
      const immutable = pick([...numeric, 'region'], 0.25);
      const free = numeric.filter((f) => !immutable.includes(f));
      const increaseOnly = pick(free, 0.3);
      const decreaseOnly = pick(
        free.filter((f) => !increaseOnly.includes(f)),
        0.3,
      );
      const ranges: Record<string, [number, number]> = {};
      for (const f of pick(free, 0.4)) {
        const [lo, hi] = span[f];
        const a = lo + rng.int(hi - lo + 1);
        const b = lo + rng.int(hi - lo + 1);
        ranges[f] = [Math.min(a, b), Math.max(a, b)];
      }
      const allowed = REGIONS.filter(() => rng.next() < 0.5);
      const constraints: CounterfactualConstraints = {
        immutable,
        increaseOnly,
        decreaseOnly,
        ranges,
        ...(allowed.length > 0 ? { allowedCategories: { region: allowed } } : {}),
      };
      const method = trial % 2 === 0 ? 'genetic' : 'random';
      const result = await counterfactuals(model, refused, {
        data,
        constraints,
        method,
        seed: trial,
        ...FAST,
      });
      // Independent bound: the largest z reachable when each feature is set to its best allowed value.
      let best = logit(2, 4, 'south', 30);
      for (const f of free) {
        let [lo, hi] = ranges[f] ?? span[f];
        if (increaseOnly.includes(f)) lo = Math.max(lo, x[f]);
        if (decreaseOnly.includes(f)) hi = Math.min(hi, x[f]);
        if (lo > hi) continue;
        best += Math.max(0, coef[f] * ((coef[f] > 0 ? hi : lo) - x[f]));
      }
      if (!immutable.includes('region')) {
        best += Math.max(0, ...(allowed.length > 0 ? allowed : REGIONS).map((r) => EFFECT[r] - EFFECT.south));
      }
      if (best >= 0.3) expect(result.found, `${method} ${JSON.stringify(constraints)}`).toBe(true);
      if (best < 0) expect(result.found).toBe(false);
      if (!result.found) expect(result.reason).toBe('no counterfactual within the constraints');
      if (result.found && result.counterfactuals.length < 4)
        expect(result.warnings.join(' ')).toMatch(/Only/);
      for (const cf of result.counterfactuals) {
        expect(cf.probability).toBeGreaterThanOrEqual(0.5);
        for (const { feature, from, to } of cf.changes) {
          expect(immutable).not.toContain(feature);
          if (increaseOnly.includes(feature)) expect(to as number).toBeGreaterThan(from as number);
          if (decreaseOnly.includes(feature)) expect(to as number).toBeLessThan(from as number);
          const range = ranges[feature] ?? span[feature];
          if (range) expect((to as number) >= range[0] && (to as number) <= range[1]).toBe(true);
          if (feature === 'region') expect(allowed.length > 0 ? allowed : REGIONS).toContain(to);
        }
      }
    }
  });

  it('genetic search finds closer counterfactuals than random search on average', async () => {
    const queries = [
      row(2, 4, 'south', 30),
      row(1.5, 2, 'north', 45),
      row(3, 7, 'east', 60),
      row(0.5, 1, 'east', 25),
    ];
    let genetic = 0;
    let random = 0;
    for (const [i, q] of queries.entries()) {
      const g = await counterfactuals(model, q, { data, method: 'genetic', seed: i });
      const r = await counterfactuals(model, q, { data, method: 'random', seed: i });
      genetic += g.metrics.proximity ?? Number.NEGATIVE_INFINITY;
      random += r.metrics.proximity ?? Number.NEGATIVE_INFINITY;
    }
    // Proximity is −mean distance: higher is closer.
    expect(genetic / queries.length).toBeGreaterThan(random / queries.length);
  });

  it('reruns bit for bit with the same seed', async () => {
    for (const method of ['genetic', 'random'] as const) {
      const a = await counterfactuals(model, refused, { data, method, seed: 5, ...FAST });
      const b = await counterfactuals(model, refused, { data, method, seed: 5, ...FAST });
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }
  });

  it("says 'already desired' when the row already has the desired class", async () => {
    const accepted = row(8, 1, 'east', 40); // z = 16 − 1 + 1 − 6 = 10
    const result = await counterfactuals(model, accepted, { data, desired: 'favourable' });
    expect(result).toMatchObject({ found: false, reason: 'already desired', counterfactuals: [] });
    const opposite = await counterfactuals(model, accepted, { data, ...FAST });
    expect(opposite.desiredClass).toBe(0);
    expect(opposite.found).toBe(true);
    for (const cf of opposite.counterfactuals) expect(cf.probability).toBeLessThan(0.5);
  });

  it('rejects bad constraints with an InvalidParameterError naming the feature', async () => {
    const bad: [CounterfactualConstraints, RegExp][] = [
      [{ immutable: ['salary'] }, /'salary'/],
      [{ ranges: { income: [5, 1] } }, /ranges\.income/],
      [{ immutable: ['age'], increaseOnly: ['age'] }, /'age' is both immutable and increaseOnly/],
      [{ increaseOnly: ['debt'], decreaseOnly: ['debt'] }, /'debt' is both increaseOnly and decreaseOnly/],
      [{ increaseOnly: ['region'] }, /numeric features only.*'region'/],
      [{ allowedCategories: { region: ['west'] } }, /'west'/],
    ];
    for (const [constraints, message] of bad) {
      const run = counterfactuals(model, refused, { data, constraints });
      await expect(run).rejects.toThrow(InvalidParameterError);
      await expect(counterfactuals(model, refused, { data, constraints })).rejects.toThrow(message);
    }
    await expect(counterfactuals(model, data, { data })).rejects.toThrow(/exactly 1 row/);
  });
});
