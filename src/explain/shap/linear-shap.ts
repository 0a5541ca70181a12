import {
  type DenseLayer,
  hasDenseNetwork,
  InvalidParameterError,
  matrix,
  StewardError,
  sigmoid,
} from '../../core/index.js';
import {
  applyEncoder,
  type Column,
  type ColumnBatch,
  categoryOf,
  isNumericColumn,
} from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import type { ShapExplanation, ShapOptions } from '../shap-result.js';
import { checkShapInputs, finishExplanation } from './shap-inputs.js';

/** Rows on which the weights are checked against the model's own predictProba. */
const CHECK_ROWS = 64;

/**
 * Exact interventional SHAP of a linear model in log-odds space (Lundberg & Lee 2017, linear case; Štrumbelj
 * & Kononenko 2014): with z = w·e(x) + b over the encoded columns e(x), φ_f = Σ_{j ∈ cols(f)} w_j (e_j(x) −
 * mean_B e_j) summed over the encoded columns of original feature f (all one-hot columns of a categorical
 * feature together) and base = w·mean_B e + b, so base + Σ_f φ_f = z(x) exactly. Needs a Steward pipeline
 * whose model is one dense layer (LogisticRegression). Computed column by column from the raw values
 * without materialising the encoded matrix (each block's w·e_f(x) is what the encoded row would give).
 */
export async function linearShap(
  model: ExplainableModel,
  rows: ColumnBatch,
  options: ShapOptions,
): Promise<ShapExplanation> {
  const layer = linearLayerOf(model);
  checkShapInputs('linearShap', model, rows, options);
  if ((options.output ?? 'log-odds') !== 'log-odds') {
    throw new InvalidParameterError(
      `The 'output' option of linearShap must be 'log-odds' (a linear model is additive only in log-odds). Got '${options.output}' instead; use kernelShap or permutationShap for 'probability'.`,
    );
  }
  const pipeline = model.pipeline;
  if (pipeline === undefined) throw new Error('unreachable');
  const { encoder } = pipeline;
  const width = encoder.outputNames.length;
  const w = layer.weights;
  const bias = layer.bias[0];
  const blocks = blockOffsets(model);
  const m = model.features.length;

  const B = applyEncoder(encoder, options.background);
  const mu = new Float64Array(width);
  for (let i = 0; i < B.rows; i++) for (let c = 0; c < width; c++) mu[c] += B.data[i * width + c];
  for (let c = 0; c < width; c++) mu[c] /= B.rows;
  const blockMean = new Float64Array(m);
  let base = bias;
  for (let f = 0; f < m; f++) {
    for (let c = blocks[f]; c < blocks[f + 1]; c++) blockMean[f] += w[c] * mu[c];
    base += blockMean[f];
  }

  const values = new Float64Array(rows.rows * m);
  const outputs = new Float64Array(rows.rows).fill(bias);
  // Column by column from the raw values: s_f = w·e_f(x) computed as the encoder would encode it (a numeric
  // column: w_c·(x − mean)/scale; a categorical one: the weight of its category's one-hot column, 0 when unseen).
  let valid = true;
  encoder.features.forEach((spec, f) => {
    const column = rows.columns[spec.column];
    const start = blocks[f];
    if (spec.kind === 'numeric') {
      const wc = w[start];
      const numbers = isNumericColumn(column) ? column : Float64Array.from(column, Number);
      for (let i = 0; i < rows.rows; i++) {
        const x = numbers[i];
        if (!Number.isFinite(x)) valid = false;
        const s = wc * ((x - spec.mean) / spec.scale);
        values[i * m + f] = s - blockMean[f];
        outputs[i] += s;
      }
    } else {
      const weightOf = new Map(spec.categories.map((c, k) => [c, w[start + k]]));
      for (let i = 0; i < rows.rows; i++) {
        let s = weightOf.get(categoryOf(column[i]));
        if (s === undefined) {
          if (spec.unknown === 'error') valid = false;
          s = 0;
        }
        values[i * m + f] = s - blockMean[f];
        outputs[i] += s;
      }
    }
  });
  if (!valid) applyEncoder(encoder, rows); // throws the encoder's own error, naming the row and column
  await checkAgainstModel(model, rows, outputs);
  return finishExplanation(
    'linearShap',
    {
      features: model.features.map((f) => f.name),
      output: 'log-odds',
      method: 'linear-exact',
      baseValue: base,
      values,
      outputs,
      backgroundRows: options.background.rows,
    },
    true,
  );
}

