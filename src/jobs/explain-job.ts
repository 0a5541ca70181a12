import { InvalidParameterError, Rng } from '../core/index.js';
import { type ColumnBatch, isNumericColumn, readFileColumns } from '../data/index.js';
import {
  type CounterfactualResult,
  counterfactuals,
  type ExplainableModel,
  encoderFeatures,
  meanAbsShapImportance,
  type ReasonCodes,
  reasonCodes,
  type ShapExplanation,
  shapValues,
  takeBatchRows,
} from '../explain/index.js';
import { loadStewardModel } from './steward-model.js';

/** Options of `explainJob` (what `steward explain` takes). */
export interface ExplainJobOptions {
  /** A Steward-exported ONNX model. */
  model: string;
  /** CSV, Parquet or JSON file: the rows to explain, and the population (background, ranges, categories). */
  data: string;
  /** 1-based data row to explain (local explanation). */
  row?: number;
  /** Background rows sampled from the file (seeded); default 100. */
  background?: number;
  /** Reason codes measured against all applicants or those just above the cut-off; default 'all'. */
  reference?: 'all' | 'near-cutoff';
  /** Columns counterfactuals may not change; default the model's protected attributes. */
  immutable?: string[];
  /** Counterfactuals wanted; default 4. */
  count?: number;
  /** Global view: rows explained for mean |SHAP| (seeded sample); default 200. */
  globalRows?: number;
  /** Seed of every sample and search; default 0. */
  seed?: number;
}

/** A local explanation: the `steward explain --row N --json` contract. */
export interface RowExplanation {
  row: number;
  /** 0/1 decision at the model's threshold, and the probability of the favourable label. */
  prediction: 0 | 1;
  probability: number;
  threshold: number;
  positive_label?: string;
  /** SHAP: base value + Σ shap = probability (output space 'probability' unless the method says otherwise). */
  base_value: number;
  output: string;
  method: string;
  additivity_error: number;
  shap: Record<string, number>;
  /** The row's values, by column (for reading the explanation). */
  values: Record<string, number | string | null>;
  reasons: ReasonCodes['reasons'];
  counterfactuals: CounterfactualResult['counterfactuals'];
  counterfactual_search: Omit<CounterfactualResult, 'counterfactuals'>;
  /** Things a reader must know (a protected attribute among the reasons, ...). */
  warnings: string[];
}

/** A global explanation: mean |SHAP| over a sample of rows. */
export interface GlobalExplanation {
  rows: number;
  background_rows: number;
  output: string;
  method: string;
  importance: { feature: string; mean_abs_shap: number; mean_shap: number }[];
}

/** Loads the model and the file, and builds the explainable view over the model's original columns. */
async function openExplain(options: ExplainJobOptions) {
  const loaded = await loadStewardModel(options.model);
  const { model, encoder, threshold, positiveLabel, derive } = loaded;
  const data = await readFileColumns(
    options.data,
    encoder.features.map((f) => ({ name: f.column, kind: f.kind })),
    { derive },
  ).catch((error: unknown) => {
    model.dispose();
    throw error;
  });
  const explainable: ExplainableModel = {
    features: encoderFeatures(encoder),
    predictProba: (batch) => model.predictProbaBatch(batch),
  };
  const protectedAttributes = (model.metadata['steward.protected_attributes'] ?? '')
    .split(',')
    .filter((c) => c.length > 0);
  const seed = options.seed ?? 0;
  const sample = (n: number) => takeBatchRows(data, new Rng(seed).sortedSample(data.rows, n));
  return { loaded, data, explainable, threshold, positiveLabel, protectedAttributes, seed, sample };
}

/**
 * Explains one decision of a Steward ONNX model on a row of a file: SHAP values per original column
 * (exact when the model allows, else KernelSHAP against a seeded background sample), up to four principal
 * reasons when the decision is unfavourable, and DiCE-style counterfactuals that never change the model's
 * protected attributes (or the `immutable` columns).
 */
