import { type DenseLayer, type DenseNetwork, type Matrix, type Rng, sigmoid } from '../core/index.js';
import { forward, layerOffsets, parameterCount } from './gradient-kernels.js';

/*
 * The flat parameter layout shared by `MLPClassifier` and other dense-network estimators (such as
 * DP-SGD): per layer l, weights [sizes[l]][sizes[l + 1]] row-major, then its sizes[l + 1] biases;
 * ReLU hidden layers and one sigmoid output unit.
 */

/**
 * He-uniform hidden weights (He et al. 2015, U(±√(6/fan_in))) and Glorot-uniform output weights
 * (Glorot & Bengio 2010, U(±√(6/(fan_in + fan_out)))), zero biases, drawn layer by layer from `rng`.
 */
export function mlpInitialParameters(sizes: readonly number[], rng: Rng): Float64Array {
  const params = new Float64Array(parameterCount({ kind: 'mlp', sizes }, sizes[0]));
  const offsets = layerOffsets(sizes);
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const output = l + 2 === sizes.length;
    const bound = Math.sqrt(6 / (output ? fanIn + fanOut : fanIn));
    for (let k = 0; k < fanIn * fanOut; k++) params[offsets[l] + k] = (2 * rng.next() - 1) * bound;
  }
  return params;
}

/** P(y = 1 | x) per row of `X`: the network's sigmoid output (the caller checks `X`'s shape). */
export function mlpPredictProba(params: Float64Array, sizes: readonly number[], X: Matrix): Float64Array {
  const offsets = layerOffsets(sizes);
  const acts = sizes.map((s) => new Float64Array(s));
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    out[i] = sigmoid(forward(params, sizes, offsets, X.data.subarray(i * X.cols, (i + 1) * X.cols), acts));
  }
  return out;
}

/** The layers of flat parameters (copies), weights row-major [inputs][outputs], ReLU hidden, sigmoid output. */
export function mlpDenseNetwork(params: Float64Array, sizes: readonly number[]): DenseNetwork {
  const layers: DenseLayer[] = layerOffsets(sizes).map((off, l) => {
    const inputs = sizes[l];
    const outputs = sizes[l + 1];
    const weights = params.slice(off, off + inputs * outputs);
    const bias = params.slice(off + inputs * outputs, off + inputs * outputs + outputs);
    return { inputs, outputs, weights, bias };
  });
  return { layers, hiddenActivation: 'relu', outputActivation: 'sigmoid' };
}
