import { InvalidParameterError, Rng } from '../../core/index.js';
import type { ColumnBatch } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import type { ShapExplanation, ShapOptions } from '../shap-result.js';
import { coalitionValues } from './coalition-values.js';
import { checkShapInputs, finishExplanation, linkOf } from './shap-inputs.js';

/** Most features for which `permutations: 'all'` (M! orders) is accepted. */
const ALL_PERMUTATIONS_MAX_FEATURES = 8;

/** Options of `permutationShap`. */
export interface PermutationShapOptions extends ShapOptions {
  /** Random feature orders, each walked forward and back (antithetic); 'all' walks every one of the M! orders (M <= 8). Default 10. */
  permutations?: number | 'all';
}

/**
 * Permutation SHAP (Štrumbelj & Kononenko 2014; shap's PermutationExplainer): for each feature order π,
 * φ_j += v(Pre_π(j) ∪ {j}) − v(Pre_π(j)) while features are switched on in the order π (forward), and again
 * while they are switched off in the same order (backward, i.e. the reversed order: an antithetic pair);
 * φ is the mean over the 2·|Π| walks. Each walk telescopes to link(f(x)) − link(E[f(b)]), so additivity is
 * exact by construction. v is the interventional coalition value (mean over the background), in the output
 * space through the link. Orders are drawn once from `seed` and shared by all rows; coalitions repeated
 * across orders are evaluated once.
 */
export async function permutationShap(
  model: ExplainableModel,
  rows: ColumnBatch,
  options: PermutationShapOptions,
): Promise<ShapExplanation> {
  checkShapInputs('permutationShap', model, rows, options);
  const m = model.features.length;
  const orders = featureOrders(m, options.permutations ?? 10, options.seed ?? 0);
  const output = options.output ?? 'probability';
  const link = linkOf(output);

  const index = new Map<string, number>();
  const masks: Uint8Array[] = [];
  const maskId = (mask: Uint8Array): number => {
    const key = mask.join('');
    let id = index.get(key);
    if (id === undefined) {
      id = masks.length;
      index.set(key, id);
      masks.push(mask.slice());
    }
    return id;
  };
  // Walk k of order π: forward[k] = {π_0..π_k}, backward[k] = all \ {π_0..π_k}, for k < M − 1.
  const walks = orders.map((order) => {
    const on = new Uint8Array(m);
    const off = new Uint8Array(m).fill(1);
    const forward = new Int32Array(m - 1);
    const backward = new Int32Array(m - 1);
    for (let k = 0; k < m - 1; k++) {
      on[order[k]] = 1;
      off[order[k]] = 0;
      forward[k] = maskId(on);
      backward[k] = maskId(off);
    }
    return { order, forward, backward };
  });

  const cv = await coalitionValues(model, rows, options.background);
  const v = await cv.values(masks);
  const nm = masks.length;
  const base = link(cv.fnull);
  const outputs = cv.fx.map(link);
  const values = new Float64Array(rows.rows * m);
  const linked = new Float64Array(nm);
  for (let r = 0; r < rows.rows; r++) {
    for (let k = 0; k < nm; k++) linked[k] = link(v[r * nm + k]);
    const full = outputs[r];
    const phi = values.subarray(r * m, (r + 1) * m);
    for (const { order, forward, backward } of walks) {
      let prevOn = base;
      let prevOff = full;
      for (let k = 0; k < m; k++) {
        const curOn = k < m - 1 ? linked[forward[k]] : full;
        const curOff = k < m - 1 ? linked[backward[k]] : base;
        phi[order[k]] += curOn - prevOn + (prevOff - curOff);
        prevOn = curOn;
        prevOff = curOff;
      }
    }
    for (let j = 0; j < m; j++) phi[j] /= 2 * orders.length;
  }
  return finishExplanation(
    'permutationShap',
    {
      features: model.features.map((f) => f.name),
      output,
      method: 'permutation',
      baseValue: base,
      values,
      outputs,
      backgroundRows: cv.backgroundRows,
    },
    true,
  );
}

/** `count` seeded random orders of 0..m−1, or all m! of them in lexicographic order. */
function featureOrders(m: number, count: number | 'all', seed: number): Uint32Array[] {
  if (count === 'all') {
    if (m > ALL_PERMUTATIONS_MAX_FEATURES) {
      throw new InvalidParameterError(
        `The 'permutations' option of permutationShap can be 'all' for at most ${ALL_PERMUTATIONS_MAX_FEATURES} features (M! orders). Got ${m} features instead; pass a number of random permutations.`,
      );
    }
    const out: Uint32Array[] = [];
    const order = Uint32Array.from({ length: m }, (_, i) => i);
    for (;;) {
      out.push(order.slice());
      let i = m - 2;
      while (i >= 0 && order[i] > order[i + 1]) i--;
      if (i < 0) return out;
      let j = m - 1;
      while (order[j] < order[i]) j--;
      [order[i], order[j]] = [order[j], order[i]];
      order.subarray(i + 1).reverse();
    }
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidParameterError(
      `The 'permutations' option of permutationShap must be a positive integer or 'all'. Got ${String(count)} instead.`,
    );
  }
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => rng.permutation(m));
}
