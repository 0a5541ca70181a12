/** steward/models/onnx: export dense pipelines to ONNX and run any ONNX binary classifier with onnxruntime-node. */
export * from './export-onnx.js';
export * from './onnx-classifier.js';
export type { OnnxElementType, OnnxModelInfo, OnnxValueInfo } from './onnx-model-info.js';
export { readOnnxModelInfo } from './onnx-model-info.js';
