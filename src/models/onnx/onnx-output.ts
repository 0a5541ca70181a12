import { DataValidationError, InvalidParameterError } from '../../core/index.js';
import type { OnnxModelInfo, OnnxValueInfo } from './onnx-model-info.js';
import type { OnnxOutput } from './onnx-runtime.js';

/**
 * Picks the output that holds P(y = 1): `outputName` when given; else a float tensor named
 * `probabilities`; else the first float tensor of shape [N, 2] or [N, 1] (or of unknown width,
 * checked when run). A model with only more-than-two-class outputs, or whose probabilities come
 * out of a ZipMap (a sequence of maps, which onnxruntime-node cannot return), is rejected here.
 */
export function selectProbabilityOutput(info: OnnxModelInfo, outputName?: string, source?: string): string {
  const described = info.outputs.map(describe).join(', ');
  if (outputName !== undefined) {
    const chosen = info.outputs.find((o) => o.name === outputName);
    if (chosen === undefined) {
      throw new InvalidParameterError(
        `The 'outputName' option of OnnxClassifier must name an output of the model (${described}). Got '${outputName}' instead.`,
      );
    }
    if (!isFloatTensor(chosen)) {
      throw new DataValidationError(
        `The ONNX model's output ${describe(chosen)} cannot hold probabilities.`,
        {
          file: source,
        },
      );
    }
    checkBinary(chosen, source);
    return chosen.name;
  }
  const floats = info.outputs.filter(isFloatTensor);
  const named = floats.find((o) => o.name === 'probabilities');
  if (named !== undefined) {
    checkBinary(named, source);
    return named.name;
  }
  const fixed = floats.find(
    (o) => o.dims !== undefined && (o.dims.length === 1 || o.dims[1] === 1 || o.dims[1] === 2),
  );
  if (fixed !== undefined) return fixed.name;
  const unknownWidth = floats.find(
    (o) => o.dims === undefined || (o.dims.length === 2 && typeof o.dims[1] !== 'number'),
  );
  if (unknownWidth !== undefined) return unknownWidth.name;
  if (floats.length > 0) checkBinary(floats[0], source);
  if (info.outputs.some((o) => o.kind !== 'tensor')) {
    throw new DataValidationError(
      `The ONNX model returns its probabilities as a sequence of maps (ZipMap), which onnxruntime-node cannot return (outputs: ${described}). Re-export the model without ZipMap (skl2onnx: options={'zipmap': False}).`,
      { file: source },
    );
  }
  throw new DataValidationError(
    `The ONNX model has no float output of shape [N, 2] or [N, 1] that could hold probabilities (outputs: ${described}).`,
    { file: source },
  );
}

function isFloatTensor(o: OnnxValueInfo): o is Extract<OnnxValueInfo, { kind: 'tensor' }> {
  return o.kind === 'tensor' && (o.elemType === 'float32' || o.elemType === 'float64');
}

function checkBinary(o: Extract<OnnxValueInfo, { kind: 'tensor' }>, source?: string): void {
  const width = o.dims?.length === 2 ? o.dims[1] : undefined;
  if (typeof width === 'number' && width > 2) {
    throw new DataValidationError(
      `OnnxClassifier supports binary classifiers only; the model's output '${o.name}' has ${width} classes.`,
      { file: source },
    );
  }
  if (o.dims !== undefined && o.dims.length > 2) {
    throw new DataValidationError(
      `The ONNX model's output '${o.name}' has shape [${o.dims.join(', ')}]; expected [N, 2], [N, 1] or [N].`,
      { file: source },
    );
  }
}

function describe(o: OnnxValueInfo): string {
  if (o.kind !== 'tensor') return `'${o.name}' (${o.kind})`;
  const shape = o.dims === undefined ? '?' : o.dims.map((d) => d ?? '?').join(', ');
  return `'${o.name}' (${o.elemType} [${shape}])`;
}

/** Copies P(y = 1) from a [n, 2] (column 1), [n, 1] or [n] float tensor into `out` at `offset`. */
export function readProbabilities(
  t: OnnxOutput,
  name: string,
  n: number,
  out: Float64Array,
  offset: number,
  source?: string,
): void {
  if (!(t.data instanceof Float64Array || t.data instanceof Float32Array)) {
    throw new DataValidationError(
      `The ONNX model's output '${name}' holds ${t.type} values, not probabilities.`,
      {
        file: source,
      },
    );
  }
  const width = t.dims.length === 1 ? 1 : t.dims.length === 2 ? t.dims[1] : -1;
  if (width > 2) {
    throw new DataValidationError(
      `OnnxClassifier supports binary classifiers only; the model's output '${name}' has ${width} classes.`,
      { file: source },
    );
  }
  if (t.dims[0] !== n || width < 1) {
    throw new DataValidationError(
      `The ONNX model's output '${name}' has shape [${t.dims.join(', ')}]; expected [${n}, 2], [${n}, 1] or [${n}] for ${n} rows.`,
      { file: source },
    );
  }
  const data = t.data;
  for (let i = 0; i < n; i++) {
    const p = width === 2 ? data[i * 2 + 1] : data[i];
    if (p < 0 || p > 1) {
      throw new DataValidationError(
        `The ONNX model's output '${name}' gave ${p} for row ${offset + i + 1}, outside [0, 1]: it holds scores, not probabilities. Choose another output with the 'outputName' option.`,
        { file: source },
      );
    }
    out[offset + i] = p;
  }
}
