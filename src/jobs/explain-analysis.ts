import { type DenseNetworkModel, hasDenseNetwork, Rng } from '../core/index.js';
import type { ColumnBatch, EncoderSpec } from '../data/index.js';
import {
  type CounterfactualResult,
  counterfactuals,
  meanAbsShapImportance,
  type PermutationImportance,
  permutationImportance,
  pipelineModel,
  type ReasonCodes,
  reasonCodes,
  type ShapExplanation,
  type ShapImportance,
  shapValues,
  takeBatchRows,
} from '../explain/index.js';
import type { ExplainConfig } from './config.js';
import { firstRowValue, protectedReasonWarnings } from './explain-job.js';

/** What the run's explanation step works on. */
export interface ExplainRunInput {
  encoder: EncoderSpec;
  model: DenseNetworkModel;
  /** Raw training rows (background, ranges and categories of counterfactuals). */
  train: ColumnBatch;
  /** Raw held-out rows, their labels and P(favourable). */
  test: ColumnBatch;
  labels: Uint8Array;
  proba: Float64Array;
  threshold: number;
  protectedAttributes: readonly string[];
  seed: number;
}

/** One refused held-out row explained three ways. */
export interface RefusedRowExplanation {
  /** 1-based position among the held-out rows. */
  row: number;
  probability: number;
  shap: ShapExplanation;
  values: Record<string, number | string | null>;
  reasons: ReasonCodes;
  counterfactuals: CounterfactualResult;
}

/** The explanation step of `steward run`, plain JSON. */
export interface ExplainRunResult {
  /** Mean |SHAP| over a seeded sample of held-out rows. */
  importance: ShapImportance;
  backgroundRows: number;
  /** Drop in held-out accuracy when one column is shuffled. */
  permutation: PermutationImportance;
  /** The first refused held-out row, when there is one. */
  example?: RefusedRowExplanation;
  warnings: string[];
}

/** True when SHAP can be exact and cheap (a one-layer network: logistic regression or DP-SGD's). */
function isLinear(model: DenseNetworkModel): boolean {
  return hasDenseNetwork(model) && model.toDenseNetwork().layers.length === 1;
}

/**
 * Explains the run's model on its held-out rows: global importance by mean |SHAP| (exact linear SHAP for a
 * linear model, KernelSHAP otherwise, on fewer rows), permutation importance (accuracy), and the first
 * refused held-out row with its SHAP values, principal reasons and counterfactuals that keep the protected
 * attributes fixed.
 */
export async function runExplainAnalysis(
  settings: Exclude<ExplainConfig, false>,
  input: ExplainRunInput,
): Promise<ExplainRunResult> {
  const model = pipelineModel(input.encoder, input.model);
  const linear = isLinear(input.model);
  const pick = (rows: number, n: number, salt: number) => new Rng(input.seed + salt).sortedSample(rows, n);
  const sample = (batch: ColumnBatch, n: number, salt: number) =>
    takeBatchRows(batch, pick(batch.rows, n, salt));
  // KernelSHAP costs rows × background × coalitions model calls: keep it small for non-linear models.
  const background = sample(input.train, linear ? settings.background : Math.min(settings.background, 50), 1);
  const explained = sample(input.test, linear ? settings.rows : Math.min(settings.rows, 50), 2);
  const global = await shapValues(model, explained, { background, seed: input.seed });
  const importance = meanAbsShapImportance(global);
  const permutedRows = pick(input.test.rows, settings.permutationRows, 3);
  const permutation = await permutationImportance(
    model,
    takeBatchRows(input.test, permutedRows),
    Uint8Array.from(permutedRows, (i) => input.labels[i]),
    { seed: input.seed },
  );
  const warnings: string[] = [];
  let example: RefusedRowExplanation | undefined;
  const refused = input.proba.findIndex((p) => p < input.threshold);
  if (refused >= 0) {
    const row = takeBatchRows(input.test, [refused]);
    const shap = await shapValues(model, row, { background, seed: input.seed });
    const reasons = await reasonCodes({
      model,
      explainer: (m, r, o) => shapValues(m, r, o),
      row,
      reference: 'all',
      population: background,
      threshold: input.threshold,
      shap: { seed: input.seed },
    });
    const cf = await counterfactuals(model, row, {
      data: sample(input.train, 2000, 4),
      threshold: input.threshold,
      count: 4,
      seed: input.seed,
      constraints: { immutable: [...input.protectedAttributes] },
    });
    warnings.push(...protectedReasonWarnings(reasons.reasons, input.protectedAttributes));
    example = {
      row: refused + 1,
      probability: input.proba[refused],
      shap,
      values: Object.fromEntries(shap.features.map((f) => [f, firstRowValue(row, f)])),
      reasons,
      counterfactuals: cf,
    };
  } else {
    warnings.push('No held-out row was refused at this threshold, so no decision is explained.');
  }
  return {
    importance,
    backgroundRows: background.rows,
    permutation,
    ...(example ? { example } : {}),
    warnings,
  };
}
