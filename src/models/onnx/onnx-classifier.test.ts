import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataValidationError,
  InvalidParameterError,
  type Matrix,
  matrix,
  NotFittedError,
  Rng,
  StewardError,
} from '../../core/index.js';
import { OnnxClassifier } from './onnx-classifier.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

type ValueInfo = onnxProto.onnx.IValueInfoProto;
type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;

function tensor(name: string, elemType: number, dims: (number | string)[]): ValueInfo {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function floats(name: string, values: number[], dims: number[]): Tensor {
  return { name, dataType: T.FLOAT, dims, floatData: values };
}

function model(
  nodes: Node[],
  inputs: ValueInfo[],
  outputs: ValueInfo[],
  initializer: Tensor[] = [],
): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'hand-built',
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    graph: { name: 'g', node: nodes, input: inputs, output: outputs, initializer },
    metadataProps: [{ key: 'author', value: 'test' }],
  }).finish();
}

// A generic float32 logistic model, as a converter would write it: p = sigmoid(x · w + b) as [N, 1].
const W = [0.5, -1.25, 2];
const B = -0.3;
const floatLogistic = model(
  [
    { opType: 'MatMul', input: ['input', 'w'], output: ['z0'] },
    { opType: 'Add', input: ['z0', 'b'], output: ['z'] },
    { opType: 'Sigmoid', input: ['z'], output: ['p'] },
  ],
  [tensor('input', T.FLOAT, ['batch', 3])],
  [tensor('p', T.FLOAT, ['batch', 1])],
  [floats('w', W, [3, 1]), floats('b', [B], [1])],
);

/** Reference in float64 from the float32-rounded inputs and weights. */
function reference(X: Matrix): Float64Array {
  const f = Math.fround;
  return Float64Array.from({ length: X.rows }, (_, r) => {
    let z = f(B);
    for (let j = 0; j < 3; j++) z += f(X.data[r * 3 + j]) * f(W[j]);
    return 1 / (1 + Math.exp(-z));
  });
}

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  return matrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => rng.normal()),
  );
}

describe('OnnxClassifier on a generic single-input float model', () => {
  const X = randomMatrix(500, 3, 1);

  it('feeds the matrix as float32 and reads the [N, 1] output', async () => {
    const clf = await OnnxClassifier.load(floatLogistic);
    expect(clf.inputNames).toEqual(['input']);
    expect(clf.outputNames).toEqual(['p']);
    expect(clf.probabilityOutput).toBe('p');
    expect(clf.metadata).toEqual({ author: 'test' });
    expect(clf.encoder).toBeUndefined();
    const proba = await clf.predictProba(X);
    // Tolerance 1e-6: the model computes in float32 (relative rounding ~6e-8 per operation).
    const expected = reference(X);
    for (let i = 0; i < X.rows; i++) expect(Math.abs(proba[i] - expected[i])).toBeLessThan(1e-6);
    await clf.dispose();
  });

  it('rejects a matrix of the wrong width and a column batch', async () => {
    const clf = await OnnxClassifier.load(floatLogistic);
    await expect(clf.predictProba(randomMatrix(4, 2, 1))).rejects.toThrow(/takes 3 columns per row/);
    await expect(clf.predictProbaBatch({ rows: 1, columns: { x: new Float64Array(1) } })).rejects.toThrow(
      /Column 'input' is missing/,
    );
    await clf.dispose();
  });

  it('loads from a file path and names the path when the file is missing or corrupt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steward-onnx-'));
    try {
      const path = join(dir, 'model.onnx');
      await writeFile(path, floatLogistic);
      const clf = await OnnxClassifier.load(path);
      expect((await clf.predictProba(X)).length).toBe(X.rows);
      await clf.dispose();

      const missing = join(dir, 'missing.onnx');
      const error = await OnnxClassifier.load(missing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataValidationError);
      expect((error as DataValidationError).location.file).toBe(missing);
      expect((error as Error).message).toContain(missing);

      const corrupt = join(dir, 'corrupt.onnx');
      await writeFile(
        corrupt,
        Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 255) & 0xff),
      );
      await expect(OnnxClassifier.load(corrupt)).rejects.toThrow(DataValidationError);
      await expect(OnnxClassifier.load(corrupt)).rejects.toThrow(corrupt);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bytes that are not an ONNX model', async () => {
    await expect(OnnxClassifier.load(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).rejects.toThrow(
      DataValidationError,
    );
    await expect(OnnxClassifier.load(new Uint8Array(0))).rejects.toThrow(/no graph/);
    await expect(OnnxClassifier.load(floatLogistic.subarray(0, floatLogistic.length - 20))).rejects.toThrow(
      DataValidationError,
    );
    // Decodes as protobuf, but onnxruntime refuses it.
    const unknownOp = model(
      [{ opType: 'NoSuchOperator', input: ['input'], output: ['p'] }],
      [tensor('input', T.FLOAT, ['N', 1])],
      [tensor('p', T.FLOAT, ['N', 1])],
    );
    await expect(OnnxClassifier.load(unknownOp)).rejects.toThrow(/onnxruntime could not load the ONNX model/);
  });
});

