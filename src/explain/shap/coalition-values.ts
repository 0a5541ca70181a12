import { type DenseNetwork, hasDenseNetwork, type Matrix, matrix, StewardError } from '../../core/index.js';
import {
  applyEncoder,
  type Column,
  type ColumnBatch,
  type EncoderSpec,
  isNumericColumn,
} from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import { assembleUnit, maskPlans } from './coalition-assembly.js';
import { blockCodes, columnCodes, distinctUnits } from './coalition-dedup.js';
import { coalitionWorkerFile, scoreUnitsInParallel } from './coalition-pool.js';

/**
 * Matrix cells (rows × encoded columns) per predictProba call on the encoded path: small enough (2 MiB) that
 * the assembled chunk is still in cache when the model reads it; the buffer is reused from call to call.
 */
const ENCODED_CELLS_PER_CALL = 1 << 18;
/** Most rows one predictProba call receives on the raw-column path. */
const MAX_RAW_ROWS = 1 << 17;
/**
 * Coalition rows (distinct units × background rows) from which `threads: 'auto'` uses a worker thread: starting
 * one costs ~50 ms (measured, 2 vCPU), about 500,000 rows of single-threaded scoring, so below ~1 M it won't pay.
 */
export const PARALLEL_MIN_COALITION_ROWS = 1_000_000;

/** Options of `coalitionValues`. */
export interface CoalitionValuesOptions {
  /**
   * 2: on the encoded path, when the pipeline model is a `DenseNetworkModel` and the built worker file
   * exists (not from TypeScript sources), the distinct (row, coalition) units are assembled and scored by
   * this thread and one worker thread, each by a forward pass over `toDenseNetwork()`; 'auto': 2 from
   * PARALLEL_MIN_COALITION_ROWS coalition rows, else 1. Default 1.
   */
  threads?: 1 | 2 | 'auto';
}

/**
 * Interventional coalition values of a model over its original features (Janzing et al. 2020; the value
 * function of KernelSHAP and permutation SHAP): v_x(S) = (1/|B|) Σ_{b∈B} f(x_S, b_{S̄}), the mean
 * probability when the features in S keep the explained row's values and the others take each
 * background row's. Only ever calls predictProba.
 */
export interface CoalitionValues {
  /** f(x) for each explained row (probability). */
  readonly fx: Float64Array;
  /** E_b[f(b)]: the mean probability over the background. */
  readonly fnull: number;
  /** Background rows. */
  readonly backgroundRows: number;
  /** v_x(S) for every explained row x and every mask S (1 = feature kept): out[r * masks.length + k]. */
  values(masks: readonly Uint8Array[]): Promise<Float64Array>;
}

/**
 * The coalition values of `model` for `rows` against `background`. For a Steward pipeline, rows and
 * background are encoded once and coalition rows are assembled from encoded column blocks (each original
 * feature owns its own block, so this equals encoding every assembled raw row, bit for bit), then scored by
 * the pipeline model's predictProba (the pipeline is taken to be what `model.predictProba` runs, as for
 * `pipelineModel`); otherwise coalition rows are built as raw columns (as `maskedCopies` does) and scored
 * by `model.predictProba`, many explained rows and coalitions per call. Either way explained rows that agree
 * on a coalition's kept features share its value, which is computed once.
 */
export async function coalitionValues(
  model: ExplainableModel,
  rows: ColumnBatch,
  background: ColumnBatch,
  options: CoalitionValuesOptions = {},
): Promise<CoalitionValues> {
  const blocks = model.pipeline ? encodedBlocks(model, model.pipeline.encoder) : undefined;
  if (model.pipeline && blocks) {
    const inner = model.pipeline.model;
    const scorer = async (m: Matrix) => checked(await inner.predictProba(m), m.rows);
    const X = applyEncoder(model.pipeline.encoder, rows);
    const B = applyEncoder(model.pipeline.encoder, background);
    const fx = await scorer(X);
    const fb = await scorer(B);
    const threads = options.threads ?? 1;
    const network = threads !== 1 && hasDenseNetwork(inner) ? inner.toDenseNetwork() : undefined;
    const parallel = network && network.layers[0].inputs === X.cols ? { network, threads } : undefined;
    return {
      fx,
      fnull: mean(fb, 0, fb.length),
      backgroundRows: background.rows,
      values: (masks) => encodedValues(X, B, blocks, masks, scorer, parallel),
    };
  }
  const fx = checked(await model.predictProba(rows), rows.rows);
  const fb = checked(await model.predictProba(background), background.rows);
  return {
    fx,
    fnull: mean(fb, 0, fb.length),
    backgroundRows: background.rows,
    values: (masks) => rawValues(model, rows, background, masks),
  };
}

/** Encoded column range [start, end) of each model feature, or undefined when the encoder does not match them. */
function encodedBlocks(model: ExplainableModel, encoder: EncoderSpec): Int32Array[] | undefined {
  const ranges = new Map<string, Int32Array>();
  let offset = 0;
  for (const f of encoder.features) {
    const width = f.kind === 'numeric' ? 1 : f.categories.length;
    ranges.set(
      f.column,
      Int32Array.from({ length: width }, (_, k) => offset + k),
    );
    offset += width;
  }
  if (ranges.size !== model.features.length) return undefined;
  const blocks: Int32Array[] = [];
  for (const f of model.features) {
    const block = ranges.get(f.name);
    if (block === undefined) return undefined;
    blocks.push(block);
  }
  return blocks;
}

