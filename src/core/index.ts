/** steward/core: errors, seeded RNG, typed-array math and the estimator contract. */
export * from './atomic-write.js';
export * from './errors.js';
export * from './estimator.js';
export * from './matrix.js';
export * from './rng.js';
export * from './validate.js';
export * from './version.js';
