import {
  type Capabilities,
  checkInRange,
  checkInteger,
  checkNumber,
  checkPositive,
  DataValidationError,
  type DenseNetwork,
  type DenseNetworkModel,
  describeValue,
  type FitOptions,
  InvalidParameterError,
  type Matrix,
  NotFittedError,
  Rng,
} from '../core/index.js';
import { Adam } from './adam.js';
import { checkFitInput, checkPredictInput, predictFromProba } from './estimator-input.js';
import { forward, forwardCsr, layerOffsets, logisticLoss, parameterCount } from './gradient-kernels.js';
import { checkThreads, GradientPool } from './gradient-pool.js';
import { mlpDenseNetwork, mlpInitialParameters, mlpPredictProba } from './mlp-parameters.js';
import { type CsrMatrix, checkSparseOption, type SparseOption, sparseDesign } from './sparse-rows.js';
import { stratifiedSplit } from './validation-split.js';

/** Options of `MLPClassifier`; every field has a default (scikit-learn's where it has one). */
export interface MLPClassifierOptions {
  /** Units per hidden ReLU layer. Default [32]. */
  hiddenLayerSizes?: readonly number[];
  /** Adam step size. Default 1e-3. */
  learningRate?: number;
  /** Rows per minibatch (clipped to the training rows). Default 200. */
  batchSize?: number;
  /** Maximum passes over the training rows. Default 200. */
  maxEpochs?: number;
  /** L2 penalty on the weights (not biases), scaled as scikit-learn: α·‖W‖² / (2·batch). Default 1e-4. */
  alpha?: number;
  /** Hold out a stratified validation set and keep the weights of the best validation loss. Default true. */
  earlyStopping?: boolean;
  /** Fraction of rows held out for early stopping. Default 0.1. */
  validationFraction?: number;
  /** Stop after this many epochs without an improvement of at least `tol`. Default 10. */
  nIterNoChange?: number;
  /** Minimum improvement of the monitored loss. Default 1e-4. */
  tol?: number;
  /** Seed of the initial weights, the split and the minibatch order. Default 0. */
  seed?: number;
  /** Threads computing minibatch gradients: 1 or 2. Default 1. */
  threads?: number;
  /**
   * Compute the first layer from a CSR copy of `X`: 'auto' (default) when under 30% of its entries are
   * non-zero, true always, false never. The weights are the same bit for bit either way.
   */
  sparse?: SparseOption;
}

type Resolved = Required<Omit<MLPClassifierOptions, 'hiddenLayerSizes'>> & { hiddenLayerSizes: number[] };

/**
 * A feed-forward network for binary classification: ReLU hidden layers, one sigmoid output, binary
 * cross-entropy Σ s_i·ℓ_i + ½α‖W‖² minimised by minibatch Adam with backpropagation. Hidden layers
 * start He-uniform (He et al. 2015, U(±√(6/fan_in))), the output layer Glorot-uniform (Glorot &
 * Bengio 2010, U(±√(6/(fan_in + fan_out)))), biases at 0. Early stopping monitors the validation
 * log-loss (scikit-learn monitors accuracy); without it, the training loss.
 */
export class MLPClassifier implements DenseNetworkModel {
  /** Sample weights, probabilities and a dense network are supported. */
  readonly capabilities: Capabilities = {
    sampleWeight: true,
    predictProba: true,
    perSampleGradients: false,
    denseNetwork: true,
  };
  /** The options as given. */
  readonly options: MLPClassifierOptions;
  /** Epochs run in the last fit. */
  nIter = 0;
  /** Mean training loss (penalty included) per epoch. */
  lossCurve: number[] = [];
  /** Weighted mean validation log-loss per epoch (empty without early stopping). */
  validationLossCurve: number[] = [];
  /** Layer sizes [inputs, ...hidden, 1] of the fitted network. */
  sizes: number[] | undefined;
  private params: Float64Array | undefined;

  /** Stores the options; validation happens in `fit`. */
  constructor(options: MLPClassifierOptions = {}) {
    this.options = { ...options };
  }