async function encodedValues(
  X: Matrix,
  B: Matrix,
  blocks: readonly Int32Array[],
  masks: readonly Uint8Array[],
  score: (m: Matrix) => Promise<Float64Array>,
  parallel: { network: DenseNetwork; threads: 1 | 2 | 'auto' } | undefined,
): Promise<Float64Array> {
  const width = X.cols;
  const nb = B.rows;
  const nm = masks.length;
  // Per mask: the encoded columns to overwrite, and whether the base rows are background (else x) rows.
  const plans = maskPlans(blocks, masks);
  const out = new Float64Array(X.rows * nm);
  const todo = distinctUnits(blockCodes(X, blocks), X.rows, masks);
  const total = todo.evaluate.length;
  const url = parallel === undefined ? undefined : coalitionWorkerFile();
  if (
    parallel !== undefined &&
    url !== undefined &&
    total >= 2 &&
    (parallel.threads === 2 || total * nb >= PARALLEL_MIN_COALITION_ROWS)
  ) {
    // Both threads score units by a forward pass over the network (the same value whichever thread does it).
    const job = { X: X.data, B: B.data, width, nm, plans, units: todo.evaluate, network: parallel.network };
    const { means } = await scoreUnitsInParallel(url, job);
    for (let u = 0; u < total; u++) out[todo.evaluate[u]] = means[u];
  } else {
    const unitsPerCall = Math.max(1, Math.floor(ENCODED_CELLS_PER_CALL / Math.max(1, width * nb)));
    const buffer = new Float64Array(Math.min(unitsPerCall, total) * nb * width);
    for (let u0 = 0; u0 < total; u0 += unitsPerCall) {
      const units = Math.min(unitsPerCall, total - u0);
      const data = units * nb * width === buffer.length ? buffer : buffer.subarray(0, units * nb * width);
      for (let u = 0; u < units; u++) {
        const unit = todo.evaluate[u0 + u];
        assembleUnit(
          X.data,
          B.data,
          width,
          Math.floor(unit / nm) * width,
          plans[unit % nm],
          data,
          u * nb * width,
        );
      }
      const p = await score(matrix(units * nb, width, data));
      for (let u = 0; u < units; u++) out[todo.evaluate[u0 + u]] = mean(p, u * nb, (u + 1) * nb);
    }
  }
  for (let unit = 0; unit < out.length; unit++) out[unit] = out[todo.source[unit]];
  return out;
}

async function rawValues(
  model: ExplainableModel,
  rows: ColumnBatch,
  background: ColumnBatch,
  masks: readonly Uint8Array[],
): Promise<Float64Array> {
  const index = new Map(model.features.map((f, j) => [f.name, j]));
  const codes = model.features.map((f) => columnCodes(rows.columns[f.name]));
  const todo = distinctUnits(codes, rows.rows, masks);
  const nb = background.rows;
  const nm = masks.length;
  const out = new Float64Array(rows.rows * nm);
  const unitsPerCall = Math.max(1, Math.floor(MAX_RAW_ROWS / nb));
  for (let u0 = 0; u0 < todo.evaluate.length; u0 += unitsPerCall) {
    const units = Math.min(unitsPerCall, todo.evaluate.length - u0);
    // As maskedCopies, for many (row, coalition) units at once: unit u's nb rows copy its explained row,
    // except the features outside its coalition, which take the background rows' values.
    const columns: Record<string, Column> = {};
    for (const [name, column] of Object.entries(rows.columns)) {
      const j = index.get(name);
      const from = j === undefined ? undefined : background.columns[name];
      const filled: Column = isNumericColumn(column) ? new Float64Array(units * nb) : new Array(units * nb);
      for (let u = 0; u < units; u++) {
        const unit = todo.evaluate[u0 + u];
        const r = Math.floor(unit / nm);
        if (from === undefined || masks[unit % nm][j as number] === 1) {
          filled.fill(column[r] as never, u * nb, (u + 1) * nb);
        } else if (isNumericColumn(filled) && isNumericColumn(from)) {
          filled.set(from, u * nb);
        } else {
          for (let i = 0; i < nb; i++) (filled as unknown[])[u * nb + i] = from[i];
        }
      }
      columns[name] = filled;
    }
    const p = checked(await model.predictProba({ rows: units * nb, columns }), units * nb);
    for (let u = 0; u < units; u++) out[todo.evaluate[u0 + u]] = mean(p, u * nb, (u + 1) * nb);
  }
  for (let unit = 0; unit < out.length; unit++) out[unit] = out[todo.source[unit]];
  return out;
}

/** The model's probabilities, after checking there is one per row. */
function checked(p: Float64Array, rows: number): Float64Array {
  if (p.length !== rows) {
    throw new StewardError(
      'MODEL_OUTPUT',
      `The model's predictProba returned ${p.length} probabilities for ${rows} rows; it must return one per row.`,
    );
  }
  return p;
}

function mean(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s / (to - from);
}
