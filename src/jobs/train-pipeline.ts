import type { DenseNetworkModel, Matrix } from '../core/index.js';
import {
  applyEncoder,
  type ColumnBatch,
  type Dataset,
  type EncoderSpec,
  fitEncoder,
  type RowSelection,
} from '../data/index.js';
import { LogisticRegression, MLPClassifier } from '../models/index.js';
import type { DpTrainingConfig, ModelConfig } from './config.js';
import {
  createDpModel,
  type DpTrainingSummary,
  describeDpEpoch,
  describeDpModel,
  dpTrainingSummary,
  prepareDpLedger,
} from './dp-training.js';

/** A fitted pipeline: the encoder and the model trained on its output. */
export interface TrainedPipeline {
  /** Fitted encoder (exported with the model). */
  encoder: EncoderSpec;
  /** Fitted model. */
  model: DenseNetworkModel;
  /** Human-readable model description. */
  modelName: string;
  /** Seconds spent in `fit`. */
  trainingSeconds: number;
  /** Rows trained on. */
  trainRows: number;
  /** The training rows, raw and encoded, and their 0/1 labels (for the privacy and explanation steps). */
  training: { batch: ColumnBatch; X: Matrix; y: Uint8Array };
  /** What DP-SGD spent, when the model was trained with differential privacy. */
  dp?: DpTrainingSummary;
}

/** Options of `trainPipeline`. */
export interface TrainPipelineOptions {
  /** Model choice and hyper-parameters. */
  model: ModelConfig;
  /** Policy for categories unseen at training time. */
  unknownCategories: 'ignore' | 'error';
  /** Seed of the model. */
  seed: number;
  /** Which rows to train on (default: the training side of the split). */
  rows?: RowSelection;
  /** Progress in [0, 1] during `fit`. */
  onProgress?: (fraction: number) => void;
  /** Train with DP-SGD instead of the model's optimiser (see `DpTrainingConfig`). */
  dp?: DpTrainingConfig;
  /** Dataset name (the DP ledger's key). */
  dataset?: string;
  /** One line per DP-SGD epoch with the ε spent so far. */
  onEpoch?: (line: string) => void;
}

/** Creates an unfitted model from its configuration. */
export function createModel(config: ModelConfig, seed: number): DenseNetworkModel {
  if (config.type === 'logistic-regression') {
    return new LogisticRegression({ C: config.C, maxIter: config.maxIter, threads: config.threads, seed });
  }
  const { type: _type, ...options } = config;
  return new MLPClassifier({ ...options, seed });
}

/** Describes a model configuration in a few words (for reports). */
export function describeModel(config: ModelConfig): string {
  return config.type === 'logistic-regression'
    ? `LogisticRegression(C=${config.C})`
    : `MLPClassifier(hidden=[${config.hiddenLayerSizes.join(', ')}])`;
}

/** Reads the feature columns of a row selection and encodes them with a fitted encoder. */
export async function encodeRows(ds: Dataset, encoder: EncoderSpec, rows: RowSelection): Promise<Matrix> {
  const batch = await ds.read(
    encoder.features.map((f) => f.column),
    rows,
  );
  return applyEncoder(encoder, batch, ds.source);
}

/** Fits the encoder and the model on the training rows of a dataset. */
export async function trainPipeline(ds: Dataset, options: TrainPipelineOptions): Promise<TrainedPipeline> {
  const rows = options.rows ?? (ds.splitInfo ? 'train' : 'all');
  const { numeric, categorical } = ds.featureColumns();
  const batch = await ds.read([...numeric, ...categorical], rows);
  const encoder = fitEncoder(batch, {
    numeric,
    categorical,
    unknown: options.unknownCategories,
    source: ds.source,
  });
  const X = applyEncoder(encoder, batch, ds.source);
  const y = await ds.labels(rows);
  const dp = options.dp;
  if (dp) {
    const modelName = describeDpModel(options.model, dp, X.rows);
    const charge = await prepareDpLedger(dp, options.dataset ?? ds.source, X.rows);
    const model = createDpModel(options.model, dp, X.rows, options.seed);
    const started = performance.now();
    await model.fit(X, y, {
      onProgress: options.onProgress,
      onEpoch: (e) => options.onEpoch?.(describeDpEpoch(e, dp.epochs)),
    });
    const trainingSeconds = (performance.now() - started) / 1000;
    await charge(model, `${modelName}, ${dp.epochs} epochs`);
    const summary = dpTrainingSummary(model, dp, X);
    return {
      encoder,
      model,
      modelName,
      trainingSeconds,
      trainRows: X.rows,
      training: { batch, X, y },
      dp: summary,
    };
  }
  const model = createModel(options.model, options.seed);
  const started = performance.now();
  await model.fit(X, y, { onProgress: options.onProgress });
  const trainingSeconds = (performance.now() - started) / 1000;
  return {
    encoder,
    model,
    modelName: describeModel(options.model),
    trainingSeconds,
    trainRows: X.rows,
    training: { batch, X, y },
  };
}