  /** Trains on `X`, `y` and optional sample weights; resolves to this estimator. */
  async fit(X: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<this> {
    const o = resolveOptions(this.options);
    const data = checkFitInput('MLPClassifier', X, y, options.sampleWeight);
    const rng = new Rng(o.seed);
    const sizes = [X.cols, ...o.hiddenLayerSizes, 1];
    const params = mlpInitialParameters(sizes, rng);
    const penalised = weightMask(sizes);
    const weights = data.weights.map((s) => (s * X.rows) / data.weightSum);
    const split = o.earlyStopping
      ? stratifiedSplit('MLPClassifier', y, o.validationFraction, rng)
      : { train: Uint32Array.from(y.keys()), validation: new Uint32Array(0) };
    const nTrain = split.train.length;
    const batch = Math.min(o.batchSize, nTrain);
    const adam = new Adam(params.length, { learningRate: o.learningRate });
    const grad = new Float64Array(params.length);
    this.lossCurve = [];
    this.validationLossCurve = [];
    let best = Number.POSITIVE_INFINITY;
    let bestParams = params.slice();
    let stale = 0;
    const csr = sparseDesign(o.sparse, X);
    const pool = await GradientPool.open({ kind: 'mlp', sizes }, { X, csr, y, weights }, o.threads);
    try {
      let epoch = 0;
      while (epoch < o.maxEpochs) {
        epoch++;
        pool.order.set(split.train);
        rng.shuffle(pool.order.subarray(0, nTrain));
        let epochLoss = 0;
        for (let from = 0; from < nTrain; from += batch) {
          const to = Math.min(from + batch, nTrain);
          pool.params.set(params);
          let loss = await pool.evaluate(from, to, grad);
          for (let j = 0; j < params.length; j++) {
            if (penalised[j]) {
              loss += 0.5 * o.alpha * params[j] * params[j];
              grad[j] += o.alpha * params[j];
            }
            grad[j] /= to - from;
          }
          adam.step(params, grad);
          epochLoss += loss;
        }
        if (!Number.isFinite(epochLoss)) {
          throw new DataValidationError(
            `MLPClassifier diverged in epoch ${epoch} (the loss is not finite). Lower 'learningRate' or scale the features.`,
          );
        }
        this.lossCurve.push(epochLoss / nTrain);
        const monitored = o.earlyStopping
          ? validationLoss(params, sizes, csr ?? X, y, weights, split.validation)
          : epochLoss / nTrain;
        if (o.earlyStopping) this.validationLossCurve.push(monitored);
        stale = monitored > best - o.tol ? stale + 1 : 0;
        if (monitored < best) {
          best = monitored;
          if (o.earlyStopping) bestParams = params.slice();
        }
        options.onProgress?.(epoch / o.maxEpochs);
        if (stale > o.nIterNoChange) break;
      }
      this.nIter = epoch;
    } finally {
      await pool.close();
    }
    this.params = o.earlyStopping ? bestParams : params;
    this.sizes = sizes;
    options.onProgress?.(1);
    return this;
  }

  /** P(y = 1 | x): the network's sigmoid output per row. */
  async predictProba(X: Matrix): Promise<Float64Array> {
    const { params, sizes } = this.fitted();
    checkPredictInput('MLPClassifier', X, sizes[0]);
    return mlpPredictProba(params, sizes, X);
  }

  /** 1 where P(y = 1 | x) >= threshold (default 0.5), else 0. */
  async predict(X: Matrix, threshold = 0.5): Promise<Uint8Array> {
    this.fitted();
    return predictFromProba('MLPClassifier', await this.predictProba(X), threshold);
  }

  /** The fitted layers (copies), weights row-major [inputs][outputs]. */
  toDenseNetwork(): DenseNetwork {
    const { params, sizes } = this.fitted();
    return mlpDenseNetwork(params, sizes);
  }

  private fitted(): { params: Float64Array; sizes: number[] } {
    if (this.params === undefined || this.sizes === undefined) throw new NotFittedError('MLPClassifier');
    return { params: this.params, sizes: this.sizes };
  }
}

/** 1 for weights (penalised by α), 0 for biases. */
function weightMask(sizes: readonly number[]): Uint8Array {
  const mask = new Uint8Array(parameterCount({ kind: 'mlp', sizes }, sizes[0]));
  layerOffsets(sizes).forEach((off, l) => {
    mask.fill(1, off, off + sizes[l] * sizes[l + 1]);
  });
  return mask;
}

/** Weighted mean log-loss on the validation rows (unweighted when their weights sum to 0). */
function validationLoss(
  params: Float64Array,
  sizes: number[],
  X: Matrix | CsrMatrix,
  y: Uint8Array,
  weights: Float64Array,
  rows: Uint32Array,
): number {
  const offsets = layerOffsets(sizes);
  const acts = sizes.map((s) => new Float64Array(s));
  let total = 0;
  let sum = 0;
  let plain = 0;
  for (const i of rows) {
    const z =
      'indptr' in X
        ? forwardCsr(params, sizes, offsets, X, i, acts)
        : forward(params, sizes, offsets, X.data.subarray(i * X.cols, (i + 1) * X.cols), acts);
    const loss = logisticLoss(z, y[i]);
    total += weights[i] * loss;
    sum += weights[i];
    plain += loss;
  }
  return sum > 0 ? total / sum : plain / rows.length;
}

function resolveOptions(options: MLPClassifierOptions): Resolved {
  const owner = 'MLPClassifier';
  const o: Resolved = {
    hiddenLayerSizes: [...(options.hiddenLayerSizes ?? [32])],
    learningRate: options.learningRate ?? 1e-3,
    batchSize: options.batchSize ?? 200,
    maxEpochs: options.maxEpochs ?? 200,
    alpha: options.alpha ?? 1e-4,
    earlyStopping: options.earlyStopping ?? true,
    validationFraction: options.validationFraction ?? 0.1,
    nIterNoChange: options.nIterNoChange ?? 10,
    tol: options.tol ?? 1e-4,
    seed: options.seed ?? 0,
    threads: options.threads ?? 1,
    sparse: options.sparse ?? 'auto',
  };
  if (o.hiddenLayerSizes.length === 0 || !o.hiddenLayerSizes.every((h) => Number.isInteger(h) && h >= 1)) {
    throw new InvalidParameterError(
      `The 'hiddenLayerSizes' option of ${owner} must be a non-empty array of integers >= 1. Got ${describeValue(options.hiddenLayerSizes)} instead.`,
    );
  }
  checkPositive(owner, 'learningRate', o.learningRate);
  checkInteger(owner, 'batchSize', o.batchSize, 1);
  checkInteger(owner, 'maxEpochs', o.maxEpochs, 1);
  checkNumber(owner, 'alpha', o.alpha, (v) => v >= 0, '>= 0');
  if (typeof o.earlyStopping !== 'boolean') {
    throw new InvalidParameterError(
      `The 'earlyStopping' option of ${owner} must be true or false. Got ${describeValue(o.earlyStopping)} instead.`,
    );
  }
  checkInRange(owner, 'validationFraction', o.validationFraction, 0, 1, true);
  checkInteger(owner, 'nIterNoChange', o.nIterNoChange, 1);
  checkNumber(owner, 'tol', o.tol, (v) => v >= 0, '>= 0');
  checkInteger(owner, 'seed', o.seed, 0);
  checkThreads(owner, o.threads);
  checkSparseOption(owner, o.sparse);
  return o;
}
