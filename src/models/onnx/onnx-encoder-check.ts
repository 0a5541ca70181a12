import { DataValidationError } from '../../core/index.js';
import { type ColumnBatch, categoryOf, type EncoderSpec, type FeatureSpec } from '../../data/index.js';
import { ENCODER_METADATA_KEY } from './export-onnx.js';
import type { OnnxModelInfo } from './onnx-model-info.js';

/**
 * The `EncoderSpec` stored under `steward.encoder` in the model's metadata, or undefined when the key
 * is absent. A value that is not a valid encoder raises DataValidationError naming `source`.
 */
export function parseEncoderMetadata(info: OnnxModelInfo, source?: string): EncoderSpec | undefined {
  const text = info.metadata[ENCODER_METADATA_KEY];
  if (text === undefined) return undefined;
  const invalid = (why: string, cause?: unknown) =>
    new DataValidationError(
      `The ONNX model's '${ENCODER_METADATA_KEY}' metadata is not a valid encoder: ${why}.`,
      { file: source },
      { cause },
    );
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw invalid('it is not JSON', error);
  }
  const { features, outputNames } = (spec ?? {}) as { features?: unknown; outputNames?: unknown };
  if (!Array.isArray(features) || !Array.isArray(outputNames))
    throw invalid("it needs 'features' and 'outputNames' arrays");
  const inputs = new Set(info.inputs.map((i) => i.name));
  for (const f of features as FeatureSpec[]) {
    const ok =
      typeof f?.column === 'string' &&
      (f.kind === 'numeric' ||
        (f.kind === 'categorical' &&
          Array.isArray(f.categories) &&
          (f.unknown === 'ignore' || f.unknown === 'error')));
    if (!ok) throw invalid(`feature ${JSON.stringify(f)} is malformed`);
    if (!inputs.has(f.column)) throw invalid(`feature column '${f.column}' is not an input of the model`);
  }
  return spec as EncoderSpec;
}

/**
 * Checks raw columns the way `applyEncoder` does before the graph sees them, with the same errors:
 * numeric cells must be finite, and categories of features with the 'error' policy must be known
 * (the ONNX graph itself encodes unknown categories as zeros).
 */
export function checkColumnsForEncoder(spec: EncoderSpec, batch: ColumnBatch, source?: string): void {
  for (const f of spec.features) {
    const col = batch.columns[f.column];
    if (col === undefined) continue; // reported by the caller, which resolves every input
    if (f.kind === 'numeric') {
      for (let i = 0; i < batch.rows; i++) {
        const raw = col[i];
        const v = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(v)) {
          throw new DataValidationError(`Expected a finite number. Got '${String(raw)}' instead.`, {
            file: source,
            row: i + 1,
            column: f.column,
          });
        }
      }
    } else if (f.unknown === 'error') {
      const known = new Set(f.categories);
      for (let i = 0; i < batch.rows; i++) {
        const c = categoryOf(col[i]);
        if (!known.has(c)) {
          throw new DataValidationError(
            `Category '${c}' was not seen during fit; expected one of ${f.categories.length} known categories (${f.categories.slice(0, 5).join(', ')}${f.categories.length > 5 ? ', ...' : ''}).`,
            { file: source, row: i + 1, column: f.column },
          );
        }
      }
    }
  }
}
