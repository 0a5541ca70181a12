import { readFile } from 'node:fs/promises';
import {
  type BinaryClassifier,
  type Capabilities,
  checkInRange,
  checkInteger,
  DataValidationError,
  InvalidParameterError,
  type Matrix,
  NotFittedError,
  StewardError,
} from '../../core/index.js';
import type { ColumnBatch, EncoderSpec } from '../../data/index.js';
import { checkColumnsForEncoder, parseEncoderMetadata } from './onnx-encoder-check.js';
import { columnFeed, resolveColumn, singleMatrixInput, type TensorInput } from './onnx-feeds.js';
import { type OnnxModelInfo, readOnnxModelInfo } from './onnx-model-info.js';
import { readProbabilities, selectProbabilityOutput } from './onnx-output.js';
import { createOnnxSession, type OnnxFeed, type OnnxSession } from './onnx-runtime.js';

/** Options of `OnnxClassifier`. */
export interface OnnxClassifierOptions {
  /** Rows per onnxruntime call; larger inputs are run in chunks (default 65536). */
  batchSize?: number;
  /** Output to read P(y = 1) from (default: `probabilities`, else the first float tensor output of shape [N, 2] or [N, 1]). */
  outputName?: string;
  /** Threads onnxruntime uses inside one operator (default: onnxruntime's choice). */
  intraOpNumThreads?: number;
}

interface LoadedModel {
  readonly session: OnnxSession;
  readonly info: OnnxModelInfo;
  readonly encoder: EncoderSpec | undefined;
  readonly source: string | undefined;
  /** The single [N, F] float input when `predictProba(X)` can feed a matrix. */
  readonly matrixInput: TensorInput | undefined;
  readonly output: string;
  readonly batchSize: number;
}

const DEFAULT_BATCH_SIZE = 65536;

/**
 * Adapts any ONNX binary classifier to the `BinaryClassifier` contract, running it with onnxruntime-node.
 * Models exported by `exportPipelineToOnnx` (metadata `steward.encoder`) take raw columns through
 * `predictProbaBatch`; models with one float or double [N, F] input take a design matrix through
 * `predictProba`. ONNX models arrive trained, so `fit` is not supported: call `load` instead.
 */
export class OnnxClassifier implements BinaryClassifier {
  /** Inference only: no training, no per-sample gradients, no DenseNetwork view. */
  readonly capabilities: Capabilities = {
    sampleWeight: false,
    predictProba: true,
    perSampleGradients: false,
    denseNetwork: false,
  };
  /** The options as given. */
  readonly options: Readonly<OnnxClassifierOptions>;
  private model: LoadedModel | undefined;

  /** Stores the options; nothing is loaded until `load`. */
  constructor(options: OnnxClassifierOptions = {}) {
    this.options = { ...options };
  }

  /** Creates a classifier and loads the model from a file path or the model's bytes. */
  static load(source: string | Uint8Array, options: OnnxClassifierOptions = {}): Promise<OnnxClassifier> {
    return new OnnxClassifier(options).load(source);
  }

  /** Loads (or replaces) the model from a file path or bytes; resolves to `this`. */
  async load(source: string | Uint8Array): Promise<this> {
    const batchSize = checkInteger(
      'OnnxClassifier',
      'batchSize',
      this.options.batchSize ?? DEFAULT_BATCH_SIZE,
      1,
    );
    const threads = this.options.intraOpNumThreads;
    if (threads !== undefined) checkInteger('OnnxClassifier', 'intraOpNumThreads', threads, 0);
    const path = typeof source === 'string' ? source : undefined;
    const bytes = typeof source === 'string' ? await readModelFile(source) : source;
    const info = readOnnxModelInfo(bytes, path);
    const encoder = parseEncoderMetadata(info, path);
    const output = selectProbabilityOutput(info, this.options.outputName, path);
    const session = await createOnnxSession(bytes, { intraOpNumThreads: threads }, path);
    await this.dispose();
    const matrixInput = encoder === undefined ? singleMatrixInput(info) : undefined;
    this.model = { session, info, encoder, source: path, matrixInput, output, batchSize };
    return this;
  }

  /** Always rejects: ONNX models are loaded already trained (train a Steward estimator and export it instead). */
  async fit(_X: Matrix, _y: Uint8Array): Promise<this> {
    throw new StewardError(
      'NOT_SUPPORTED',
      'OnnxClassifier cannot be fitted: ONNX models are loaded already trained. Train a Steward estimator, export it with exportPipelineToOnnx, then use OnnxClassifier.load(path).',
    );
  }

