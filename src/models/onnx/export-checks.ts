import { type DenseNetwork, InvalidParameterError } from '../../core/index.js';
import type { EncoderSpec } from '../../data/index.js';

/** Checks the encoder and returns its output width. */
export function checkEncoder(encoder: EncoderSpec): number {
  if (encoder.features.length === 0) {
    throw new InvalidParameterError(
      'The encoder of exportPipelineToOnnx must have at least one feature. Got none.',
    );
  }
  let width = 0;
  for (const f of encoder.features) {
    if (f.kind === 'numeric') {
      if (!Number.isFinite(f.mean) || !Number.isFinite(f.scale) || f.scale === 0) {
        throw new InvalidParameterError(
          `The numeric feature '${f.column}' of the encoder must have a finite mean and a finite non-zero scale. Got mean ${f.mean} and scale ${f.scale} instead.`,
        );
      }
      width += 1;
    } else {
      if (f.categories.length === 0) {
        throw new InvalidParameterError(
          `The categorical feature '${f.column}' of the encoder must have at least one category. Got none; fit the encoder on non-empty data.`,
        );
      }
      width += f.categories.length;
    }
  }
  if (encoder.outputNames.length !== width) {
    throw new InvalidParameterError(
      `The encoder's outputNames must list one name per encoded column (${width}). Got ${encoder.outputNames.length} instead.`,
    );
  }
  return width;
}

/** Checks that the network is a chain of dense layers ending in one sigmoid unit (taking `inputs` inputs when given). */
export function checkNetwork(network: DenseNetwork, inputs?: number): void {
  const { layers } = network;
  if (layers.length === 0) {
    throw new InvalidParameterError(
      'The network given to the ONNX exporter must have at least one layer. Got none.',
    );
  }
  if (network.hiddenActivation !== 'relu' || network.outputActivation !== 'sigmoid') {
    throw new InvalidParameterError(
      `The ONNX exporter supports ReLU hidden layers and a sigmoid output. Got '${network.hiddenActivation}' and '${network.outputActivation}' instead.`,
    );
  }
  if (inputs !== undefined && layers[0].inputs !== inputs) {
    throw new InvalidParameterError(
      `The network's first layer must take the encoder's ${inputs} output columns. Got ${layers[0].inputs} inputs instead.`,
    );
  }
  layers.forEach((layer, l) => {
    const where = `Layer ${l} of the network`;
    if (l > 0 && layer.inputs !== layers[l - 1].outputs) {
      throw new InvalidParameterError(
        `${where} must take ${layers[l - 1].outputs} inputs. Got ${layer.inputs} instead.`,
      );
    }
    if (layer.weights.length !== layer.inputs * layer.outputs || layer.bias.length !== layer.outputs) {
      throw new InvalidParameterError(
        `${where} must have ${layer.inputs * layer.outputs} weights and ${layer.outputs} biases. Got ${layer.weights.length} and ${layer.bias.length} instead.`,
      );
    }
    if (!layer.weights.every(Number.isFinite) || !layer.bias.every(Number.isFinite)) {
      throw new InvalidParameterError(
        `${where} must have finite weights and biases. Got NaN or Infinity instead.`,
      );
    }
  });
  if (layers[layers.length - 1].outputs !== 1) {
    throw new InvalidParameterError(
      `The last layer of the network must have 1 output. Got ${layers[layers.length - 1].outputs} instead.`,
    );
  }
}
