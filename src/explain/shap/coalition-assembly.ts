import { type DenseNetwork, sigmoid } from '../../core/index.js';
import { forward, layerOffsets } from '../../models/index.js';

/** How one coalition's encoded rows are built: which base rows, and which encoded columns to overwrite. */
export interface MaskPlan {
  /** True: start from the background rows and write the explained row's kept columns; else the reverse. */
  readonly fromBackground: boolean;
  /** Encoded columns taken from the other side (kept columns, or dropped ones). */
  readonly overwrite: Int32Array;
}

/** The plan of each mask (1 = feature kept) over encoded column `blocks`: start from whichever side has more columns. */
export function maskPlans(blocks: readonly Int32Array[], masks: readonly Uint8Array[]): MaskPlan[] {
  return masks.map((mask) => {
    const kept: number[] = [];
    const dropped: number[] = [];
    mask.forEach((on, j) => {
      for (const c of blocks[j]) (on ? kept : dropped).push(c);
    });
    const fromBackground = kept.length <= dropped.length;
    return { fromBackground, overwrite: Int32Array.from(fromBackground ? kept : dropped) };
  });
}

/**
 * Writes the nb = Bd.length / width coalition rows of one (explained row, mask) unit into `data` from
 * `base`: row i is background row i with the explained row's values (at Xd[xo..]) in the kept columns.
 */
export function assembleUnit(
  Xd: Float64Array,
  Bd: Float64Array,
  width: number,
  xo: number,
  plan: MaskPlan,
  data: Float64Array,
  base: number,
): void {
  const nb = Bd.length / width;
  const { fromBackground, overwrite } = plan;
  if (fromBackground) {
    // Background rows, with the explained row's values in the kept columns.
    data.set(Bd, base);
    for (let o = base; o < base + nb * width; o += width) {
      for (let t = 0; t < overwrite.length; t++) data[o + overwrite[t]] = Xd[xo + overwrite[t]];
    }
  } else {
    // Copies of the explained row, with the background's values in the dropped columns.
    const xr = Xd.subarray(xo, xo + width);
    for (let o = base; o < base + nb * width; o += width) data.set(xr, o);
    for (let t = 0; t < overwrite.length; t++) {
      const c = overwrite[t];
      for (let i = 0, o = base + c; i < nb; i++, o += width) data[o] = Bd[i * width + c];
    }
  }
}

/** What a coalition worker needs to score units against a `DenseNetwork`. */
export interface NetworkUnits {
  /** Encoded explained rows, row-major (rows × width). */
  readonly X: Float64Array;
  /** Encoded background rows, row-major (nb × width). */
  readonly B: Float64Array;
  /** Encoded columns. */
  readonly width: number;
  /** Number of masks; unit u is explained row ⌊u / nm⌋ under mask u mod nm. */
  readonly nm: number;
  /** Plan of each mask. */
  readonly plans: readonly MaskPlan[];
  /** The units to score. */
  readonly units: Int32Array;
  /** The pipeline model as a network (ReLU hidden layers, sigmoid output). */
  readonly network: DenseNetwork;
}

/**
 * Scores units in chunks of `chunk`, claimed with Atomics.add on next[0] (shared with the other thread), until
 * none is left: out[u] = (1/nb) Σ_i σ(f(row_i)) over unit u's nb coalition rows, summed in row order as
 * `encodedValues` does; rows are assembled one unit at a time into a reused buffer. f is the network's
 * logit: for one layer with one output (logistic regression), b + Σ_j x_j·w_j in LogisticRegression's
 * four partial sums; otherwise the models' `forward` pass (ReLU hidden layers; its sums may run in
 * another order than the model's own predictProba). Each value depends only on its unit, never on which
 * thread claimed it, so results are the same run to run. Returns the number of units this call scored.
 */
export function drainUnits(job: NetworkUnits, next: Int32Array, out: Float64Array, chunk: number): number {
  const { X, B, width, nm, plans, units, network } = job;
  const nb = B.length / width;
  const data = new Float64Array(nb * width);
  const logit = networkLogit(network, data, width);
  let done = 0;
  for (let from = Atomics.add(next, 0, chunk); from < units.length; from = Atomics.add(next, 0, chunk)) {
    const to = Math.min(units.length, from + chunk);
    for (let u = from; u < to; u++) {
      const unit = units[u];
      assembleUnit(X, B, width, Math.floor(unit / nm) * width, plans[unit % nm], data, 0);
      let s = 0;
      for (let i = 0; i < nb; i++) s += sigmoid(logit(i));
      out[u] = s / nb;
    }
    done += to - from;
  }
  return done;
}

/** The network's output logit for row i of `data` (rows of `width` values). */
function networkLogit(network: DenseNetwork, data: Float64Array, width: number): (i: number) => number {
  const first = network.layers[0];
  if (network.layers.length === 1 && first.outputs === 1) {
    const w = first.weights;
    const b = first.bias[0];
    return (i) => {
      const base = i * width;
      let z0 = 0;
      let z1 = 0;
      let z2 = 0;
      let z3 = 0;
      let j = 0;
      for (; j + 3 < width; j += 4) {
        z0 += data[base + j] * w[j];
        z1 += data[base + j + 1] * w[j + 1];
        z2 += data[base + j + 2] * w[j + 2];
        z3 += data[base + j + 3] * w[j + 3];
      }
      for (; j < width; j++) z0 += data[base + j] * w[j];
      return b + (z0 + z1 + (z2 + z3));
    };
  }
  const sizes = [first.inputs, ...network.layers.map((l) => l.outputs)];
  const offsets = layerOffsets(sizes);
  const last = network.layers[network.layers.length - 1];
  const params = new Float64Array(offsets[offsets.length - 1] + last.inputs * last.outputs + last.outputs);
  network.layers.forEach((layer, l) => {
    params.set(layer.weights, offsets[l]);
    params.set(layer.bias, offsets[l] + layer.inputs * layer.outputs);
  });
  const acts = sizes.map((s) => new Float64Array(s));
  const rows = Array.from({ length: data.length / width }, (_, i) =>
    data.subarray(i * width, (i + 1) * width),
  );
  return (i) => forward(params, sizes, offsets, rows[i], acts);
}
