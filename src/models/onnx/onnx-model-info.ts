import { DataValidationError } from '../../core/index.js';
import { onnx, type ValueInfoProtoInit } from './onnx-graph.js';

/** Element type of a tensor, named as onnxruntime names it (`float32`, `float64`, `string`, ...). */
export type OnnxElementType =
  | 'float32'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'string'
  | 'bool'
  | 'float16'
  | 'float64'
  | 'uint32'
  | 'uint64'
  | 'unknown';

/** A graph input or output: a tensor with element type and shape, or a non-tensor (sequence, map). */
export type OnnxValueInfo =
  | {
      /** Value name. */
      readonly name: string;
      /** A tensor. */
      readonly kind: 'tensor';
      /** Element type. */
      readonly elemType: OnnxElementType;
      /** Shape: fixed sizes as numbers, symbolic ones as names, unknown as null; undefined when the rank is unknown. */
      readonly dims: readonly (number | string | null)[] | undefined;
    }
  | {
      /** Value name. */
      readonly name: string;
      /** A sequence, map or other non-tensor value (such as ZipMap's sequence of maps). */
      readonly kind: 'sequence' | 'map' | 'other';
    };

/** What Steward reads from an ONNX file without running it (onnxruntime-node exposes no metadata_props). */
export interface OnnxModelInfo {
  /** IR version. */
  readonly irVersion: number;
  /** Tool that produced the model (`steward`, `skl2onnx`, ...). */
  readonly producerName: string;
  /** Version of that tool. */
  readonly producerVersion: string;
  /** Imported opsets by domain ('' is the default ONNX domain). */
  readonly opsets: Readonly<Record<string, number>>;
  /** Graph inputs that are fed at run time (initializers listed as inputs are left out). */
  readonly inputs: readonly OnnxValueInfo[];
  /** Graph outputs. */
  readonly outputs: readonly OnnxValueInfo[];
  /** metadata_props as a plain object. */
  readonly metadata: Readonly<Record<string, string>>;
}

const ELEM_TYPES: Record<number, OnnxElementType> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

/**
 * Parses an ONNX ModelProto (with `onnx-proto`) and describes its inputs, outputs and metadata.
 * Bytes that are not an ONNX model raise DataValidationError naming `source`.
 */
export function readOnnxModelInfo(bytes: Uint8Array, source?: string): OnnxModelInfo {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new DataValidationError(
      `The file is not a valid ONNX model: protobuf decoding failed (${(error as Error).message}). Check that it is a .onnx file and not truncated.`,
      { file: source },
      { cause: error },
    );
  }
  const graph = model.graph;
  if (graph === null || graph === undefined || (graph.output ?? []).length === 0) {
    throw new DataValidationError('The file is not a valid ONNX model: it has no graph with outputs.', {
      file: source,
    });
  }
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[o.domain ?? ''] = toNumber(o.version);
  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) metadata[p.key ?? ''] = p.value ?? '';
  return {
    irVersion: toNumber(model.irVersion),
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    opsets,
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(describeValue),
    outputs: (graph.output ?? []).map(describeValue),
    metadata,
  };
}

function describeValue(v: ValueInfoProtoInit): OnnxValueInfo {
  const name = v.name ?? '';
  const type = v.type;
  if (type?.tensorType) {
    const t = type.tensorType;
    const dims = t.shape
      ? // Decoded oneof members are own properties; the other one only exists as a prototype default.
        (t.shape.dim ?? []).map((d) =>
          Object.hasOwn(d, 'dimValue')
            ? toNumber(d.dimValue)
            : Object.hasOwn(d, 'dimParam')
              ? (d.dimParam ?? null)
              : null,
        )
      : undefined;
    return { name, kind: 'tensor', elemType: ELEM_TYPES[toNumber(t.elemType ?? 0)] ?? 'unknown', dims };
  }
  if (type?.sequenceType) return { name, kind: 'sequence' };
  if (type?.mapType) return { name, kind: 'map' };
  return { name, kind: 'other' };
}

/** protobufjs decodes int64 fields as Long objects when the `long` package is present. */
function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
