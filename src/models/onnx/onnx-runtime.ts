// The only file in Steward that imports onnxruntime-node, and only lazily, so that importing
// `steward/models/onnx` (for example to export a model) never loads the native binding.
import { DataValidationError, MissingDependencyError, StewardError } from '../../core/index.js';

type Ort = typeof import('onnxruntime-node');
type OrtSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** Data of a tensor fed to or returned by a session. */
export type OnnxTensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];

/** A tensor fed to a session: the element type onnxruntime names, the values and the shape. */
export interface OnnxFeed {
  /** Element type (`float32`, `float64`, `int32`, `int64`, `string`, `bool`). */
  readonly type: 'float32' | 'float64' | 'int32' | 'int64' | 'string' | 'bool';
  /** Values in row-major order. */
  readonly data: OnnxTensorData;
  /** Shape. */
  readonly dims: readonly number[];
}

/** A tensor returned by a session. */
export interface OnnxOutput {
  /** Element type as onnxruntime names it. */
  readonly type: string;
  /** Values in row-major order. */
  readonly data: unknown;
  /** Shape. */
  readonly dims: readonly number[];
}

/** Options of an onnxruntime session. */
export interface OnnxSessionOptions {
  /** Threads used inside one operator (default: onnxruntime's choice). */
  intraOpNumThreads?: number;
}

/** A live onnxruntime inference session behind a narrow interface (so no other file needs its types). */
export interface OnnxSession {
  /** Input names, as the runtime reports them. */
  readonly inputNames: readonly string[];
  /** Output names, as the runtime reports them. */
  readonly outputNames: readonly string[];
  /** Runs the model on `feeds` and returns the `fetches` outputs (tensors only). */
  run(
    feeds: Readonly<Record<string, OnnxFeed>>,
    fetches: readonly string[],
  ): Promise<Record<string, OnnxOutput>>;
  /** Frees the native session. */
  release(): Promise<void>;
}

let runtime: Promise<Ort> | undefined;

/** Loads onnxruntime-node on first use; rejects with MissingDependencyError when it cannot be loaded. */
export function loadOnnxRuntime(): Promise<Ort> {
  runtime ??= import('onnxruntime-node').then(
    (mod) => ((mod as { default?: Ort }).default ?? mod) as Ort,
    (error: unknown) => {
      runtime = undefined;
      throw new MissingDependencyError(
        'onnxruntime-node',
        'Install it with `npm install onnxruntime-node` (it ships CPU binaries for Linux, macOS and Windows) to run ONNX models.',
        error,
      );
    },
  );
  return runtime;
}

/** Opens a session on model bytes; a model onnxruntime rejects raises DataValidationError naming `source`. */
export async function createOnnxSession(
  bytes: Uint8Array,
  options: OnnxSessionOptions = {},
  source?: string,
): Promise<OnnxSession> {
  const ort = await loadOnnxRuntime();
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      logSeverityLevel: 3,
      ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    });
  } catch (error) {
    throw new DataValidationError(
      `onnxruntime could not load the ONNX model: ${(error as Error).message}`,
      { file: source },
      { cause: error },
    );
  }
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds, fetches) {
      const tensors: Record<string, InstanceType<Ort['Tensor']>> = {};
      for (const [name, feed] of Object.entries(feeds)) {
        tensors[name] = new ort.Tensor(feed.type, feed.data as never, feed.dims);
      }
      let result: Awaited<ReturnType<OrtSession['run']>>;
      try {
        result = await session.run(tensors, [...fetches]);
      } catch (error) {
        throw new StewardError(
          'ONNX_RUNTIME',
          `onnxruntime failed to run the model: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      const out: Record<string, OnnxOutput> = {};
      for (const name of fetches) {
        const t = result[name];
        out[name] = { type: t.type, data: t.data, dims: t.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}
