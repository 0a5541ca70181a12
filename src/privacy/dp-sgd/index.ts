/** steward/privacy/dp-sgd: DP-SGD (Abadi et al. 2016) for logistic regression and MLPs, and its accuracy-vs-ε curve. */
export * from './accuracy-curve.js';
export * from './dp-sgd-classifier.js';
export * from './dp-sgd-options.js';
export * from './dp-sgd-random.js';
export * from './per-sample-backprop.js';