describe('OnnxClassifier output selection', () => {
  const input = tensor('x', T.FLOAT, ['N', 2]);
  const w3 = floats('w', [1, 0, -1, 0.5, 2, -0.5], [2, 3]);

  it('rejects a 3-class model', async () => {
    const threeClass = model(
      [
        { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
        {
          opType: 'Softmax',
          input: ['z'],
          output: ['probabilities'],
          attribute: [{ name: 'axis', type: A.INT, i: 1 }],
        },
        {
          opType: 'ArgMax',
          input: ['z'],
          output: ['label'],
          attribute: [{ name: 'axis', type: A.INT, i: 1 }],
        },
      ],
      [input],
      [tensor('label', T.INT64, ['N', 1]), tensor('probabilities', T.FLOAT, ['N', 3])],
      [w3],
    );
    await expect(OnnxClassifier.load(threeClass)).rejects.toThrow(/binary classifiers only.*3 classes/);
    // The same model with an unknown output width is caught when it runs.
    const unknownWidth = model(
      [
        { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
        {
          opType: 'Softmax',
          input: ['z'],
          output: ['scores'],
          attribute: [{ name: 'axis', type: A.INT, i: 1 }],
        },
      ],
      [input],
      [tensor('scores', T.FLOAT, ['N', 'C'])],
      [w3],
    );
    const clf = await OnnxClassifier.load(unknownWidth);
    await expect(clf.predictProba(matrix(2, 2))).rejects.toThrow(/binary classifiers only.*3 classes/);
    await clf.dispose();
  });

  it('explains that ZipMap outputs cannot be read', async () => {
    const zipmap = model(
      [
        { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
        {
          opType: 'Softmax',
          input: ['z'],
          output: ['probs'],
          attribute: [{ name: 'axis', type: A.INT, i: 1 }],
        },
        {
          opType: 'ZipMap',
          domain: 'ai.onnx.ml',
          input: ['probs'],
          output: ['output_probability'],
          attribute: [{ name: 'classlabels_int64s', type: A.INTS, ints: [0, 1] }],
        },
      ],
      [input],
      [
        {
          name: 'output_probability',
          type: {
            sequenceType: {
              elemType: { mapType: { keyType: T.INT64, valueType: { tensorType: { elemType: T.FLOAT } } } },
            },
          },
        },
      ],
      [floats('w', [1, -1, 0.5, 2], [2, 2])],
    );
    await expect(OnnxClassifier.load(zipmap)).rejects.toThrow(/ZipMap/);
  });

  it('reads column 1 of a [N, 2] output and honours outputName', async () => {
    const twoOutputs = model(
      [
        { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
        {
          opType: 'Softmax',
          input: ['z'],
          output: ['output_probability'],
          attribute: [{ name: 'axis', type: A.INT, i: 1 }],
        },
        { opType: 'Identity', input: ['z'], output: ['logits'] },
      ],
      [input],
      [tensor('logits', T.FLOAT, ['N', 'K']), tensor('output_probability', T.FLOAT, ['N', 2])],
      [floats('w', [1, -1, 0.5, 2], [2, 2])],
    );
    const X = matrix(2, 2, new Float64Array([1, 2, -1, 0.5]));
    const clf = await OnnxClassifier.load(twoOutputs);
    expect(clf.probabilityOutput).toBe('output_probability');
    const proba = await clf.predictProba(X);
    // Softmax over z = x · w: P(class 1) = sigmoid(z1 - z0), computed by hand.
    const z = (r: number) => [
      X.data[2 * r] * 1 + X.data[2 * r + 1] * 0.5,
      X.data[2 * r] * -1 + X.data[2 * r + 1] * 2,
    ];
    for (let r = 0; r < 2; r++) expect(proba[r]).toBeCloseTo(1 / (1 + Math.exp(z(r)[0] - z(r)[1])), 6);
    await clf.dispose();

    const logits = await OnnxClassifier.load(twoOutputs, { outputName: 'logits' });
    await expect(logits.predictProba(X)).rejects.toThrow(/outside \[0, 1\]/);
    await logits.dispose();
    await expect(OnnxClassifier.load(twoOutputs, { outputName: 'nope' })).rejects.toThrow(
      InvalidParameterError,
    );
  });
});

describe('OnnxClassifier contract', () => {
  let clf: OnnxClassifier;
  const X = randomMatrix(300, 3, 2);
  beforeAll(async () => {
    clf = await OnnxClassifier.load(floatLogistic, { batchSize: 64 });
  });
  afterAll(async () => {
    await clf.dispose();
  });

  it('declares inference-only capabilities', () => {
    expect(clf.capabilities).toEqual({
      sampleWeight: false,
      predictProba: true,
      perSampleGradients: false,
      denseNetwork: false,
    });
  });

  it('throws NotFittedError before load and after dispose', async () => {
    const fresh = new OnnxClassifier({ batchSize: 10 });
    expect(fresh.options).toEqual({ batchSize: 10 });
    await expect(fresh.predictProba(X)).rejects.toBeInstanceOf(NotFittedError);
    await expect(fresh.predict(X)).rejects.toBeInstanceOf(NotFittedError);
    await expect(fresh.predictProbaBatch({ rows: 0, columns: {} })).rejects.toThrow(/OnnxClassifier.load/);
    expect(() => fresh.inputNames).toThrow(NotFittedError);
    await fresh.load(floatLogistic);
    expect((await fresh.predictProba(X)).length).toBe(X.rows);
    await fresh.dispose();
    await expect(fresh.predictProba(X)).rejects.toBeInstanceOf(NotFittedError);
  });

  it('rejects fit: ONNX models arrive trained', async () => {
    const error = await clf.fit(X, new Uint8Array(X.rows)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StewardError);
    expect((error as StewardError).code).toBe('NOT_SUPPORTED');
  });

  it('returns one probability in [0, 1] per row, and predict == (proba >= threshold)', async () => {
    const proba = await clf.predictProba(X);
    expect(proba).toBeInstanceOf(Float64Array);
    expect(proba.length).toBe(X.rows);
    for (const p of proba) expect(p >= 0 && p <= 1).toBe(true);
    for (const threshold of [0.5, 0.2, 0.9]) {
      const labels = await clf.predict(X, threshold);
      expect(labels).toBeInstanceOf(Uint8Array);
      expect(Array.from(labels)).toEqual(Array.from(proba, (p) => (p >= threshold ? 1 : 0)));
    }
    await expect(clf.predict(X, 1.5)).rejects.toThrow(InvalidParameterError);
  });

  it('handles zero rows and validates options', async () => {
    expect((await clf.predictProba(matrix(0, 3))).length).toBe(0);
    await expect(OnnxClassifier.load(floatLogistic, { batchSize: 0 })).rejects.toThrow(InvalidParameterError);
  });
});
