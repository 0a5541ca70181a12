import type { Matrix } from '../core/index.js';
import {
  applyEncoder,
  type ColumnBatch,
  type DatasetProfile,
  type DatasetSpec,
  openDataset,
} from '../data/index.js';
import { exportPipelineToOnnx, OnnxClassifier } from '../models/onnx/index.js';
import type { EvaluationResult } from '../report/index.js';
import { datasetSpecOf, type RunConfig } from './config.js';
import { evaluatePredictions } from './evaluate.js';
import { StepTimer } from './step-timer.js';
import { type TrainedPipeline, trainPipeline } from './train-pipeline.js';

/** Hooks a caller (the CLI) uses to show progress. */
export interface JobHooks {
  /** A step starts (e.g. "train"). */
  onStep?: (step: string, detail?: string) => void;
  /** Progress of the current step in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

/** Everything `fitAndEvaluate` produced, before anything is written. */
export interface FittedRun {
  /** The dataset spec used. */
  spec: DatasetSpec;
  /** Dataset profile (with the split). */
  profile: DatasetProfile;
  /** Encoder and model. */
  trained: TrainedPipeline;
  /** Held-out evaluation, including the ONNX check. */
  evaluation: EvaluationResult;
  /** The held-out rows evaluated: encoded features, 0/1 labels, P(y = 1) and the protected columns. */
  test: { X: Matrix; batch: ColumnBatch; labels: Uint8Array; proba: Float64Array; groups: ColumnBatch };
  /** The exported pipeline as an ONNX file. */
  onnx: Uint8Array;
  /** Step timer (keeps running for later steps). */
  timer: StepTimer;
}

/**
 * Load the dataset into DuckDB → seeded stratified split → fit encoder and model on the training
 * rows → evaluate on the held-out rows → export the pipeline to ONNX and check that ONNX Runtime
 * reproduces the TypeScript probabilities (the largest difference goes into the evaluation).
 */
export async function fitAndEvaluate(
  config: RunConfig,
  hooks: JobHooks = {},
  beforeTraining?: (spec: DatasetSpec, trainRows: number) => Promise<void>,
): Promise<FittedRun> {
  const timer = new StepTimer(hooks.onStep);
  const spec = datasetSpecOf(config);
  const ds = await timer.time('load', () => openDataset(spec), spec.name);
  try {
    await timer.time('split', () =>
      ds.split({
        testFraction: config.split.testFraction,
        seed: config.seed,
        stratifyBy: config.split.stratifyBy,
      }),
    );
    const profile = await timer.time('profile', () => ds.profile());
    await beforeTraining?.(spec, profile.split?.train ?? profile.rows);
    const trained = await timer.time('train', () =>
      trainPipeline(ds, {
        model: config.model,
        unknownCategories: config.unknownCategories,
        seed: config.seed,
        onProgress: hooks.onProgress,
        ...(config.dp
          ? { dp: config.dp, dataset: spec.name, onEpoch: (line) => hooks.onStep?.('train', line) }
          : {}),
      }),
    );
    const { evaluation, testBatch, proba, test } = await timer.time('evaluate', async () => {
      // One read of the test rows' feature columns serves the TypeScript model and the ONNX check.
      const batch = await ds.read(
        trained.encoder.features.map((f) => f.column),
        'test',
      );
      const X = applyEncoder(trained.encoder, batch, ds.source);
      const probabilities = await trained.model.predictProba(X);
      const held = {
        X,
        batch,
        labels: await ds.labels('test'),
        proba: probabilities,
        groups: await ds.read(spec.protectedAttributes, 'test'),
      };
      const result = evaluatePredictions({
        model: trained.modelName,
        labels: held.labels,
        proba: probabilities,
        threshold: config.threshold,
        groups: held.groups,
        trainingSeconds: trained.trainingSeconds,
      });
      return { evaluation: result, testBatch: batch, proba: probabilities, test: held };
    });
    const onnx = await timer.time('export', async () => {
      const bytes = exportPipelineToOnnx({
        encoder: trained.encoder,
        network: trained.model.toDenseNetwork(),
        metadata: {
          'steward.dataset': spec.name,
          'steward.label': spec.label,
          'steward.positive_label': String(spec.positiveLabel),
          'steward.protected_attributes': spec.protectedAttributes.join(','),
          'steward.model': trained.modelName,
          'steward.threshold': String(config.threshold),
          ...(trained.dp
            ? {
                'steward.dp.epsilon': String(trained.dp.epsilon),
                'steward.dp.delta': String(trained.dp.delta),
                'steward.dp.noise_multiplier': String(trained.dp.noiseMultiplier),
              }
            : {}),
        },
      });
      const runtime = await OnnxClassifier.load(bytes);
      try {
        const viaOnnx = await runtime.predictProbaBatch(testBatch);
        let maxDiff = 0;
        for (let i = 0; i < proba.length; i++) maxDiff = Math.max(maxDiff, Math.abs(viaOnnx[i] - proba[i]));
        return { bytes, maxDiff };
      } finally {
        runtime.dispose();
      }
    });
    evaluation.onnxMaxAbsDiff = onnx.maxDiff;
    return { spec, profile, trained, evaluation, test, onnx: onnx.bytes, timer };
  } finally {
    ds.close();
  }
}
