import { describe, expect, it } from 'vitest';
import type {
  BinaryClassifier,
  Capabilities,
  DenseNetworkModel,
  FitOptions,
  Matrix,
} from '../../core/index.js';
import { NotFittedError } from '../../core/index.js';
import { blobs, maxAbsDiff, runClassifierConformance } from '../conformance.test-suite.js';
import { LogisticRegression } from '../logistic-regression.js';
import { MLPClassifier } from '../mlp-classifier.js';
import { exportNetworkToOnnx } from './export-onnx.js';
import { OnnxClassifier } from './onnx-classifier.js';

/**
 * Runs the estimator conformance suite through ONNX Runtime: `fit` trains a TypeScript model and
 * exports it; every prediction then comes from `OnnxClassifier` running the exported graph. (The
 * adapter itself cannot fit: ONNX models arrive trained; onnx-classifier.test.ts covers that.)
 */
class ViaOnnx implements BinaryClassifier {
  readonly capabilities: Capabilities;
  private runtime: OnnxClassifier | undefined;

  constructor(private readonly makeModel: () => DenseNetworkModel) {
    this.capabilities = { ...makeModel().capabilities, denseNetwork: false };
  }

  async fit(X: Matrix, y: Uint8Array, options?: FitOptions): Promise<this> {
    const model = await this.makeModel().fit(X, y, options);
    this.runtime?.dispose();
    this.runtime = await OnnxClassifier.load(exportNetworkToOnnx({ network: model.toDenseNetwork() }));
    return this;
  }

  predictProba(X: Matrix): Promise<Float64Array> {
    if (this.runtime === undefined) return Promise.reject(new NotFittedError('ViaOnnx'));
    return this.runtime.predictProba(X);
  }

  predict(X: Matrix, threshold?: number): Promise<Uint8Array> {
    if (this.runtime === undefined) return Promise.reject(new NotFittedError('ViaOnnx'));
    return this.runtime.predict(X, threshold);
  }
}

runClassifierConformance(
  'LogisticRegression via ONNX Runtime',
  () => new ViaOnnx(() => new LogisticRegression()),
  {
    zeroWeightTolerance: 1e-8,
  },
);
runClassifierConformance(
  'MLPClassifier via ONNX Runtime',
  () =>
    new ViaOnnx(
      () =>
        new MLPClassifier({
          hiddenLayerSizes: [8],
          learningRate: 0.01,
          batchSize: 32,
          maxEpochs: 40,
          seed: 3,
        }),
    ),
);

describe('ONNX Runtime reproduces the TypeScript models', () => {
  it('probabilities agree to 1e-6 (float64 graph; observed ~1e-16)', async () => {
    const { X, y } = blobs(300, 0.7, 5);
    for (const model of [
      new LogisticRegression({ C: 0.3 }),
      new MLPClassifier({ hiddenLayerSizes: [16, 8], seed: 2 }),
    ]) {
      await model.fit(X, y);
      const runtime = await OnnxClassifier.load(exportNetworkToOnnx({ network: model.toDenseNetwork() }));
      try {
        expect(maxAbsDiff(await runtime.predictProba(X), await model.predictProba(X))).toBeLessThanOrEqual(
          1e-6,
        );
      } finally {
        runtime.dispose();
      }
    }
  });
});