/** The single dense layer of a linear Steward pipeline, or undefined when exact linear SHAP does not apply. */
export function linearLayer(model: ExplainableModel): DenseLayer | undefined {
  const inner = model.pipeline?.model;
  if (inner === undefined || !hasDenseNetwork(inner)) return undefined;
  const layers = inner.toDenseNetwork().layers;
  if (layers.length !== 1 || layers[0].outputs !== 1) return undefined;
  if (layers[0].inputs !== model.pipeline?.encoder.outputNames.length) return undefined;
  return layers[0];
}

function linearLayerOf(model: ExplainableModel): DenseLayer {
  if (model.pipeline === undefined) {
    throw new InvalidParameterError(
      'linearShap needs a Steward pipeline (pipelineModel(encoder, model)) to read the weights. Got a model without one instead; use kernelShap or permutationShap, which only call predictProba.',
    );
  }
  const layer = linearLayer(model);
  if (layer === undefined) {
    const inner = model.pipeline.model;
    const what = hasDenseNetwork(inner)
      ? `a ${inner.toDenseNetwork().layers.length}-layer network`
      : 'a model that cannot be described as a dense network';
    throw new InvalidParameterError(
      `linearShap needs a linear model (one dense layer, e.g. LogisticRegression). Got ${what} instead; use kernelShap (exact up to 11 features) or permutationShap.`,
    );
  }
  return layer;
}

/** Start of each feature's encoded block (and the total width at the end), in model feature order. */
function blockOffsets(model: ExplainableModel): Int32Array {
  const encoder = model.pipeline?.encoder;
  const features = encoder?.features ?? [];
  const sameOrder =
    features.length === model.features.length &&
    features.every((f, j) => f.column === model.features[j].name);
  if (!sameOrder) {
    throw new InvalidParameterError(
      "linearShap needs the pipeline's encoder features in the model's feature order. Got a model whose features differ from its encoder's instead; build it with pipelineModel(encoder, model).",
    );
  }
  const offsets = new Int32Array(features.length + 1);
  features.forEach((f, j) => {
    offsets[j + 1] = offsets[j] + (f.kind === 'numeric' ? 1 : f.categories.length);
  });
  return offsets;
}

function sliceRows(batch: ColumnBatch, start: number, end: number): ColumnBatch {
  if (start === 0 && end === batch.rows) return batch;
  const columns: Record<string, Column> = {};
  for (const [name, c] of Object.entries(batch.columns)) {
    columns[name] = isNumericColumn(c) ? c.subarray(start, end) : c.slice(start, end);
  }
  return { rows: end - start, columns };
}

/** Guards against a dense network that does not reproduce the model: sigmoid(z) must match predictProba. */
async function checkAgainstModel(model: ExplainableModel, rows: ColumnBatch, z: Float64Array): Promise<void> {
  const pipeline = model.pipeline;
  if (pipeline === undefined || rows.rows === 0) return;
  const n = Math.min(CHECK_ROWS, rows.rows);
  const X = applyEncoder(pipeline.encoder, sliceRows(rows, 0, n));
  const p = await pipeline.model.predictProba(matrix(n, X.cols, X.data));
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(sigmoid(z[i]) - p[i]) <= 1e-9)) {
      throw new StewardError(
        'SHAP_MODEL_MISMATCH',
        `linearShap: the model's dense network gives P = ${sigmoid(z[i])} on explained row ${i + 1} but its predictProba gives ${p[i]}. Use kernelShap, which only calls predictProba.`,
      );
    }
  }
}
