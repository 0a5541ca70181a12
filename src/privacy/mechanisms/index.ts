/** steward/privacy/mechanisms: DP mechanisms on a secure random source (snapping Laplace, Gaussian, discrete, exponential) and DP statistics. */
export {
  bernoulliExp,
  type DiscreteGaussianOptions,
  type DiscreteLaplaceOptions,
  discreteGaussianMechanism,
  discreteGaussianRho,
  discreteLaplaceMechanism,
  sampleDiscreteGaussian,
  sampleDiscreteLaplace,
  zcdpEpsilon,
} from './discrete.js';
export { dpGroupCounts, type GroupCountCell } from './dp-group-counts.js';
export { type DpQuantileOptions, dpQuantile, quantileIntervalLogWeights } from './dp-quantile.js';
export {
  type DpBoundedOptions,
  type DpHistogramOptions,
  type DpHistogramValue,
  type DpStatisticOptions,
  dpCount,
  dpHistogram,
  dpMean,
  dpSum,
} from './dp-statistics.js';
export {
  type ExponentialOptions,
  exponentialMechanism,
  exponentialMechanismProbabilities,
  sampleLogWeights,
} from './exponential.js';
export {
  ANALYTIC_GAUSSIAN_TOLERANCE,
  analyticGaussianSigma,
  classicGaussianSigma,
  type GaussianOptions,
  gaussianMechanism,
  gaussianMechanismDelta,
  sampleGaussian,
} from './gaussian.js';
export {
  type LaplaceOptions,
  laplaceCdf,
  laplaceMechanism,
  type SnappingParameters,
  sampleLaplace,
  snappingParameters,
} from './laplace.js';
export { type DpRelease, type MechanismRandomOptions, type Rational, toRational } from './parameters.js';
export { type RandomBits, RandomSource, randomSource, SecureRandom, SeededRandom } from './random-source.js';
