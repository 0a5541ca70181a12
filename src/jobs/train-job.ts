import { writeFilesAtomically } from '../core/index.js';
import type { ClassificationMetrics } from '../models/index.js';
import type { RunConfig } from './config.js';
import type { DpTrainingSummary } from './dp-training.js';
import { fitAndEvaluate, type JobHooks } from './fit-and-evaluate.js';

/** What `trainJob` produced. */
export interface TrainResult {
  /** Path of the exported ONNX pipeline. */
  model: string;
  /** Model description. */
  modelName: string;
  /** Rows trained on / held out. */
  rows: { train: number; test: number };
  /** Held-out metrics. */
  metrics: ClassificationMetrics;
  /** Largest |P_onnx − P_typescript| over the held-out rows. */
  onnxMaxAbsDiff: number;
  /** Seconds spent in `fit`. */
  trainingSeconds: number;
  /** What DP-SGD spent, when trained with `dp`. */
  dp?: DpTrainingSummary;
}

/** Trains the pipeline of a configuration on its training split and writes it as one ONNX file. */
export async function trainJob(
  config: RunConfig,
  modelPath: string,
  hooks: JobHooks = {},
): Promise<TrainResult> {
  const { profile, trained, evaluation, onnx } = await fitAndEvaluate(config, hooks);
  await writeFilesAtomically([{ path: modelPath, contents: onnx }]);
  return {
    model: modelPath,
    modelName: trained.modelName,
    rows: { train: profile.split?.train ?? 0, test: profile.split?.test ?? 0 },
    metrics: evaluation.metrics,
    onnxMaxAbsDiff: evaluation.onnxMaxAbsDiff ?? Number.NaN,
    trainingSeconds: trained.trainingSeconds,
    ...(trained.dp ? { dp: trained.dp } : {}),
  };
}
