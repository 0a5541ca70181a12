import { describe, expect, it } from 'vitest';
import {
  DataValidationError,
  type DenseLayer,
  type DenseNetwork,
  InvalidParameterError,
  type Matrix,
  Rng,
  sigmoid,
} from '../../core/index.js';
import {
  applyEncoder,
  type ColumnBatch,
  type EncoderSpec,
  fitEncoder,
  outputNamesOf,
} from '../../data/index.js';
import { LogisticRegression } from '../index.js';
import {
  ENCODER_METADATA_KEY,
  exportNetworkToOnnx,
  exportPipelineToOnnx,
  PRODUCER_NAME,
} from './export-onnx.js';
import { OnnxClassifier } from './onnx-classifier.js';
import { readOnnxModelInfo } from './onnx-model-info.js';
import { createOnnxSession } from './onnx-runtime.js';

// Tolerance 1e-12: the ONNX graph runs in float64 with the same operations as the TypeScript
// reference (applyEncoder + the forward pass below), so differences come only from the summation
// order in onnxruntime's GEMM and its exp; observed max |onnx - ts| = 1.1e-16 on x86-64.
const TOL = 1e-12;

const COLORS = ['red', 'green', 'blue'];
const SIZES = ['S', 'M', 'L', 'XL'];

function makeBatch(
  rows: number,
  seed: number,
  extra: Partial<Record<string, (string | null)[]>> = {},
): ColumnBatch {
  const rng = new Rng(seed);
  const age = new Float64Array(rows);
  const hours = new Float64Array(rows);
  const grade = new Float64Array(rows);
  const color: (string | null)[] = [];
  const size: (string | null)[] = [];
  for (let i = 0; i < rows; i++) {
    age[i] = 18 + Math.round(rng.next() * 60);
    hours[i] = 10 + rng.next() * 50;
    grade[i] = 1 + rng.int(3); // a categorical column stored as numbers: categories '1', '2', '3'
    color.push(COLORS[rng.int(COLORS.length)]);
    size.push(SIZES[rng.int(SIZES.length)]);
  }
  return { rows, columns: { age, hours, grade, color, size, ...extra } as ColumnBatch['columns'] };
}

function randomLayer(rng: Rng, inputs: number, outputs: number, scale: number): DenseLayer {
  const weights = Float64Array.from({ length: inputs * outputs }, () => rng.normal() * scale);
  const bias = Float64Array.from({ length: outputs }, () => rng.normal() * 0.1);
  return { inputs, outputs, weights, bias };
}

function network(rng: Rng, sizes: number[]): DenseNetwork {
  const layers = sizes.slice(1).map((out, l) => randomLayer(rng, sizes[l], out, 1 / Math.sqrt(sizes[l])));
  return { layers, hiddenActivation: 'relu', outputActivation: 'sigmoid' };
}

