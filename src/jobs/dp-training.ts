import { existsSync } from 'node:fs';
import { BudgetExceededError, InvalidParameterError, type Matrix } from '../core/index.js';
import { DpSgdClassifier, type DpSgdEpoch, defaultDpSgdDelta, PrivacyLedger } from '../privacy/index.js';
import type { DpTrainingConfig, ModelConfig } from './config.js';

/** What a DP-SGD training run spent, for the result, the report and the ONNX metadata. */
export interface DpTrainingSummary {
  /** Target ε. */
  targetEpsilon: number;
  /** ε spent at `delta` (RDP accountant, as Opacus). */
  epsilon: number;
  /** δ of the guarantee. */
  delta: number;
  /** Noise multiplier σ the accountant chose for the target. */
  noiseMultiplier: number;
  /** Expected lot size over training rows. */
  sampleRate: number;
  /** Noisy steps and epochs. */
  steps: number;
  epochs: number;
  /** The ledger file charged, when one was given. */
  ledger?: string;
}

/** δ of a DP-SGD model on n rows: the configured one, else the largest power of ten below 1/n. */
export function dpTrainingDelta(dp: DpTrainingConfig, rows: number): number {
  return dp.delta ?? defaultDpSgdDelta(rows);
}

/** Adam step size when none is configured: reaches the non-private optimum in 5 epochs on Adult (bench/dp-sgd.js). */
export function defaultDpLearningRate(hiddenLayerSizes: readonly number[]): number {
  return hiddenLayerSizes.length === 0 ? 0.05 : 0.01;
}

/** A DP-SGD classifier with the model configuration's architecture (its optimiser settings do not apply). */
export function createDpModel(
  model: ModelConfig,
  dp: DpTrainingConfig,
  rows: number,
  seed: number,
): DpSgdClassifier {
  const hidden = model.type === 'mlp' ? model.hiddenLayerSizes : [];
  return new DpSgdClassifier({
    hiddenLayerSizes: hidden,
    targetEpsilon: dp.epsilon,
    delta: dpTrainingDelta(dp, rows),
    epochs: dp.epochs,
    batchSize: dp.batchSize,
    maxGradNorm: dp.maxGradNorm,
    learningRate: dp.learningRate ?? defaultDpLearningRate(hidden),
    seed,
  });
}

/** Describes a DP model in a few words ("DP-SGD logistic regression (ε ≤ 3, δ = 1e-5)"). */
export function describeDpModel(model: ModelConfig, dp: DpTrainingConfig, rows: number): string {
  const arch = model.type === 'mlp' ? `MLP [${model.hiddenLayerSizes.join(', ')}]` : 'logistic regression';
  return `DP-SGD ${arch} (ε ≤ ${dp.epsilon}, δ = ${dpTrainingDelta(dp, rows)})`;
}

/**
 * Opens (or prepares to create) the ledger of a DP training run and refuses, before training, a model
 * the remaining budget cannot pay for. Returns a function that charges the fitted model's real spend.
 */
export async function prepareDpLedger(
  dp: DpTrainingConfig,
  dataset: string,
  rows: number,
): Promise<(model: DpSgdClassifier, description: string) => Promise<void>> {
  if (dp.ledger === undefined) return async () => {};
  const file = dp.ledger;
  const delta = dpTrainingDelta(dp, rows);
  let ledger: PrivacyLedger | undefined;
  if (existsSync(file)) {
    ledger = await PrivacyLedger.open(file);
  } else if (dp.budget === undefined) {
    throw new InvalidParameterError(
      `The privacy ledger '${file}' does not exist. Give a budget to create it ('dp.budget' in the config, or --budget-epsilon).`,
    );
  }
  const cost = { epsilon: dp.epsilon, delta };
  if (ledger && !ledger.canAfford(cost)) {
    const r = ledger.remaining();
    throw new BudgetExceededError(
      `The privacy budget of dataset '${ledger.dataset}' (ledger '${file}') cannot pay for a DP-SGD model at ε=${dp.epsilon}, δ=${delta}: only ε=${r.epsilon}, δ=${r.delta} remains. Nothing was trained.`,
    );
  }
  const budget = dp.budget ? { epsilon: dp.budget.epsilon, delta: dp.budget.delta ?? delta * 10 } : undefined;
  return async (model, description) => {
    const target =
      ledger ??
      (await PrivacyLedger.openOrCreate({
        file,
        dataset,
        budget: budget as { epsilon: number; delta: number },
      }));
    await target.charge({
      kind: 'training',
      description,
      epsilon: model.epsilon ?? dp.epsilon,
      delta: model.delta ?? delta,
      mechanism: 'dp-sgd (rdp accountant)',
    });
  };
}

/** The summary of a fitted DP-SGD model. */
export function dpTrainingSummary(
  model: DpSgdClassifier,
  dp: DpTrainingConfig,
  X: Matrix,
): DpTrainingSummary {
  return {
    targetEpsilon: dp.epsilon,
    epsilon: model.epsilon ?? Number.NaN,
    delta: model.delta ?? dpTrainingDelta(dp, X.rows),
    noiseMultiplier: model.noiseMultiplier ?? Number.NaN,
    sampleRate: model.sampleRate ?? Number.NaN,
    steps: model.steps,
    epochs: model.history.length,
    ...(dp.ledger ? { ledger: dp.ledger } : {}),
  };
}

/** One progress line per epoch: "epoch 2/5: ε = 1.23". */
export function describeDpEpoch(e: DpSgdEpoch, epochs: number): string {
  return `epoch ${e.epoch}/${epochs}: ε = ${e.epsilon.toFixed(3)}`;
}
