import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, steward, tempDir } from './cli-helpers.js';

const data = join(root, 'datasets', 'german-credit.csv');

describe('steward explain on a Steward ONNX model (German credit, logistic regression)', () => {
  const dir = tempDir();
  const model = join(dir, 'german.onnx');
  const trained = steward(['train', '--dataset', 'german', '--out', model]);
  const explain = (...args: string[]) => steward(['explain', '--model', model, '--data', data, ...args]);
  const r = explain('--row', '2', '--json');
  const out = r.status === 0 ? JSON.parse(r.stdout) : undefined;

  it('prints the contract: prediction, base value, SHAP per original column, reasons, counterfactuals', () => {
    expect(trained.status, trained.stderr).toBe(0);
    expect(r.status, r.stderr).toBe(0);
    for (const key of ['prediction', 'base_value', 'shap', 'reasons', 'counterfactuals'])
      expect(out).toHaveProperty(key);
    // One SHAP value per original column (20 in German credit after its derived sex and age_group).
    expect(Object.keys(out.shap)).toContain('purpose');
    expect(Object.keys(out.shap).some((k) => k.startsWith('purpose_'))).toBe(false);
    // Additivity: base + Σφ = P(favourable) (the constrained regression enforces it).
    const sum = Object.values(out.shap as Record<string, number>).reduce((a, b) => a + b, out.base_value);
    expect(Math.abs(sum - out.probability)).toBeLessThan(1e-9);
    expect(out.additivity_error).toBeLessThan(1e-9);
  });

  it('gives at most four reasons, each lowering the score, for the refused row', () => {
    expect(out.prediction).toBe(0);
    expect(out.reasons.length).toBeGreaterThan(0);
    expect(out.reasons.length).toBeLessThanOrEqual(4);
    const contributions = out.reasons.map((x: { contribution: number }) => x.contribution);
    for (const c of contributions) expect(c).toBeLessThan(0);
    expect([...contributions].sort((a, b) => a - b)).toEqual(contributions);
  });

  it('finds counterfactuals that flip the decision without touching the protected attributes', () => {
    expect(out.counterfactual_search.found).toBe(true);
    for (const c of out.counterfactuals as { probability: number; changes: { feature: string }[] }[]) {
      expect(c.probability).toBeGreaterThanOrEqual(out.threshold);
      for (const d of c.changes) expect(['sex', 'age_group']).not.toContain(d.feature);
    }
  });

  it('ranks the columns globally by mean |SHAP|', () => {
    const g = explain('--global', '--rows', '10', '--background', '10', '--json');
    expect(g.status, g.stderr).toBe(0);
    const importance = JSON.parse(g.stdout).importance as { mean_abs_shap: number }[];
    const values = importance.map((f) => f.mean_abs_shap);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
  });

  it('refuses a row out of range, an unknown immutable column and --row with --global', () => {
    const far = explain('--row', '1001');
    expect(far.status).toBe(2);
    expect(far.stderr).toMatch(
      /'--row' flag must be a data row of .*german-credit\.csv, from 1 to 1000\. Got 1001/,
    );
    const unknown = explain('--row', '2', '--immutable', 'shoe_size');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/immutable column 'shoe_size' is not an input of the model/);
    const both = explain('--row', '2', '--global');
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/either '--row N'.*or '--global'/);
  });
});