export async function explainRowJob(options: ExplainJobOptions): Promise<RowExplanation> {
  const x = await openExplain(options);
  try {
    const n = options.row;
    if (n === undefined || !Number.isInteger(n) || n < 1 || n > x.data.rows) {
      throw new InvalidParameterError(
        `The '--row' flag must be a data row of ${options.data}, from 1 to ${x.data.rows}. Got ${n} instead.`,
      );
    }
    const row = takeBatchRows(x.data, [n - 1]);
    const background = x.sample(options.background ?? 100);
    const explanation: ShapExplanation = await shapValues(x.explainable, row, { background, seed: x.seed });
    const probability = (await x.explainable.predictProba(row))[0];
    const reasons = await reasonCodes({
      model: x.explainable,
      explainer: (m, r, o) => shapValues(m, r, o),
      row,
      reference: options.reference ?? 'all',
      population: background,
      threshold: x.threshold,
      shap: { seed: x.seed },
    });
    const immutable = options.immutable ?? x.protectedAttributes;
    const known = new Set(x.explainable.features.map((f) => f.name));
    for (const c of immutable) {
      if (!known.has(c)) {
        throw new InvalidParameterError(
          `The immutable column '${c}' is not an input of the model. Its inputs are: ${[...known].join(', ')}.`,
        );
      }
    }
    const cf = await counterfactuals(x.explainable, row, {
      data: x.data,
      threshold: x.threshold,
      count: options.count ?? 4,
      seed: x.seed,
      constraints: { immutable },
    });
    const { counterfactuals: found, ...search } = cf;
    const features = explanation.features;
    const warnings = protectedReasonWarnings(reasons.reasons, x.protectedAttributes);
    return {
      row: n,
      prediction: probability >= x.threshold ? 1 : 0,
      probability,
      threshold: x.threshold,
      ...(x.positiveLabel !== undefined ? { positive_label: x.positiveLabel } : {}),
      base_value: explanation.baseValue,
      output: explanation.output,
      method: explanation.method,
      additivity_error: explanation.additivityError,
      shap: Object.fromEntries(features.map((f, j) => [f, explanation.values[j]])),
      values: Object.fromEntries(features.map((f) => [f, firstRowValue(row, f)])),
      reasons: reasons.reasons,
      counterfactuals: found,
      counterfactual_search: search,
      warnings,
    };
  } finally {
    x.loaded.model.dispose();
  }
}

/** The global view: mean |SHAP| per original column over a seeded sample of the file's rows. */
export async function explainGlobalJob(options: ExplainJobOptions): Promise<GlobalExplanation> {
  const x = await openExplain(options);
  try {
    const rows = x.sample(options.globalRows ?? 200);
    const background = x.sample(options.background ?? 100);
    const explanation = await shapValues(x.explainable, rows, { background, seed: x.seed });
    const ranked = meanAbsShapImportance(explanation);
    return {
      rows: explanation.rows,
      background_rows: explanation.backgroundRows,
      output: explanation.output,
      method: explanation.method,
      importance: ranked.features.map((f) => ({
        feature: f.feature,
        mean_abs_shap: f.meanAbs,
        mean_shap: f.mean,
      })),
    };
  } finally {
    x.loaded.model.dispose();
  }
}

/**
 * A warning for each protected attribute among the principal reasons: the model uses it, and an adverse
 * action notice may not cite it (Regulation B, 12 CFR 1002.6); drop it from the features or review the model.
 */
export function protectedReasonWarnings(
  reasons: readonly { feature: string }[],
  protectedAttributes: readonly string[],
): string[] {
  return reasons
    .filter((r) => protectedAttributes.includes(r.feature))
    .map(
      (r) =>
        `The protected attribute '${r.feature}' is among the principal reasons: the model uses it as a feature. A notice of adverse action may not cite it; consider training without it (--ignore ${r.feature}).`,
    );
}

/** The first row's value of `column` (null when missing or absent), for showing an explained row. */
export function firstRowValue(batch: ColumnBatch, column: string): number | string | null {
  const c = batch.columns[column];
  if (c === undefined) return null;
  if (isNumericColumn(c)) return Number.isNaN(c[0]) ? null : c[0];
  return c[0];
}
