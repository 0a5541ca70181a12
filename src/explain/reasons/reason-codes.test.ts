import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { applyEncoder, type ColumnBatch, fitEncoder } from '../../data/index.js';
import { LogisticRegression } from '../../models/index.js';
import { type ExplainableModel, pipelineModel, takeBatchRows } from '../explainable-model.js';
import type { ShapExplainer } from '../shap-result.js';
import { bruteForceShapley } from './brute-force-shapley.test-suite.js';
import { reasonCodes } from './reason-codes.js';

// A model LINEAR in probability, so the interventional Shapley value has the closed form
// φⱼ = wⱼ (xⱼ − mean_background(xⱼ)) (hand derivation: v(S) is affine in the coalition's indicators).
const W = { income: 0.004, debt: -0.01, years: 0.02, late: -0.05 };
const PURPOSE: Record<string, number> = { car: 0.02, education: -0.03, other: 0 };
const linear: ExplainableModel = {
  features: [
    { name: 'debt', kind: 'numeric' },
    { name: 'income', kind: 'numeric' },
    { name: 'late', kind: 'numeric' },
    { name: 'purpose', kind: 'categorical', categories: ['car', 'education', 'other'] },
    { name: 'years', kind: 'numeric' },
  ],
  predictProba: async (b) => {
    const c = b.columns as Record<string, Float64Array> & { purpose: string[] };
    return Float64Array.from(
      { length: b.rows },
      (_, i) =>
        0.5 +
        W.income * c.income[i] +
        W.debt * c.debt[i] +
        W.years * c.years[i] +
        W.late * c.late[i] +
        PURPOSE[c.purpose[i]],
    );
  },
};

function population(n: number, seed: number): ColumnBatch {
  const rng = new Rng(seed);
  return {
    rows: n,
    columns: {
      income: Float64Array.from({ length: n }, () => Math.round(40 + 20 * rng.normal())),
      debt: Float64Array.from({ length: n }, () => Math.round(15 + 8 * rng.normal())),
      years: Float64Array.from({ length: n }, () => rng.int(20)),
      late: Float64Array.from({ length: n }, () => rng.int(3)),
      purpose: Array.from({ length: n }, () => ['car', 'education', 'other'][rng.int(3)]),
    },
  };
}

const pop = population(60, 4);
const applicant: ColumnBatch = {
  rows: 1,
  columns: {
    income: Float64Array.of(20),
    debt: Float64Array.of(30),
    years: Float64Array.of(1),
    late: Float64Array.of(2),
    purpose: ['education'],
  },
};

