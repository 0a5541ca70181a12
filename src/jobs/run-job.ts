import { join } from 'node:path';
import { stewardVersion, writeFilesAtomically } from '../core/index.js';
import type { DatasetProfile } from '../data/index.js';
import {
  datasetSection,
  downsampleCurve,
  type EvaluationResult,
  evaluationSection,
  type Report,
  renderHtml,
  runInfoSection,
} from '../report/index.js';
import type { RunConfig } from './config.js';
import { fitAndEvaluate, type JobHooks } from './fit-and-evaluate.js';

/** What `runJob` produced. */
export interface RunResult {
  /** The dataset profile. */
  profile: DatasetProfile;
  /** Held-out evaluation of the model. */
  evaluation: EvaluationResult;
  /** Paths written: report.html, report.json, model.onnx. */
  outputs: { html: string; json: string; model: string };
  /** Wall time of each step. */
  steps: { step: string; seconds: number }[];
  /** Wall time of the whole run. */
  durationSeconds: number;
}

/**
 * The main job (`steward run`, `npm start`): `fitAndEvaluate`, then write report.html, report.json
 * and model.onnx together (all or none).
 */
export async function runJob(config: RunConfig, hooks: JobHooks = {}): Promise<RunResult> {
  const { spec, profile, trained, evaluation, onnx, timer } = await fitAndEvaluate(config, hooks);
  const outputs = {
    html: join(config.outDir, 'report.html'),
    json: join(config.outDir, 'report.json'),
    model: join(config.outDir, 'model.onnx'),
  };
  const durationSeconds = timer.total();
  const steps = timer.steps();
  const generatedAt = new Date().toISOString();
  const roc = downsampleCurve(evaluation.roc.fpr, evaluation.roc.tpr);
  const compact: EvaluationResult = { ...evaluation, roc: { fpr: roc.fpr, tpr: roc.tpr } };
  const report: Report = {
    title: `Steward report: ${spec.name}`,
    subtitle: `${trained.modelName} predicting ${spec.label} = ${spec.positiveLabel}; protected: ${spec.protectedAttributes.join(', ')}`,
    generatedAt,
    meta: { dataset: spec.name, model: trained.modelName, steward: stewardVersion() },
    sections: [
      datasetSection(profile),
      evaluationSection(compact, { labels: [`not ${spec.positiveLabel}`, String(spec.positiveLabel)] }),
      runInfoSection({
        command: 'steward run',
        version: stewardVersion(),
        seed: config.seed,
        durationSeconds,
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        outputs: Object.values(outputs),
      }),
    ],
  };
  const json = {
    steward: stewardVersion(),
    command: 'run',
    generatedAt,
    config,
    dataset: profile,
    evaluation: compact,
    steps,
    durationSeconds,
    outputs,
  };
  await timer.time('report', () =>
    writeFilesAtomically([
      { path: outputs.model, contents: onnx },
      { path: outputs.json, contents: `${JSON.stringify(json, null, 2)}\n` },
      { path: outputs.html, contents: renderHtml(report) },
    ]),
  );
  return { profile, evaluation, outputs, steps: timer.steps(), durationSeconds: timer.total() };
}
