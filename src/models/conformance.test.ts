import { runClassifierConformance } from './conformance.test-suite.js';
import { LogisticRegression } from './logistic-regression.js';
import { MLPClassifier } from './mlp-classifier.js';

// Zero weight and dropping give the same objective for logistic regression, so after Newton
// refinement the fits agree to rounding; 1e-8 leaves room for the optimiser's tolerance.
runClassifierConformance('LogisticRegression', () => new LogisticRegression(), { zeroWeightTolerance: 1e-8 });
runClassifierConformance(
  'LogisticRegression (threads: 2)',
  () => new LogisticRegression({ threads: 2, C: 0.5 }),
  {
    zeroWeightTolerance: 1e-8,
  },
);
// Minibatches differ when rows are dropped, so the MLP skips the zero-weight check.
runClassifierConformance(
  'MLPClassifier',
  () =>
    new MLPClassifier({ hiddenLayerSizes: [8], learningRate: 0.01, batchSize: 32, maxEpochs: 40, seed: 3 }),
);
runClassifierConformance(
  'MLPClassifier (two hidden layers, threads: 2, no early stopping)',
  () =>
    new MLPClassifier({
      hiddenLayerSizes: [6, 4],
      learningRate: 0.02,
      batchSize: 50,
      maxEpochs: 30,
      earlyStopping: false,
      threads: 2,
    }),
);
