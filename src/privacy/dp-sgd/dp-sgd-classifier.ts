import {
  type Capabilities,
  DataValidationError,
  type DenseNetwork,
  type DenseNetworkModel,
  describeValue,
  type FitOptions,
  InvalidParameterError,
  type Matrix,
  NotFittedError,
  Rng,
} from '../../core/index.js';
import {
  Adam,
  checkFitInput,
  checkPredictInput,
  mlpDenseNetwork,
  mlpInitialParameters,
  mlpPredictProba,
  parameterCount,
  predictFromProba,
  sparseDesign,
} from '../../models/index.js';
import { noiseMultiplierFor, RdpAccountant } from '../accountant/index.js';
import {
  type DpSgdClassifierOptions,
  type DpSgdEpoch,
  defaultDpSgdDelta,
  dpSgdSampleRate,
  resolveDpSgdOptions,
} from './dp-sgd-options.js';
import { type DpSgdRandom, dpSgdPoissonLot, secureDpSgdRandom, seededDpSgdRandom } from './dp-sgd-random.js';
import { DpSgdPerSampleBackprop, dpSgdPerSampleGradients } from './per-sample-backprop.js';

/** Options of one `DpSgdClassifier.fit` call. */
export interface DpSgdFitOptions extends FitOptions {
  /** Called after every epoch with the ε spent so far (for a live display). */
  onEpoch?: (epoch: DpSgdEpoch) => void;
}

const OWNER = 'DpSgdClassifier';

/**
 * Differentially private SGD (Abadi et al. 2016, "Deep learning with differential privacy") for
 * logistic regression (`hiddenLayerSizes: []`) and ReLU MLPs. Each step draws a Poisson lot (each row
 * with probability q = L/n), clips every per-sample gradient to g_i·min(1, C/‖g_i‖), and steps with
 * g̃ = (Σ_i clipped g_i + N(0, σ²C²I)) / L, L the expected lot size (Opacus's default). The privacy of
 * the T = epochs·round(1/q) steps is tracked by the RDP accountant of the subsampled Gaussian
 * (Mironov, Talwar & Zhang 2019). Initial weights: zeros for logistic regression, He/Glorot-uniform
 * as `MLPClassifier` otherwise; `toDenseNetwork` has `MLPClassifier`'s layout, so ONNX export works.
 * With `secureNoise: false` the lots come from `new Rng(seed)`'s second fork and the noise from its
 * third (the first initialises the weights), so runs are bit-identical and tests can replay them.
 */
export class DpSgdClassifier implements DenseNetworkModel {
  /** Per-sample gradients and a dense network; sample weights are refused (they would change each row's sensitivity). */
  readonly capabilities: Capabilities = {
    sampleWeight: false,
    predictProba: true,
    perSampleGradients: true,
    denseNetwork: true,
  };
  /** The options as given. */
  readonly options: DpSgdClassifierOptions;
  /** One entry per epoch of the last fit: ε so far and the lot loss. */
  history: DpSgdEpoch[] = [];
  /** σ used by the last fit (given, or found from `targetEpsilon`). */
  noiseMultiplier: number | undefined;
  /** q = L / n of the last fit. */
  sampleRate: number | undefined;
  /** δ of the last fit. */
  delta: number | undefined;
  /** Noisy steps of the last fit. */
  steps = 0;
  /** Layer sizes [inputs, ...hidden, 1] of the fitted network. */
  sizes: number[] | undefined;
  private params: Float64Array | undefined;

  /** Stores the options; validation happens in `fit`. */
  constructor(options: DpSgdClassifierOptions = {}) {
    this.options = { ...options };
  }

  /** ε spent by the last fit at its δ (Infinity when σ = 0); throws NotFittedError before `fit`. */
  get epsilon(): number {
    const last = this.history[this.history.length - 1];
    if (last === undefined) throw new NotFittedError(OWNER);
    return last.epsilon;
  }

