import { InvalidParameterError } from '../../core/index.js';
import type { ColumnBatch } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import type { ShapExplanation, ShapMethod } from '../shap-result.js';
import { type KernelShapOptions, kernelShap } from './kernel-shap.js';
import { linearLayer, linearShap } from './linear-shap.js';
import { type PermutationShapOptions, permutationShap } from './permutation-shap.js';
import { checkOutput } from './shap-inputs.js';

/** Options of `shapValues`: the options of every method (`threads` is KernelSHAP's), plus the method to use. */
export interface ShapValuesOptions
  extends KernelShapOptions,
    Omit<PermutationShapOptions, keyof KernelShapOptions> {
  /** 'auto' (default): linear-exact for a linear Steward pipeline in log-odds, else KernelSHAP (exact when M <= 11). */
  method?: 'auto' | ShapMethod;
}

const METHODS: readonly string[] = ['auto', 'linear-exact', 'kernel-exact', 'kernel-sampled', 'permutation'];

/** The method `shapValues` uses for `model` with `options` ('auto' resolved). */
export function chooseShapMethod(
  model: ExplainableModel,
  options: Pick<ShapValuesOptions, 'method' | 'output'>,
): ShapMethod {
  const method = options.method ?? 'auto';
  if (!METHODS.includes(method)) {
    throw new InvalidParameterError(
      `The 'method' option of shapValues must be one of ${METHODS.map((m) => `'${m}'`).join(', ')}. Got '${String(method)}' instead.`,
    );
  }
  checkOutput('shapValues', options.output);
  if (method !== 'auto') return method;
  if (options.output !== 'probability' && linearLayer(model) !== undefined) return 'linear-exact';
  return model.features.length <= 11 ? 'kernel-exact' : 'kernel-sampled';
}

/**
 * SHAP values of `rows` (Lundberg & Lee 2017) by the best method available: exact linear SHAP in log-odds
 * for a linear Steward pipeline, otherwise KernelSHAP over the original features (all coalitions when
 * M <= 11, shap's sampling above), or the method named by `method`.
 */
export async function shapValues(
  model: ExplainableModel,
  rows: ColumnBatch,
  options: ShapValuesOptions,
): Promise<ShapExplanation> {
  const method = chooseShapMethod(model, options);
  switch (method) {
    case 'linear-exact':
      return linearShap(model, rows, options);
    case 'kernel-exact':
      return kernelShap(model, rows, { ...options, exact: true });
    case 'kernel-sampled':
      return kernelShap(model, rows, { ...options, exact: false });
    case 'permutation':
      return permutationShap(model, rows, options);
  }
}
