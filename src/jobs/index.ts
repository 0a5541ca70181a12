/** steward/jobs: the library functions behind the CLI commands (run, train, predict, inspect). */
export * from './audit-job.js';
export * from './config.js';
export * from './dp-audit-counts.js';
export * from './dp-training.js';
export * from './evaluate.js';
export * from './fit-and-evaluate.js';
export * from './inspect-job.js';
export * from './mitigate-job.js';
export * from './predict-job.js';
export * from './privacy-job.js';
export * from './privacy-view.js';
export * from './run-job.js';
export * from './run-mitigations.js';
export * from './step-timer.js';
export * from './steward-model.js';
export * from './train-job.js';
export * from './train-pipeline.js';
