import type { Matrix } from './matrix.js';

/** What an estimator can do; shared code asks these flags, never `instanceof`. */
export interface Capabilities {
  /** `fit` honours `sampleWeight`. */
  readonly sampleWeight: boolean;
  /** `predictProba` returns calibrated-ish probabilities, not just labels. */
  readonly predictProba: boolean;
  /** The estimator can return one gradient per sample (needed by DP-SGD). */
  readonly perSampleGradients: boolean;
  /** The fitted model can be described as a `DenseNetwork` (and so exported to ONNX or SQL). */
  readonly denseNetwork: boolean;
}

/** Options of one `fit` call. */
export interface FitOptions {
  /** Non-negative weight per training row; defaults to 1 for every row. */
  sampleWeight?: Float64Array;
  /** Called with progress in [0, 1] during long fits (for progress bars). */
  onProgress?: (fraction: number) => void;
}

/**
 * The binary classifier contract (scikit-learn style). The constructor only stores options; `fit`
 * learns and resolves to the estimator; `predict`/`predictProba` before `fit` reject with
 * `NotFittedError`. Labels are 0/1 where 1 is the positive (favourable) class. Methods are async
 * so the same contract covers TypeScript models, worker-thread training and ONNX Runtime sessions.
 */
export interface BinaryClassifier {
  /** What this estimator supports. */
  readonly capabilities: Capabilities;
  /** Learns from `X` (rows × features) and 0/1 labels `y`; resolves to `this`. */
  fit(X: Matrix, y: Uint8Array, options?: FitOptions): Promise<this>;
  /** P(y = 1 | x) for each row of `X`. */
  predictProba(X: Matrix): Promise<Float64Array>;
  /** 0/1 decision per row: 1 when P(y = 1 | x) >= threshold (default 0.5). */
  predict(X: Matrix, threshold?: number): Promise<Uint8Array>;
}

/** One fully connected layer: `out = act(x · W + b)` with W stored row-major as [inputs][outputs]. */
export interface DenseLayer {
  /** Number of inputs. */
  readonly inputs: number;
  /** Number of outputs. */
  readonly outputs: number;
  /** Weights, row-major [inputs][outputs]: W[i][o] = weights[i * outputs + o]. */
  readonly weights: Float64Array;
  /** Bias per output. */
  readonly bias: Float64Array;
}

/**
 * A fitted feed-forward network for binary classification: ReLU between layers, one output unit,
 * sigmoid at the end. Logistic regression is the one-layer case. Exporters (ONNX, SQL) consume this.
 */
export interface DenseNetwork {
  /** The layers in order; the last has `outputs === 1`. */
  readonly layers: readonly DenseLayer[];
  /** Activation between layers. */
  readonly hiddenActivation: 'relu';
  /** Activation of the single output unit. */
  readonly outputActivation: 'sigmoid';
}

/** An estimator whose fitted model is a `DenseNetwork`. */
export interface DenseNetworkModel extends BinaryClassifier {
  /** The fitted network; throws NotFittedError before `fit`. */
  toDenseNetwork(): DenseNetwork;
}

/** True when `model` declares and implements `toDenseNetwork`. */
export function hasDenseNetwork(model: BinaryClassifier): model is DenseNetworkModel {
  return (
    model.capabilities.denseNetwork &&
    typeof (model as Partial<DenseNetworkModel>).toDenseNetwork === 'function'
  );
}