  /** Trains with DP-SGD; `sampleWeight` is refused. Resolves to this estimator. */
  async fit(X: Matrix, y: Uint8Array, options: DpSgdFitOptions = {}): Promise<this> {
    if (options.sampleWeight !== undefined) {
      throw new InvalidParameterError(
        `The 'sampleWeight' option of ${OWNER}.fit is not supported: a weight would scale a row's clipped gradient beyond C and void the privacy guarantee. Got ${describeValue(options.sampleWeight.length)} weights instead; drop the option (or resample rows).`,
      );
    }
    const o = resolveDpSgdOptions(this.options);
    checkFitInput(OWNER, X, y);
    const n = X.rows;
    const q = dpSgdSampleRate(o.batchSize, n);
    const stepsPerEpoch = Math.max(1, Math.round(1 / q));
    const totalSteps = o.epochs * stepsPerEpoch;
    const delta = o.delta ?? defaultDpSgdDelta(n);
    const sigma =
      o.noiseMultiplier ??
      noiseMultiplierFor({
        targetEpsilon: o.targetEpsilon as number,
        delta,
        sampleRate: q,
        steps: totalSteps,
      });
    const rng = new Rng(o.seed);
    const sizes = [X.cols, ...o.hiddenLayerSizes, 1];
    const params = initialParameters(sizes, rng.fork());
    const sampleRng = rng.fork();
    const noiseRng = rng.fork();
    const lots: DpSgdRandom = o.secureNoise ? secureDpSgdRandom() : seededDpSgdRandom(sampleRng);
    const noise: DpSgdRandom = o.secureNoise ? lots : seededDpSgdRandom(noiseRng);
    const bp = new DpSgdPerSampleBackprop(sizes);
    const grad = new Float64Array(bp.size);
    const lot = new Uint32Array(n);
    const adam = o.optimizer === 'adam' ? new Adam(bp.size, { learningRate: o.learningRate }) : undefined;
    const accountant = new RdpAccountant();
    const csr = sparseDesign('auto', X);
    const C = o.maxGradNorm;
    const noiseStd = sigma * C;
    this.history = [];
    let steps = 0;
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      let lossSum = 0;
      let seen = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const count = dpSgdPoissonLot(lots, n, q, lot);
        grad.fill(0);
        for (let k = 0; k < count; k++) {
          const i = lot[k];
          lossSum += bp.evaluate(params, X, csr, i, y[i]);
          const norm = Math.sqrt(bp.squaredNorm());
          bp.accumulate(grad, norm > C ? C / norm : 1);
        }
        seen += count;
        if (noiseStd > 0) for (let j = 0; j < grad.length; j++) grad[j] += noiseStd * noise.normal();
        for (let j = 0; j < grad.length; j++) grad[j] /= o.batchSize;
        if (adam) adam.step(params, grad);
        else for (let j = 0; j < params.length; j++) params[j] -= o.learningRate * grad[j];
        steps++;
        if (sigma > 0) accountant.step({ noiseMultiplier: sigma, sampleRate: q });
      }
      if (!params.every(Number.isFinite)) {
        throw new DataValidationError(
          `${OWNER} diverged in epoch ${epoch} (a weight is not finite). Lower 'learningRate' or scale the features.`,
        );
      }
      const spent = sigma > 0 ? accountant.getEpsilon(delta) : { epsilon: Infinity, alpha: Number.NaN };
      const record: DpSgdEpoch = {
        epoch,
        steps,
        epsilon: spent.epsilon,
        alpha: spent.alpha,
        loss: seen > 0 ? lossSum / seen : Number.NaN,
      };
      this.history.push(record);
      options.onEpoch?.(record);
      options.onProgress?.(epoch / o.epochs);
      // Yield once per epoch so a CLI spinner or progress bar can redraw.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.params = params;
    this.sizes = sizes;
    this.noiseMultiplier = sigma;
    this.sampleRate = q;
    this.delta = delta;
    this.steps = steps;
    return this;
  }

  /** P(y = 1 | x): the network's sigmoid output per row. */
  async predictProba(X: Matrix): Promise<Float64Array> {
    const { params, sizes } = this.fitted();
    checkPredictInput(OWNER, X, sizes[0]);
    return mlpPredictProba(params, sizes, X);
  }

  /** 1 where P(y = 1 | x) >= threshold (default 0.5), else 0. */
  async predict(X: Matrix, threshold = 0.5): Promise<Uint8Array> {
    this.fitted();
    return predictFromProba(OWNER, await this.predictProba(X), threshold);
  }

  /** The per-sample log-loss gradients at the fitted weights, rows × parameters (unclipped). */
  perSampleGradients(X: Matrix, y: Uint8Array): Matrix {
    const { params, sizes } = this.fitted();
    checkPredictInput(OWNER, X, sizes[0]);
    return dpSgdPerSampleGradients(sizes, params, X, y);
  }

  /** The fitted layers (copies), weights row-major [inputs][outputs], as `MLPClassifier`. */
  toDenseNetwork(): DenseNetwork {
    const { params, sizes } = this.fitted();
    return mlpDenseNetwork(params, sizes);
  }

  /** A copy of the fitted parameters in `MLPClassifier`'s flat layout. */
  parameters(): Float64Array {
    return this.fitted().params.slice();
  }

  private fitted(): { params: Float64Array; sizes: number[] } {
    if (this.params === undefined || this.sizes === undefined) throw new NotFittedError(OWNER);
    return { params: this.params, sizes: this.sizes };
  }
}

/** Zeros for logistic regression; else `MLPClassifier`'s He/Glorot-uniform weights and zero biases. */
function initialParameters(sizes: readonly number[], rng: Rng): Float64Array {
  if (sizes.length === 2) return new Float64Array(parameterCount({ kind: 'mlp', sizes }, sizes[0]));
  return mlpInitialParameters(sizes, rng);
}