describe('reasonCodes', () => {
  it('ranks the most negative contributions first, at most four, matching φⱼ = wⱼ(xⱼ − x̄ⱼ) to 1e-12', async () => {
    const result = await reasonCodes({
      model: linear,
      explainer: bruteForceShapley,
      row: applicant,
      reference: 'all',
      population: pop,
      threshold: 0.5,
    });
    expect(result.decision).toBe('unfavourable');
    const mean = (name: string) => (pop.columns[name] as Float64Array).reduce((s, v) => s + v, 0) / pop.rows;
    const share = (c: string) => (pop.columns.purpose as string[]).filter((p) => p === c).length / pop.rows;
    const expected: Record<string, number> = {
      income: W.income * (20 - mean('income')),
      debt: W.debt * (30 - mean('debt')),
      years: W.years * (1 - mean('years')),
      late: W.late * (2 - mean('late')),
      purpose: PURPOSE.education - (PURPOSE.car * share('car') + PURPOSE.education * share('education')),
    };
    const negatives = Object.entries(expected)
      .filter(([, v]) => v < 0)
      .sort((a, b) => a[1] - b[1]);
    expect(negatives.length).toBe(5);
    expect(result.reasons.map((r) => r.feature)).toEqual(negatives.slice(0, 4).map(([f]) => f));
    for (const r of result.reasons)
      expect(Math.abs(r.contribution - expected[r.feature])).toBeLessThanOrEqual(1e-12);
    expect(result.omittedNegative).toBe(1);
    expect(result.shap?.additivityError).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(result.probability - (await linear.predictProba(applicant))[0])).toBe(0);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('renders the default template with the reference median or mode', async () => {
    const result = await reasonCodes({
      model: linear,
      explainer: bruteForceShapley,
      row: applicant,
      reference: 'all',
      population: pop,
      threshold: 0.5,
      maxReasons: 4,
    });
    const late = result.reasons.find((r) => r.feature === 'late');
    const sorted = Float64Array.from(pop.columns.late as Float64Array).sort();
    const median = (sorted[29] + sorted[30]) / 2; // 60 rows: mean of the two middle values
    expect(late?.reference).toBe(median);
    expect(late?.text).toBe(`late = 2 lowered the score (typical: ${median})`);
  });

  it('uses per-feature templates with every placeholder', async () => {
    const result = await reasonCodes({
      model: linear,
      explainer: bruteForceShapley,
      row: applicant,
      reference: 'all',
      population: pop,
      threshold: 0.5,
      templates: { debt: 'Debt of {value}k is {direction} the typical {reference}k ({feature})' },
      defaultTemplate: '{feature}: {value}',
    });
    const debt = result.reasons.find((r) => r.feature === 'debt');
    expect(debt?.text).toBe(`Debt of 30k is above the typical ${debt?.reference}k (debt)`);
    for (const r of result.reasons) if (r.feature !== 'debt') expect(r.text).toBe(`${r.feature}: ${r.value}`);
  });

  it('names original columns for a Steward pipeline (one-hot columns grouped), additive to 1e-12', async () => {
    const train = population(200, 9);
    const p = await linear.predictProba(train);
    const rng = new Rng(1);
    const y = Uint8Array.from(p, (pi) => (rng.next() < pi ? 1 : 0));
    const { income: _i, ...columns } = train.columns;
    const small: ColumnBatch = { rows: train.rows, columns };
    const encoder = fitEncoder(small, { numeric: ['debt', 'late', 'years'], categorical: ['purpose'] });
    const lr = await new LogisticRegression().fit(applyEncoder(encoder, small), y);
    const result = await reasonCodes({
      model: pipelineModel(encoder, lr),
      explainer: bruteForceShapley,
      row: applicant,
      reference: 'all',
      population: takeBatchRows(
        small,
        Array.from({ length: 50 }, (_, i) => i),
      ),
      threshold: 0.5,
    });
    expect(result.decision).toBe('unfavourable');
    expect(result.reasons.length).toBeGreaterThan(0);
    for (const r of result.reasons) expect(['debt', 'late', 'years', 'purpose']).toContain(r.feature);
    const contributions = result.reasons.map((r) => r.contribution);
    expect(contributions).toEqual([...contributions].sort((a, b) => a - b));
    expect(result.shap?.additivityError).toBeLessThanOrEqual(1e-12);
  });

  it("'near-cutoff' explains against the k population rows just above the threshold", async () => {
    let seen: ColumnBatch | undefined;
    const spy: ShapExplainer = (model, rows, options) => {
      seen = options.background;
      return bruteForceShapley(model, rows, options);
    };
    const result = await reasonCodes({
      model: linear,
      explainer: spy,
      row: applicant,
      reference: 'near-cutoff',
      population: pop,
      threshold: 0.5,
      nearCutoffRows: 10,
    });
    const p = await linear.predictProba(pop);
    const expectedRows = Array.from(p.keys())
      .filter((i) => p[i] >= 0.5)
      .sort((a, b) => p[a] - p[b] || a - b)
      .slice(0, 10);
    expect(result.reference.rows).toBe(10);
    expect(Array.from(seen?.columns.income as Float64Array)).toEqual(
      expectedRows.map((i) => (pop.columns.income as Float64Array)[i]),
    );
    expect(result.reference.probabilityRange).toEqual([p[expectedRows[0]], p[expectedRows[9]]]);
    expect(result.shap?.baseValue).toBeGreaterThanOrEqual(0.5);
  });

  it('breaks equal contributions by feature name (deterministic)', async () => {
    const twin: ExplainableModel = {
      features: [
        { name: 'b', kind: 'numeric' },
        { name: 'a', kind: 'numeric' },
      ],
      predictProba: async (batch) => {
        const a = batch.columns.a as Float64Array;
        const b = batch.columns.b as Float64Array;
        return Float64Array.from({ length: batch.rows }, (_, i) => 0.5 + 0.1 * a[i] + 0.1 * b[i]);
      },
    };
    const ref: ColumnBatch = { rows: 2, columns: { a: Float64Array.of(1, 3), b: Float64Array.of(1, 3) } };
    const row: ColumnBatch = { rows: 1, columns: { a: Float64Array.of(0), b: Float64Array.of(0) } };
    const result = await reasonCodes({
      model: twin,
      explainer: bruteForceShapley,
      row,
      reference: 'all',
      population: ref,
      threshold: 0.9,
    });
    expect(result.reasons.map((r) => r.feature)).toEqual(['a', 'b']);
    expect(result.reasons[0].contribution).toBe(result.reasons[1].contribution);
  });

  it('gives no reasons for a favourable decision and says so', async () => {
    const good: ColumnBatch = {
      ...applicant,
      columns: { ...applicant.columns, income: Float64Array.of(200), debt: Float64Array.of(0) },
    };
    let calls = 0;
    const counting: ShapExplainer = (m, r, o) => {
      calls++;
      return bruteForceShapley(m, r, o);
    };
    const result = await reasonCodes({
      model: linear,
      explainer: counting,
      row: good,
      reference: 'all',
      population: pop,
      threshold: 0.5,
    });
    expect(result.decision).toBe('favourable');
    expect(result.reasons).toEqual([]);
    expect(result.note).toMatch(/Favourable decision: no adverse-action reasons/);
    expect(calls).toBe(0);
  });

  it('picks a row by rowIndex and rejects bad input with clear messages', async () => {
    const base = {
      model: linear,
      explainer: bruteForceShapley,
      reference: 'all' as const,
      population: pop,
      threshold: 0.5,
    };
    const picked = await reasonCodes({ ...base, row: pop, rowIndex: 3 });
    expect(picked.probability).toBe((await linear.predictProba(pop))[3]);
    await expect(reasonCodes({ ...base, row: pop })).rejects.toThrow(
      /exactly one row, or pass 'rowIndex'. Got 60 rows/,
    );
    await expect(reasonCodes({ ...base, row: pop, rowIndex: 60 })).rejects.toThrow(
      /'rowIndex' option of reasonCodes must be in \[0, 59\]. Got 60/,
    );
    await expect(
      reasonCodes({ ...base, row: applicant, templates: { salary: '{feature}' } }),
    ).rejects.toThrow(/names 'salary', which is not a model feature/);
    await expect(
      reasonCodes({ ...base, row: applicant, templates: { debt: '{feature} {amount}' } }),
    ).rejects.toThrow(/template of 'debt' uses the unknown placeholder '\{amount\}'/);
    await expect(reasonCodes({ ...base, row: applicant, maxReasons: 0 })).rejects.toThrow(
      /'maxReasons' option of reasonCodes/,
    );
    const { late: _drop, ...rest } = applicant.columns;
    await expect(reasonCodes({ ...base, row: { rows: 1, columns: rest } })).rejects.toThrow(
      /'row' option of reasonCodes lacks the model's column 'late'/,
    );
    await expect(
      reasonCodes({ ...base, row: applicant, reference: 'near-cutoff', threshold: 1 }),
    ).rejects.toThrow(/no population row has P\(y = 1\) >= the threshold 1/);
  });
});
