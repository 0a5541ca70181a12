import type { ColumnBatch } from '../data/index.js';
import { type ExplainableModel, encoderFeatures, reasonCodes, shapValues } from '../explain/index.js';
import { type ServedModel, scoreBatch } from './served-model.js';

/** The answer of `POST /v1/decide` (plain JSON). */
export interface DecideResponse {
  readonly model_name: string;
  readonly model_version: string;
  /** 1 when P(positive label) >= threshold, else 0. */
  readonly decision: 0 | 1;
  readonly probability: number;
  readonly threshold: number;
  readonly positive_label: string | null;
  /** Principal reasons of an unfavourable decision (at most four); absent without a background. */
  readonly reasons?: {
    feature: string;
    value: number | string | null;
    reference: number | string | null;
    contribution: number;
    text: string;
  }[];
  /** Why reasons are absent or empty. */
  readonly notes?: string[];
}

/** The explainable view of a served model: its original columns, scored through ONNX Runtime. */
export function explainableOf(m: ServedModel): ExplainableModel {
  return {
    features: encoderFeatures(m.encoder),
    predictProba: (batch) => m.model.predictProbaBatch(batch, 'request'),
  };
}

/**
 * Decides for one applicant: P(positive) from the model, decision at the model's threshold, and, when a
 * background population is given, up to four principal reasons of an unfavourable decision (reasonCodes:
 * SHAP values, Lundberg & Lee 2017, against the background, seed 0 so answers are reproducible).
 */
export async function decide(
  m: ServedModel,
  applicant: ColumnBatch,
  background: ColumnBatch | undefined,
): Promise<DecideResponse> {
  const { probability } = await scoreBatch(m, applicant);
  const p = probability[0];
  const base = {
    model_name: m.name,
    model_version: m.version,
    decision: (p >= m.threshold ? 1 : 0) as 0 | 1,
    probability: p,
    threshold: m.threshold,
    positive_label: m.positiveLabel ?? null,
  };
  if (background === undefined) {
    return {
      ...base,
      notes: [
        'No reasons: the server was started without --background, so SHAP has no reference population.',
      ],
    };
  }
  const codes = await reasonCodes({
    model: explainableOf(m),
    explainer: (model, rows, options) => shapValues(model, rows, options),
    row: applicant,
    reference: 'all',
    population: background,
    threshold: m.threshold,
    maxReasons: 4,
    shap: { seed: 0 },
  });
  const reasons = codes.reasons.map((r) => ({
    feature: r.feature,
    value: r.value,
    reference: r.reference,
    contribution: r.contribution,
    text: r.text,
  }));
  return { ...base, reasons, ...(codes.note !== undefined ? { notes: [codes.note] } : {}) };
}
