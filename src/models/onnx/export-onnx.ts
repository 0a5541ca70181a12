import { readFileSync } from 'node:fs';
import { type DenseNetwork, InvalidParameterError } from '../../core/index.js';
import type {
  CategoricalFeatureSpec,
  EncoderSpec,
  FeatureSpec,
  NumericFeatureSpec,
} from '../../data/index.js';
import { checkEncoder, checkNetwork } from './export-checks.js';
import {
  ElemType,
  encodeModel,
  GraphBuilder,
  intAttr,
  type ModelProtoInit,
  stringsAttr,
} from './onnx-graph.js';

/** Metadata key holding the JSON `EncoderSpec` of an exported pipeline. */
export const ENCODER_METADATA_KEY = 'steward.encoder';
/** Metadata key saying what was exported: `pipeline` (raw columns in) or `network` (encoded matrix in). */
export const KIND_METADATA_KEY = 'steward.kind';
/** Producer name written into every exported model. */
export const PRODUCER_NAME = 'steward';
/** Default-domain opset of exported graphs. */
export const ONNX_OPSET = 17;
/** `ai.onnx.ml` opset of exported graphs. */
export const ONNX_ML_OPSET = 3;
/** Names of the two graph outputs, as skl2onnx names them without ZipMap. */
export const OUTPUT_NAMES = { label: 'label', probabilities: 'probabilities' } as const;

