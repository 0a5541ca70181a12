import { DataValidationError, InvalidParameterError, StewardError } from '../../core/index.js';
import { type Column, type ColumnBatch, categoryOf, isNumericColumn } from '../../data/index.js';
import type { OnnxModelInfo, OnnxValueInfo } from './onnx-model-info.js';
import type { OnnxFeed } from './onnx-runtime.js';

/** A model input that is a tensor. */
export type TensorInput = Extract<OnnxValueInfo, { kind: 'tensor' }>;

/** The single float/double input of rank 2 (or unknown rank) of a non-Steward model, if there is one. */
export function singleMatrixInput(info: OnnxModelInfo): TensorInput | undefined {
  if (info.inputs.length !== 1) return undefined;
  const input = info.inputs[0];
  if (input.kind !== 'tensor' || (input.elemType !== 'float32' && input.elemType !== 'float64'))
    return undefined;
  return input.dims === undefined || input.dims.length === 2 ? input : undefined;
}

/** Finds the column feeding a model input and checks it can be fed as one column ([N] or [N, 1]). */
export function resolveColumn(input: OnnxValueInfo, batch: ColumnBatch, source?: string) {
  if (input.kind !== 'tensor') {
    throw new StewardError(
      'NOT_SUPPORTED',
      `The ONNX model's input '${input.name}' is a ${input.kind}; OnnxClassifier feeds tensors only.`,
    );
  }
  const column = batch.columns[input.name];
  if (column === undefined) {
    throw new DataValidationError(
      `Column '${input.name}' is missing; the ONNX model takes it as an input. Available columns: ${Object.keys(batch.columns).join(', ')}.`,
      { file: source, column: input.name },
    );
  }
  if (column.length !== batch.rows) {
    throw new DataValidationError(`Expected ${batch.rows} values. Got ${column.length} instead.`, {
      file: source,
      column: input.name,
    });
  }
  const rank = input.dims?.length ?? 2;
  const width = input.dims?.[1];
  if ((rank !== 1 && rank !== 2) || (rank === 2 && typeof width === 'number' && width !== 1)) {
    throw new InvalidParameterError(
      `The ONNX model's input '${input.name}' has shape [${(input.dims ?? []).join(', ')}], which is not one column. Call predictProba(X) with a matrix for models with a single [N, F] input.`,
    );
  }
  return { input, column, rank };
}

/** Converts rows [start, end) of a column to the element type the model input expects. */
export function columnFeed(
  input: TensorInput,
  column: Column,
  start: number,
  end: number,
  dims: number[],
  source?: string,
): OnnxFeed {
  const n = end - start;
  const numberAt = (i: number) => {
    const v = column[start + i];
    return typeof v === 'number' ? v : v === null ? Number.NaN : Number(v);
  };
  switch (input.elemType) {
    case 'string': {
      const data = new Array<string>(n);
      for (let i = 0; i < n; i++) data[i] = categoryOf(column[start + i]);
      return { type: 'string', data, dims };
    }
    case 'float64': {
      const data = isNumericColumn(column)
        ? column.subarray(start, end)
        : Float64Array.from({ length: n }, (_, i) => numberAt(i));
      return { type: 'float64', data, dims };
    }
    case 'float32':
      return { type: 'float32', data: Float32Array.from({ length: n }, (_, i) => numberAt(i)), dims };
    case 'int32':
    case 'int64': {
      const ints = Float64Array.from({ length: n }, (_, i) => numberAt(i));
      ints.forEach((v, i) => {
        if (!Number.isSafeInteger(v)) {
          throw new DataValidationError(`Expected an integer. Got '${String(column[start + i])}' instead.`, {
            file: source,
            row: start + i + 1,
            column: input.name,
          });
        }
      });
      return input.elemType === 'int32'
        ? { type: 'int32', data: Int32Array.from(ints), dims }
        : { type: 'int64', data: BigInt64Array.from(ints, (v) => BigInt(v)), dims };
    }
    default:
      throw new StewardError(
        'NOT_SUPPORTED',
        `The ONNX model's input '${input.name}' has element type ${input.elemType}; OnnxClassifier feeds float32, float64, int32, int64 and string inputs.`,
      );
  }
}
