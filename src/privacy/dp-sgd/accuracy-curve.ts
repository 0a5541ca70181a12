import { checkPositive, InvalidParameterError, type Matrix } from '../../core/index.js';
import { DpSgdClassifier } from './dp-sgd-classifier.js';
import { type DpSgdClassifierOptions, defaultDpSgdDelta, dpSgdSampleRate } from './dp-sgd-options.js';

/** Input of `dpSgdAccuracyCurve`: a train/test split and the ε values to train at. */
export interface DpSgdAccuracyCurveInput
  extends Omit<DpSgdClassifierOptions, 'noiseMultiplier' | 'targetEpsilon'> {
  /** Training features. */
  Xtrain: Matrix;
  /** Training labels (0/1). */
  ytrain: Uint8Array;
  /** Held-out features. */
  Xtest: Matrix;
  /** Held-out labels (0/1). */
  ytest: Uint8Array;
  /** Target ε per private model. Default [1, 3, 8]. */
  epsilons?: readonly number[];
  /** Called with each fitted model and its point (e.g. to attack it for membership); awaited. */
  onModel?: (model: DpSgdClassifier, point: DpSgdCurvePoint) => void | Promise<void>;
}

/** One model of the curve (plain JSON: no typed arrays). */
export interface DpSgdCurvePoint {
  /** Target ε (null for the non-private baseline). */
  epsilon: number | null;
  /** ε actually spent at `delta` after all steps (<= epsilon; null for the baseline). */
  epsilonSpent: number | null;
  /** Held-out accuracy at threshold 0.5. */
  accuracy: number;
  /** σ picked for the target ε (0 for the baseline). */
  noiseMultiplier: number;
  /** Epochs trained. */
  epochs: number;
  /** Noisy steps taken. */
  steps: number;
  /** Wall-clock seconds of `fit`. */
  fitSeconds: number;
}

/** The accuracy-vs-ε curve of DP-SGD next to the same trainer without privacy. */
export interface DpSgdAccuracyCurve {
  /** δ of every private point. */
  delta: number;
  /** Expected lot size over training rows. */
  sampleRate: number;
  /** Hidden layers of every model ([] = logistic regression). */
  hiddenLayerSizes: number[];
  /** One point per target ε, in the order given. */
  points: DpSgdCurvePoint[];
  /** The same trainer, lots, epochs and step size with σ = 0 and no clipping (C = Number.MAX_VALUE). */
  baseline: DpSgdCurvePoint;
}

/**
 * Trains one DP-SGD model per target ε (σ from the RDP accountant's inverse) and one non-private
 * baseline with the same options, and reports held-out accuracy for each: the utility cost of privacy
 * (Abadi et al. 2016, Fig. 4). Returns plain JSON for reports and the CLI.
 */
export async function dpSgdAccuracyCurve(input: DpSgdAccuracyCurveInput): Promise<DpSgdAccuracyCurve> {
  const { Xtrain, ytrain, Xtest, ytest, epsilons = [1, 3, 8], onModel, ...options } = input;
  if (!Array.isArray(epsilons) || epsilons.length === 0) {
    throw new InvalidParameterError(
      `The 'epsilons' option of dpSgdAccuracyCurve must be a non-empty array of numbers > 0. Got ${JSON.stringify(epsilons)} instead.`,
    );
  }
  for (const e of epsilons) checkPositive('dpSgdAccuracyCurve', 'epsilons', e);
  const run = async (extra: DpSgdClassifierOptions, target: number | null): Promise<DpSgdCurvePoint> => {
    const model = new DpSgdClassifier({ ...options, ...extra });
    const started = performance.now();
    await model.fit(Xtrain, ytrain);
    const fitSeconds = (performance.now() - started) / 1000;
    const predicted = await model.predict(Xtest);
    let correct = 0;
    for (let i = 0; i < ytest.length; i++) if (predicted[i] === ytest[i]) correct++;
    const point: DpSgdCurvePoint = {
      epsilon: target,
      epsilonSpent: target === null ? null : model.epsilon,
      accuracy: correct / ytest.length,
      noiseMultiplier: model.noiseMultiplier ?? 0,
      epochs: model.history.length,
      steps: model.steps,
      fitSeconds,
    };
    await onModel?.(model, point);
    return point;
  };
  const points: DpSgdCurvePoint[] = [];
  for (const e of epsilons) points.push(await run({ targetEpsilon: e }, e));
  const baseline = await run({ noiseMultiplier: 0, maxGradNorm: Number.MAX_VALUE }, null);
  return {
    delta: options.delta ?? defaultDpSgdDelta(Xtrain.rows),
    sampleRate: dpSgdSampleRate(options.batchSize ?? 256, Xtrain.rows),
    hiddenLayerSizes: [...(options.hiddenLayerSizes ?? [])],
    points,
    baseline,
  };
}