  /** P(y = 1) for each row of an encoded matrix; needs a model with a single float/double [N, F] input. */
  async predictProba(X: Matrix): Promise<Float64Array> {
    const m = this.requireModel();
    const input = m.matrixInput;
    if (input === undefined) {
      throw new InvalidParameterError(
        `This ONNX model takes one input per column (${m.info.inputs.map((i) => i.name).join(', ')}), not a matrix. Call predictProbaBatch(batch) with the raw columns instead of predictProba(X).`,
      );
    }
    const width = input.dims?.[1];
    if (typeof width === 'number' && width !== X.cols) {
      throw new DataValidationError(
        `The ONNX model's input '${input.name}' takes ${width} columns per row. Got a matrix with ${X.cols} columns instead.`,
        { file: m.source },
      );
    }
    return this.runChunks(m, X.rows, (start, end) => {
      const values = X.data.subarray(start * X.cols, end * X.cols);
      const feed: OnnxFeed =
        input.elemType === 'float32'
          ? { type: 'float32', data: Float32Array.from(values), dims: [end - start, X.cols] }
          : { type: 'float64', data: values, dims: [end - start, X.cols] };
      return { [input.name]: feed };
    });
  }

  /** 0/1 per row of an encoded matrix: 1 when P(y = 1) >= threshold. */
  async predict(X: Matrix, threshold = 0.5): Promise<Uint8Array> {
    checkInRange('OnnxClassifier.predict', 'threshold', threshold, 0, 1);
    return toLabels(await this.predictProba(X), threshold);
  }

  /**
   * P(y = 1) for each row of raw columns, each model input fed from the column of the same name
   * (numbers, text or categories, converted to the input's element type). For Steward-exported
   * pipelines, numeric cells must be finite and, for features with the 'error' unknown policy, every
   * category must be known: the same DataValidationError as `applyEncoder`, naming `source`, row and column.
   */
  async predictProbaBatch(batch: ColumnBatch, source?: string): Promise<Float64Array> {
    const m = this.requireModel();
    const inputs = m.info.inputs.map((input) => resolveColumn(input, batch, source));
    if (m.encoder !== undefined) checkColumnsForEncoder(m.encoder, batch, source);
    return this.runChunks(m, batch.rows, (start, end) => {
      const feeds: Record<string, OnnxFeed> = {};
      for (const { input, column, rank } of inputs) {
        const dims = rank === 1 ? [end - start] : [end - start, 1];
        feeds[input.name] = columnFeed(input, column, start, end, dims, source);
      }
      return feeds;
    });
  }

  /** 0/1 per row of raw columns: 1 when P(y = 1) >= threshold. */
  async predictBatch(batch: ColumnBatch, threshold = 0.5, source?: string): Promise<Uint8Array> {
    checkInRange('OnnxClassifier.predictBatch', 'threshold', threshold, 0, 1);
    return toLabels(await this.predictProbaBatch(batch, source), threshold);
  }

  /** Names of the model's inputs (initializers excluded). */
  get inputNames(): readonly string[] {
    return this.requireModel().info.inputs.map((i) => i.name);
  }

  /** Names of the model's outputs. */
  get outputNames(): readonly string[] {
    return this.requireModel().info.outputs.map((o) => o.name);
  }

  /** The model's metadata_props (parsed from the file: onnxruntime-node does not expose them). */
  get metadata(): Readonly<Record<string, string>> {
    return { ...this.requireModel().info.metadata };
  }

  /** The encoder of a Steward-exported pipeline, or undefined for other models. */
  get encoder(): EncoderSpec | undefined {
    return this.requireModel().encoder;
  }

  /** Everything read from the model file: producer, opsets, inputs and outputs with types and shapes. */
  get modelInfo(): OnnxModelInfo {
    return this.requireModel().info;
  }

  /** Name of the output P(y = 1) is read from. */
  get probabilityOutput(): string {
    return this.requireModel().output;
  }

  /** Releases the onnxruntime session; the classifier is unloaded until `load` is called again. */
  async dispose(): Promise<void> {
    const m = this.model;
    this.model = undefined;
    if (m !== undefined) await m.session.release();
  }

  private requireModel(): LoadedModel {
    if (this.model === undefined) {
      throw new NotFittedError(
        'OnnxClassifier',
        'Call OnnxClassifier.load(pathOrBytes) (or load on this instance) before predicting.',
      );
    }
    return this.model;
  }

  private async runChunks(
    m: LoadedModel,
    rows: number,
    feedsFor: (start: number, end: number) => Record<string, OnnxFeed>,
  ): Promise<Float64Array> {
    const out = new Float64Array(rows);
    for (let start = 0; start < rows; start += m.batchSize) {
      const end = Math.min(rows, start + m.batchSize);
      const result = await m.session.run(feedsFor(start, end), [m.output]);
      readProbabilities(result[m.output], m.output, end - start, out, start, m.source);
    }
    return out;
  }
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new DataValidationError(
      `Could not read the ONNX model: ${reason}. Check the path.`,
      { file: path },
      {
        cause: error,
      },
    );
  }
}

function toLabels(proba: Float64Array, threshold: number): Uint8Array {
  const labels = new Uint8Array(proba.length);
  for (let i = 0; i < proba.length; i++) labels[i] = proba[i] >= threshold ? 1 : 0;
  return labels;
}
