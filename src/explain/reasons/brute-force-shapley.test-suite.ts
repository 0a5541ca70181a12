import { maskedCopies } from '../explainable-model.js';
import type { ShapExplainer, ShapOptions } from '../shap-result.js';

/**
 * Brute-force interventional Shapley values (Shapley 1953; Lundberg & Lee 2017, eq. 8 with
 * v(S) = mean over background b of f(x_S, b_S̄)): φⱼ = Σ_{S ⊆ N∖{j}} |S|!(M−|S|−1)!/M! [v(S ∪ {j}) − v(S)],
 * every coalition enumerated, in probability space. Test-only, for M ≤ 6.
 */
export const bruteForceShapley: ShapExplainer = async (model, rows, options: ShapOptions) => {
  const names = model.features.map((f) => f.name);
  const m = names.length;
  const bg = options.background;
  const v = new Float64Array(1 << m);
  for (let mask = 0; mask < 1 << m; mask++) {
    const batch = maskedCopies(rows, 0, bg.rows, (r, column) => {
      const j = names.indexOf(column);
      return j >= 0 && (mask & (1 << j)) === 0 ? { batch: bg, row: r } : undefined;
    });
    const p = await model.predictProba(batch);
    let s = 0;
    for (let i = 0; i < p.length; i++) s += p[i];
    v[mask] = s / p.length;
  }
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const values = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if (mask & (1 << j)) continue;
      let size = 0;
      for (let t = mask; t; t >>= 1) size += t & 1;
      values[j] += ((fact(size) * fact(m - size - 1)) / fact(m)) * (v[mask | (1 << j)] - v[mask]);
    }
  }
  const full = v[(1 << m) - 1];
  let sum = v[0];
  for (const phi of values) sum += phi;
  return {
    features: names,
    output: 'probability',
    method: 'kernel-exact',
    baseValue: v[0],
    rows: 1,
    values,
    outputs: Float64Array.of(full),
    additivityError: Math.abs(sum - full),
    backgroundRows: bg.rows,
  };
};
