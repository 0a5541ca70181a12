import { readFile } from 'node:fs/promises';
import { DataValidationError } from '../core/index.js';
import { type EncoderSpec, PRESET_NAMES, presetSpec } from '../data/index.js';
import { OnnxClassifier } from '../models/onnx/index.js';

/** A Steward-exported ONNX pipeline, loaded into ONNX Runtime with what its metadata says. */
export interface StewardModel {
  /** The ONNX Runtime adapter (call `dispose()` when done). */
  model: OnnxClassifier;
  /** The fitted encoder: which raw columns the model reads, and how. */
  encoder: EncoderSpec;
  /** The decision threshold stored with the model (0.5 when none is). */
  threshold: number;
  /** The label value the model scores the probability of, when stored. */
  positiveLabel?: string;
  /**
   * SQL for derived columns of the bundled preset the model was trained on (German credit's `sex`,
   * `age_group`), so raw rows of that dataset can be scored. Only presets' own expressions are used:
   * SQL is never taken from a model file.
   */
  derive?: Record<string, string>;
}

/**
 * Loads a Steward-exported ONNX model from a file. A missing file or an ONNX file without Steward's
 * encoder metadata (so the columns it expects are unknown) is a DataValidationError naming the file.
 */
export async function loadStewardModel(path: string): Promise<StewardModel> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new DataValidationError('The model file was not found. Check the path.', { file: path });
  }
  const model = await OnnxClassifier.load(bytes);
  const encoder = model.encoder;
  if (encoder === undefined) {
    model.dispose();
    throw new DataValidationError(
      'This ONNX file was not exported by Steward (it has no steward.encoder metadata), so the columns it expects are unknown. Use the steward/models/onnx library API with a feature matrix instead.',
      { file: path },
    );
  }
  const stored = Number(model.metadata['steward.threshold']);
  const dataset = model.metadata['steward.dataset'];
  return {
    model,
    encoder,
    threshold: Number.isFinite(stored) ? stored : 0.5,
    positiveLabel: model.metadata['steward.positive_label'],
    derive:
      dataset !== undefined && (PRESET_NAMES as readonly string[]).includes(dataset)
        ? presetSpec(dataset).derive
        : undefined,
  };
}
