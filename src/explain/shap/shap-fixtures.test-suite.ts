// Shared fixtures of the SHAP tests: small synthetic pipelines (numeric columns and one categorical column)
// and a brute-force Shapley computation that does not share code with the explainers.
import { Rng } from '../../core/index.js';
import { applyEncoder, type ColumnBatch, fitEncoder } from '../../data/index.js';
import { LogisticRegression, MLPClassifier } from '../../models/index.js';
import { type ExplainableModel, maskedCopies, pipelineModel, takeBatchRows } from '../explainable-model.js';

/** A synthetic batch: numeric columns x0..x{m−2} (standard normal) and a categorical column 'colour' (4 levels), 0/1 labels. */
export function syntheticData(m: number, rows: number, seed: number): { batch: ColumnBatch; y: Uint8Array } {
  const rng = new Rng(seed);
  const columns: Record<string, Float64Array | string[]> = {};
  const levels = ['blue', 'green', 'red', 'violet'];
  const colour = Array.from({ length: rows }, () => levels[rng.int(levels.length)]);
  const numeric = Array.from({ length: m - 1 }, () =>
    Float64Array.from({ length: rows }, () => rng.normal()),
  );
  numeric.forEach((c, j) => {
    columns[`x${j}`] = c;
  });
  columns.colour = colour;
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = colour[i] === 'red' ? 1 : colour[i] === 'blue' ? -1 : 0.3;
    numeric.forEach((c, j) => {
      z += ((j % 3) - 1 + 0.5) * c[i];
    });
    if (numeric.length >= 2) z += numeric[0][i] * numeric[1][i]; // an interaction for the MLP to learn
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { batch: { rows, columns }, y };
}

/** A fitted pipeline (encoder + LogisticRegression or a [6]-unit MLP) over `syntheticData(m, 300, seed)`. */
export async function syntheticPipeline(
  m: number,
  kind: 'lr' | 'mlp',
  seed = 1,
): Promise<{ model: ExplainableModel; batch: ColumnBatch }> {
  const { batch, y } = syntheticData(m, 300, seed);
  const numeric = Array.from({ length: m - 1 }, (_, j) => `x${j}`);
  const encoder = fitEncoder(batch, { numeric, categorical: ['colour'] });
  const X = applyEncoder(encoder, batch);
  const clf =
    kind === 'lr'
      ? await new LogisticRegression({ C: 1 }).fit(X, y)
      : await new MLPClassifier({ hiddenLayerSizes: [6], maxEpochs: 30, earlyStopping: false, seed }).fit(
          X,
          y,
        );
  return { model: pipelineModel(encoder, clf), batch };
}

/** The same model seen only through predictProba (no pipeline): forces the explainers' raw-column path. */
export function opaque(model: ExplainableModel): ExplainableModel {
  return { features: model.features, predictProba: (b) => model.predictProba(b) };
}

/** Rows `from..to−1` of a batch. */
export function rowRange(batch: ColumnBatch, from: number, to: number): ColumnBatch {
  return takeBatchRows(
    batch,
    Array.from({ length: to - from }, (_, i) => from + i),
  );
}

/** How a coalition value is formed from the background probabilities p_b. */
export type BruteValue = 'probability' | 'logit-of-mean' | 'mean-of-logit';

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Brute-force Shapley values (Shapley 1953): φ_j = Σ_{S ⊆ N∖{j}} |S|!(M−|S|−1)!/M! · (v(S∪{j}) − v(S)) over all
 * 2^M coalitions, v(S) from f(x_S, b_S̄) over every background row b (one raw batch per coalition).
 * Returns φ row-major, and v(∅), v(N) per row.
 */
export async function bruteForceShapley(
  model: ExplainableModel,
  rows: ColumnBatch,
  background: ColumnBatch,
  value: BruteValue,
): Promise<{ values: Float64Array; base: Float64Array; full: Float64Array }> {
  const m = model.features.length;
  const names = model.features.map((f) => f.name);
  const nb = background.rows;
  const fact = [1];
  for (let i = 1; i <= m; i++) fact.push(fact[i - 1] * i);
  const values = new Float64Array(rows.rows * m);
  const base = new Float64Array(rows.rows);
  const full = new Float64Array(rows.rows);
  for (let r = 0; r < rows.rows; r++) {
    const v = new Float64Array(2 ** m);
    const batch = maskedCopies(rows, r, 2 ** m * nb, (rr, column) => {
      const bits = Math.floor(rr / nb);
      const j = names.indexOf(column);
      return j >= 0 && Math.floor(bits / 2 ** j) % 2 === 1 ? undefined : { batch: background, row: rr % nb };
    });
    const p = await model.predictProba(batch);
    for (let s = 0; s < 2 ** m; s++) {
      let acc = 0;
      for (let i = 0; i < nb; i++) acc += value === 'mean-of-logit' ? logit(p[s * nb + i]) : p[s * nb + i];
      acc /= nb;
      v[s] = value === 'logit-of-mean' ? logit(acc) : acc;
    }
    for (let j = 0; j < m; j++) {
      let phi = 0;
      for (let s = 0; s < 2 ** m; s++) {
        if (Math.floor(s / 2 ** j) % 2 === 1) continue;
        let size = 0;
        for (let t = 0; t < m; t++) size += Math.floor(s / 2 ** t) % 2;
        phi += ((fact[size] * fact[m - size - 1]) / fact[m]) * (v[s + 2 ** j] - v[s]);
      }
      values[r * m + j] = phi;
    }
    base[r] = v[0];
    full[r] = v[2 ** m - 1];
  }
  return { values, base, full };
}

/** max_i |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
