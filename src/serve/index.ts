/** steward/serve: Open Inference Protocol (KServe v2) REST serving of Steward ONNX pipelines, API keys with per-key rate limits, Ed25519-signed models, /v1/decide, dynamic batching, /metrics. */
export * from './api-keys.js';
export * from './app.js';
export * from './batcher.js';
export * from './decide.js';
export * from './decision-log.js';
export * from './http-errors.js';
export * from './metrics.js';
export * from './model-signing.js';
export * from './monitoring/index.js';
export * from './node-listener.js';
export * from './rate-limit.js';
export * from './request-body.js';
export * from './served-model.js';