/** Reference forward pass (hand-written, straight from the DenseNetwork definition). */
function forward(net: DenseNetwork, X: Matrix): Float64Array {
  const out = new Float64Array(X.rows);
  for (let r = 0; r < X.rows; r++) {
    let h = Array.from(X.data.subarray(r * X.cols, (r + 1) * X.cols));
    net.layers.forEach((layer, l) => {
      const next = new Array<number>(layer.outputs).fill(0);
      for (let o = 0; o < layer.outputs; o++) {
        let s = 0;
        for (let i = 0; i < layer.inputs; i++) s += h[i] * layer.weights[i * layer.outputs + o];
        next[o] = s + layer.bias[o];
      }
      h = l < net.layers.length - 1 ? next.map((v) => Math.max(0, v)) : next;
    });
    out[r] = sigmoid(h[0]);
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const train = makeBatch(60, 1);
const fitted = fitEncoder(train, { numeric: ['age', 'hours'], categorical: ['color', 'grade', 'size'] });
// The same features interleaved (numeric, categorical, numeric, ...) to exercise every Concat path.
const interleavedFeatures = [
  fitted.features[2],
  fitted.features[0],
  fitted.features[3],
  fitted.features[4],
  fitted.features[1],
];
const interleaved: EncoderSpec = {
  features: interleavedFeatures,
  outputNames: outputNamesOf(interleavedFeatures),
};
// Prediction rows include an unseen colour, a missing colour and an unseen grade (all encode as zeros).
const test = makeBatch(200, 2);
(test.columns.color as (string | null)[])[3] = 'purple';
(test.columns.color as (string | null)[])[4] = null;
(test.columns.grade as Float64Array)[5] = 7;

describe('exportPipelineToOnnx round trip through onnxruntime', () => {
  const cases = [
    { name: 'logistic regression, fitted encoder', encoder: fitted, hidden: [] as number[] },
    { name: '2-hidden-layer ReLU MLP, fitted encoder', encoder: fitted, hidden: [8, 4] },
    { name: 'logistic regression, interleaved encoder', encoder: interleaved, hidden: [] as number[] },
    { name: '2-hidden-layer ReLU MLP, interleaved encoder', encoder: interleaved, hidden: [16, 8] },
  ];
  for (const c of cases) {
    it(`matches applyEncoder + forward pass: ${c.name}`, async () => {
      const net = network(new Rng(42), [c.encoder.outputNames.length, ...c.hidden, 1]);
      const expected = forward(net, applyEncoder(c.encoder, test));
      const bytes = exportPipelineToOnnx({ encoder: c.encoder, network: net, metadata: { dataset: 'toy' } });
      const model = await OnnxClassifier.load(bytes);
      const got = await model.predictProbaBatch(test);
      expect(maxAbsDiff(got, expected)).toBeLessThan(TOL);
      // Unknown and missing categories contribute nothing: same as the all-zeros TypeScript encoding.
      const labels = await model.predictBatch(test);
      expect(Array.from(labels)).toEqual(Array.from(expected, (p) => (p >= 0.5 ? 1 : 0)));
      await model.dispose();
    });
  }

  it('matches a fitted LogisticRegression on raw columns', async () => {
    const X = applyEncoder(fitted, train);
    const age = train.columns.age as Float64Array;
    const color = train.columns.color as string[];
    const y = Uint8Array.from({ length: train.rows }, (_, i) =>
      age[i] > 45 !== (color[i] === 'red') ? 1 : 0,
    );
    y[0] = 1 - y[0]; // keep the classes from being separable
    const lr = await new LogisticRegression({ C: 1 }).fit(X, y);
    const model = await OnnxClassifier.load(
      exportPipelineToOnnx({ encoder: fitted, network: lr.toDenseNetwork() }),
    );
    const expected = await lr.predictProba(applyEncoder(fitted, test));
    expect(maxAbsDiff(await model.predictProbaBatch(test), expected)).toBeLessThan(TOL);
    expect(Array.from(await model.predictBatch(test))).toEqual(
      Array.from(await lr.predict(applyEncoder(fitted, test))),
    );
    await model.dispose();
  });

  it('writes label and probabilities outputs like skl2onnx without ZipMap', async () => {
    const net = network(new Rng(7), [fitted.outputNames.length, 5, 1]);
    const bytes = exportPipelineToOnnx({ encoder: fitted, network: net });
    const session = await createOnnxSession(bytes);
    const rows = 4;
    const age = test.columns.age as Float64Array;
    const hours = test.columns.hours as Float64Array;
    const out = await session.run(
      {
        age: { type: 'float64', data: age.slice(0, rows), dims: [rows, 1] },
        hours: { type: 'float64', data: hours.slice(0, rows), dims: [rows, 1] },
        color: { type: 'string', data: ['red', 'purple', 'blue', 'green'], dims: [rows, 1] },
        grade: { type: 'string', data: ['1', '2', '3', '9'], dims: [rows, 1] },
        size: { type: 'string', data: ['S', 'M', 'L', 'XL'], dims: [rows, 1] },
      },
      ['label', 'probabilities'],
    );
    expect(out.label.dims).toEqual([rows]);
    expect(out.label.type).toBe('int64');
    expect(out.probabilities.dims).toEqual([rows, 2]);
    expect(out.probabilities.type).toBe('float64');
    const probs = out.probabilities.data as Float64Array;
    const labels = out.label.data as BigInt64Array;
    for (let i = 0; i < rows; i++) {
      expect(probs[2 * i] + probs[2 * i + 1]).toBeCloseTo(1, 12);
      expect(labels[i]).toBe(probs[2 * i + 1] >= 0.5 ? 1n : 0n);
    }
    await session.release();
  });

  it('stores the encoder, producer and metadata in metadata_props', async () => {
    const net = network(new Rng(3), [fitted.outputNames.length, 1]);
    const bytes = exportPipelineToOnnx({ encoder: fitted, network: net, metadata: { dataset: 'toy' } });
    const info = readOnnxModelInfo(bytes);
    expect(info.producerName).toBe(PRODUCER_NAME);
    expect(info.opsets).toEqual({ '': 17, 'ai.onnx.ml': 3 });
    expect(info.metadata.dataset).toBe('toy');
    expect(JSON.parse(info.metadata[ENCODER_METADATA_KEY])).toEqual(fitted);
    expect(info.inputs).toEqual([
      { name: 'age', kind: 'tensor', elemType: 'float64', dims: ['N', 1] },
      { name: 'hours', kind: 'tensor', elemType: 'float64', dims: ['N', 1] },
      { name: 'color', kind: 'tensor', elemType: 'string', dims: ['N', 1] },
      { name: 'grade', kind: 'tensor', elemType: 'string', dims: ['N', 1] },
      { name: 'size', kind: 'tensor', elemType: 'string', dims: ['N', 1] },
    ]);
    const model = await OnnxClassifier.load(bytes);
    expect(model.encoder).toEqual(fitted);
    expect(model.inputNames).toEqual(['age', 'hours', 'color', 'grade', 'size']);
    expect(model.outputNames).toEqual(['label', 'probabilities']);
    expect(model.probabilityOutput).toBe('probabilities');
    await model.dispose();
  });

  it("checks categories before running when the policy is 'error', with applyEncoder's error", async () => {
    const strict = fitEncoder(train, { numeric: ['age'], categorical: ['color'], unknown: 'error' });
    const model = await OnnxClassifier.load(
      exportPipelineToOnnx({ encoder: strict, network: network(new Rng(1), [strict.outputNames.length, 1]) }),
    );
    const expected = (() => {
      try {
        applyEncoder(strict, test, 'test.csv');
      } catch (error) {
        return error as DataValidationError;
      }
      throw new Error('applyEncoder accepted an unknown category');
    })();
    expect(expected.location).toEqual({ file: 'test.csv', row: 4, column: 'color' });
    await expect(model.predictProbaBatch(test, 'test.csv')).rejects.toThrow(expected.message);
    await expect(model.predictProbaBatch(test, 'test.csv')).rejects.toBeInstanceOf(DataValidationError);
    // Known categories only: same probabilities as the TypeScript path.
    const known = makeBatch(30, 9);
    const net = network(new Rng(1), [strict.outputNames.length, 1]);
    expect(
      maxAbsDiff(await model.predictProbaBatch(known), forward(net, applyEncoder(strict, known))),
    ).toBeLessThan(TOL);
    await model.dispose();
  });

  it('rejects non-finite numbers and missing columns like applyEncoder', async () => {
    const model = await OnnxClassifier.load(
      exportPipelineToOnnx({ encoder: fitted, network: network(new Rng(1), [fitted.outputNames.length, 1]) }),
    );
    const bad = makeBatch(5, 4);
    (bad.columns.hours as Float64Array)[2] = Number.NaN;
    await expect(model.predictProbaBatch(bad, 'x.csv')).rejects.toThrow(
      "Expected a finite number. Got 'NaN' instead (file 'x.csv', row 3, column 'hours').",
    );
    const { size: _size, ...rest } = makeBatch(5, 4).columns;
    await expect(model.predictProbaBatch({ rows: 5, columns: rest })).rejects.toThrow(
      /Column 'size' is missing/,
    );
    await expect(model.predictProba({ data: new Float64Array(0), rows: 0, cols: 0 })).rejects.toBeInstanceOf(
      InvalidParameterError,
    );
    await model.dispose();
  });

  it('gives the same probabilities whatever the batch size', async () => {
    const net = network(new Rng(5), [fitted.outputNames.length, 6, 1]);
    const bytes = exportPipelineToOnnx({ encoder: fitted, network: net });
    const whole = await OnnxClassifier.load(bytes);
    const chunked = await OnnxClassifier.load(bytes, { batchSize: 7 });
    // Not bit for bit: onnxruntime's GEMM kernels sum in a different order for different row counts
    // (observed 1 ulp apart), so compare to 1e-12.
    expect(
      maxAbsDiff(await chunked.predictProbaBatch(test), await whole.predictProbaBatch(test)),
    ).toBeLessThan(1e-12);
    await whole.dispose();
    await chunked.dispose();
  });

  it('rejects a network that does not fit the encoder', () => {
    const net = network(new Rng(1), [3, 1]);
    expect(() => exportPipelineToOnnx({ encoder: fitted, network: net })).toThrow(InvalidParameterError);
    expect(() => exportPipelineToOnnx({ encoder: fitted, network: { ...net, layers: [] } })).toThrow(
      /at least one layer/,
    );
    const labelColumn = fitEncoder(
      { rows: 2, columns: { label: new Float64Array([0, 1]) } },
      { numeric: ['label'], categorical: [] },
    );
    expect(() =>
      exportPipelineToOnnx({ encoder: labelColumn, network: network(new Rng(1), [1, 1]) }),
    ).toThrow(/clashes/);
  });
});

describe('exportNetworkToOnnx', () => {
  it('takes the encoded matrix through predictProba(X) and matches the forward pass', async () => {
    const X = applyEncoder(fitted, test);
    for (const hidden of [[], [8, 4]]) {
      const net = network(new Rng(11), [X.cols, ...hidden, 1]);
      const model = await OnnxClassifier.load(exportNetworkToOnnx({ network: net }));
      expect(model.inputNames).toEqual(['X']);
      expect(model.encoder).toBeUndefined();
      expect(maxAbsDiff(await model.predictProba(X), forward(net, X))).toBeLessThan(TOL);
      await expect(model.predictProbaBatch(test)).rejects.toThrow(/Column 'X' is missing/);
      await model.dispose();
    }
  });
});
