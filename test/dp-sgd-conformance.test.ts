import { runClassifierConformance } from '../src/models/conformance.test-suite.js';
import { DpSgdClassifier } from '../src/privacy/index.js';

// DP-SGD models honour the same BinaryClassifier contract as every other Steward estimator (seeded, so
// bit-identical reruns; sample weights refused, which the suite checks through `capabilities`).
runClassifierConformance(
  'DpSgdClassifier (logistic)',
  () => new DpSgdClassifier({ noiseMultiplier: 0.5, batchSize: 20, epochs: 5, secureNoise: false }),
);
runClassifierConformance(
  'DpSgdClassifier (MLP [8])',
  () =>
    new DpSgdClassifier({
      hiddenLayerSizes: [8],
      noiseMultiplier: 0.5,
      batchSize: 20,
      epochs: 5,
      secureNoise: false,
    }),
);