/** The package version for `producer_version`, read once; '0.0.0' when package.json is not found. */
const STEWARD_VERSION: string = (() => {
  try {
    // src/models/onnx and dist/models/onnx are both three levels below the package root.
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

/** What `exportPipelineToOnnx` exports: the fitted encoder and the network that consumes its output. */
export interface PipelineExport {
  /** The fitted encoder (from `fitEncoder`). */
  encoder: EncoderSpec;
  /** The fitted network; its first layer takes `encoder.outputNames.length` inputs. */
  network: DenseNetwork;
  /** Extra key/value pairs for the model's metadata_props. */
  metadata?: Record<string, string>;
}

/** What `exportNetworkToOnnx` exports: a network fed an already encoded float64 matrix. */
export interface NetworkExport {
  /** The fitted network. */
  network: DenseNetwork;
  /** Name of the single [N, F] float64 input (default `X`). */
  inputName?: string;
  /** Extra key/value pairs for the model's metadata_props. */
  metadata?: Record<string, string>;
}

/**
 * Exports encoder + network as one ONNX model (opset 17, ai.onnx.ml 3) that takes raw columns: one
 * input per source column named as the column, numeric ones `tensor(double)` [N, 1], categorical ones
 * `tensor(string)` [N, 1]. Numeric features are `(x - mean) / scale` (Sub then Div in float64, the
 * same operations as `applyEncoder`); categorical features go through ai.onnx.ml OneHotEncoder with
 * `zeros=1`, so an unseen category encodes as all zeros. The 'error' unknown-category policy cannot
 * be expressed in ONNX: the graph treats unknown categories as zeros and `OnnxClassifier` checks the
 * categories against the encoder stored in the metadata (`steward.encoder`) before running.
 * Outputs: `label` int64 [N] (p >= 0.5) and `probabilities` float64 [N, 2] = [1 - p, p].
 */
export function exportPipelineToOnnx(pipeline: PipelineExport): Uint8Array {
  const { encoder, network } = pipeline;
  const width = checkEncoder(encoder);
  checkNetwork(network, width);
  const columns = inputColumns(encoder.features);
  for (const reserved of Object.values(OUTPUT_NAMES)) {
    if (columns.has(reserved)) {
      throw new InvalidParameterError(
        `The encoder of exportPipelineToOnnx uses a column named '${reserved}', which clashes with the model output of that name. Rename the column before fitting.`,
      );
    }
  }
  const g = new GraphBuilder([...columns.keys(), ...Object.values(OUTPUT_NAMES)]);
  for (const [column, kind] of columns) {
    g.input(column, kind === 'numeric' ? ElemType.DOUBLE : ElemType.STRING, ['N', 1]);
  }
  const squeezeAxis = g.int64Const('axis1', [1], [1]);
  const blocks: string[] = [];
  for (const run of consecutiveRuns(encoder.features)) {
    blocks.push(
      run[0].kind === 'numeric'
        ? numericBlock(g, run as NumericFeatureSpec[])
        : categoricalBlock(g, run as CategoricalFeatureSpec[], squeezeAxis),
    );
  }
  const x = blocks.length === 1 ? blocks[0] : g.node('Concat', blocks, { attributes: [intAttr('axis', 1)] });
  appendNetwork(g, x, network, squeezeAxis);
  const doc =
    'Steward pipeline: standardised numeric and one-hot categorical inputs feeding a dense network. ' +
    "Unknown categories encode as all zeros; for features whose policy is 'error', OnnxClassifier checks categories before running.";
  return encodeModel(
    modelOf(g.build('steward_pipeline', doc), {
      ...pipeline.metadata,
      [ENCODER_METADATA_KEY]: JSON.stringify(encoder),
      [KIND_METADATA_KEY]: 'pipeline',
    }),
  );
}

/**
 * Exports only the network, with one float64 input [N, F] holding already encoded features: the
 * ONNX twin of a TypeScript estimator's `predictProba(X)`. Same outputs as `exportPipelineToOnnx`.
 */
export function exportNetworkToOnnx(options: NetworkExport): Uint8Array {
  const inputName = options.inputName ?? 'X';
  if (inputName === '' || (Object.values(OUTPUT_NAMES) as string[]).includes(inputName)) {
    throw new InvalidParameterError(
      `The 'inputName' option of exportNetworkToOnnx must be non-empty and differ from 'label' and 'probabilities'. Got '${inputName}' instead.`,
    );
  }
  checkNetwork(options.network);
  const g = new GraphBuilder([inputName, ...Object.values(OUTPUT_NAMES)]);
  g.input(inputName, ElemType.DOUBLE, ['N', options.network.layers[0].inputs]);
  appendNetwork(g, inputName, options.network, g.int64Const('axis1', [1], [1]));
  return encodeModel(
    modelOf(g.build('steward_network', 'Steward dense network on encoded features.'), {
      ...options.metadata,
      [KIND_METADATA_KEY]: 'network',
    }),
  );
}

function modelOf(graph: ModelProtoInit['graph'], metadata: Record<string, string>): ModelProtoInit {
  return {
    irVersion: 8,
    producerName: PRODUCER_NAME,
    producerVersion: STEWARD_VERSION,
    modelVersion: 1,
    opsetImport: [
      { domain: '', version: ONNX_OPSET },
      { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
    ],
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
}

/** `(x - mean) / scale` for a run of numeric features: Concat the [N, 1] inputs, then Sub and Div. */
function numericBlock(g: GraphBuilder, run: readonly NumericFeatureSpec[]): string {
  const x =
    run.length === 1
      ? run[0].column
      : g.node(
          'Concat',
          run.map((f) => f.column),
          { attributes: [intAttr('axis', 1)] },
        );
  const mean = g.doubleConst(
    'mean',
    run.map((f) => f.mean),
    [run.length],
  );
  const scale = g.doubleConst(
    'scale',
    run.map((f) => f.scale),
    [run.length],
  );
  return g.node('Div', [g.node('Sub', [x, mean]), scale]);
}

/** One-hot for a run of categorical features: OneHotEncoder gives float [N, 1, K]; Squeeze to [N, K]. */
function categoricalBlock(g: GraphBuilder, run: readonly CategoricalFeatureSpec[], axis1: string): string {
  const parts = run.map((f) => {
    const onehot = g.node('OneHotEncoder', [f.column], {
      domain: 'ai.onnx.ml',
      attributes: [stringsAttr('cats_strings', f.categories), intAttr('zeros', 1)],
    });
    return g.node('Squeeze', [onehot, axis1]);
  });
  const joined =
    parts.length === 1 ? parts[0] : g.node('Concat', parts, { attributes: [intAttr('axis', 1)] });
  return g.node('Cast', [joined], { attributes: [intAttr('to', ElemType.DOUBLE)] });
}

/** Dense layers (MatMul + Add, ReLU between), sigmoid, then the `label` and `probabilities` outputs. */
function appendNetwork(g: GraphBuilder, x: string, network: DenseNetwork, axis1: string): void {
  let h = x;
  network.layers.forEach((layer, l) => {
    const w = g.doubleConst(`W${l}`, layer.weights, [layer.inputs, layer.outputs]);
    const b = g.doubleConst(`b${l}`, layer.bias, [layer.outputs]);
    h = g.node('Add', [g.node('MatMul', [h, w]), b]);
    if (l < network.layers.length - 1) h = g.node('Relu', [h]);
  });
  const p = g.node('Sigmoid', [h]);
  const q = g.node('Sub', [g.doubleConst('one', [1], [1]), p]);
  g.node('Concat', [q, p], { attributes: [intAttr('axis', 1)], output: OUTPUT_NAMES.probabilities });
  const positive = g.node('GreaterOrEqual', [p, g.doubleConst('threshold', [0.5], [1])]);
  const label = g.node('Cast', [positive], { attributes: [intAttr('to', ElemType.INT64)] });
  g.node('Squeeze', [label, axis1], { output: OUTPUT_NAMES.label });
  g.output(OUTPUT_NAMES.label, ElemType.INT64, ['N']);
  g.output(OUTPUT_NAMES.probabilities, ElemType.DOUBLE, ['N', 2]);
}

/** Splits features into maximal runs of the same kind, keeping their order. */
function consecutiveRuns(features: readonly FeatureSpec[]): FeatureSpec[][] {
  const runs: FeatureSpec[][] = [];
  for (const f of features) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0].kind === f.kind) last.push(f);
    else runs.push([f]);
  }
  return runs;
}

/** Source columns in first-use order with their kind; a column used with two kinds is an error. */
function inputColumns(features: readonly FeatureSpec[]): Map<string, FeatureSpec['kind']> {
  const columns = new Map<string, FeatureSpec['kind']>();
  for (const f of features) {
    const seen = columns.get(f.column);
    if (seen !== undefined && seen !== f.kind) {
      throw new InvalidParameterError(
        `The encoder of exportPipelineToOnnx uses column '${f.column}' both as numeric and as categorical. Use each column with one kind.`,
      );
    }
    columns.set(f.column, f.kind);
  }
  return columns;
}
