import { checkInteger, InvalidParameterError } from '../../core/index.js';
import { type ColumnBatch, compareCodeUnits } from '../../data/index.js';
import { type ExplainableModel, takeBatchRows } from '../explainable-model.js';
import type { ShapExplainer, ShapOutput } from '../shap-result.js';
import {
  type CellValue,
  checkReasonTemplates,
  DEFAULT_REASON_TEMPLATE,
  directionOf,
  formatCell,
  renderReason,
  typicalValue,
} from './reason-templates.js';

/** Which applicants the reasons are measured against (12 CFR 1002 Supplement I, comment 9(b)(2)-5). */
export type ReasonReference = 'all' | 'near-cutoff';

/** Arguments of `reasonCodes`. */
export interface ReasonCodesOptions {
  /** The model deciding (P(y = 1) is the favourable score). */
  model: ExplainableModel;
  /** The SHAP explainer to use (any `ShapExplainer`). */
  explainer: ShapExplainer;
  /** The applicant: a one-row batch, or a larger batch with `rowIndex`. */
  row: ColumnBatch;
  /** Which row of `row` to explain; required when `row` has more than one row. */
  rowIndex?: number;
  /** 'all': the whole population as background; 'near-cutoff': the approved applicants nearest the threshold. */
  reference: ReasonReference;
  /** The applicant population (e.g. the training or recent applications). */
  population: ColumnBatch;
  /** Favourable when P(y = 1) >= threshold. */
  threshold: number;
  /** At most this many reasons; default 4 (Regulation B's commentary: more than four is not meaningful). */
  maxReasons?: number;
  /** 'near-cutoff': how many population rows just above the threshold form the reference; default 100. */
  nearCutoffRows?: number;
  /** A template per feature with {feature}, {value}, {reference}, {direction}. */
  templates?: Readonly<Record<string, string>>;
  /** Template of features without one; default DEFAULT_REASON_TEMPLATE. */
  defaultTemplate?: string;
  /** Output space and seed passed to the explainer (its defaults otherwise). */
  shap?: { output?: ShapOutput; seed?: number };
}

/** One principal reason for an unfavourable decision. */
export interface Reason {
  /** Original column name. */
  readonly feature: string;
  /** The applicant's value (null = missing). */
  readonly value: CellValue;
  /** Typical value in the reference group (median or mode). */
  readonly reference: CellValue;
  /** SHAP value φ (< 0: it pushed the score down), in the explanation's output space. */
  readonly contribution: number;
  /** The rendered sentence. */
  readonly text: string;
}

/** Reason codes for one decision (plain JSON). */
export interface ReasonCodes {
  /** 'unfavourable' when P(y = 1) < threshold. */
  readonly decision: 'unfavourable' | 'favourable';
  /** P(y = 1) of the applicant. */
  readonly probability: number;
  /** Decision threshold. */
  readonly threshold: number;
  /** The reference group the contributions are measured against. */
  readonly reference: {
    readonly kind: ReasonReference;
    /** Rows in it. */
    readonly rows: number;
    /** Lowest and highest P(y = 1) in it ('near-cutoff' only). */
    readonly probabilityRange?: readonly [number, number];
  };
  /** Principal reasons, most negative contribution first (empty for a favourable decision). */
  readonly reasons: Reason[];
  /** Features that also lowered the score but fell beyond `maxReasons`. */
  readonly omittedNegative: number;
  /** Explanation details: space, base value (mean score of the reference) and additivity error. */
  readonly shap?: {
    readonly output: ShapOutput;
    readonly baseValue: number;
    readonly additivityError: number;
  };
  /** Why there are no reasons, when there are none. */
  readonly note?: string;
}

/**
 * Principal reasons for an adverse decision (US Regulation B, 12 CFR 1002.9(b)(2): specific reasons, at
 * most four per its commentary), ranked by SHAP value (Lundberg & Lee 2017) against a reference
 * population, as the commentary's "all applicants" or "applicants just above the cut-off" methods allow.
 * Reasons are the features with φⱼ < 0, most negative first, ties by feature name; each is rendered from
 * its template. A favourable decision (P(y = 1) >= threshold) gets no reasons and a note.
 */
export async function reasonCodes(options: ReasonCodesOptions): Promise<ReasonCodes> {
  const { model, explainer, row, population, reference } = options;
  const maxReasons = options.maxReasons ?? 4;
  checkInteger('reasonCodes', 'maxReasons', maxReasons, 1);
  const nearCutoffRows = options.nearCutoffRows ?? 100;
  checkInteger('reasonCodes', 'nearCutoffRows', nearCutoffRows, 1);
  const threshold = options.threshold;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new InvalidParameterError(
      `The 'threshold' option of reasonCodes must be in [0, 1]. Got ${String(threshold)} instead.`,
    );
  }
  if (reference !== 'all' && reference !== 'near-cutoff') {
    throw new InvalidParameterError(
      `The 'reference' option of reasonCodes must be 'all' or 'near-cutoff'. Got '${String(reference)}' instead.`,
    );
  }
  if (typeof explainer !== 'function') {
    throw new InvalidParameterError(
      "The 'explainer' option of reasonCodes must be a SHAP explainer function.",
    );
  }
  const names = model.features.map((f) => f.name);
  const defaultTemplate = options.defaultTemplate ?? DEFAULT_REASON_TEMPLATE;
  const templates = options.templates ?? {};
  checkReasonTemplates(templates, names, defaultTemplate);
  checkColumns(row, names, 'row');
  checkColumns(population, names, 'population');
  if (population.rows < 1) {
    throw new InvalidParameterError(
      "The 'population' option of reasonCodes needs at least one row. Got 0 rows instead.",
    );
  }
  const rowIndex = options.rowIndex ?? 0;
  if (options.rowIndex === undefined && row.rows !== 1) {
    throw new InvalidParameterError(
      `The 'row' option of reasonCodes must hold exactly one row, or pass 'rowIndex'. Got ${row.rows} rows instead.`,
    );
  }
  checkInteger('reasonCodes', 'rowIndex', rowIndex, 0);
  if (rowIndex >= row.rows) {
    throw new InvalidParameterError(
      `The 'rowIndex' option of reasonCodes must be in [0, ${row.rows - 1}]. Got ${rowIndex} instead.`,
    );
  }
  const x = takeBatchRows(row, [rowIndex]);
  const probability = (await model.predictProba(x))[0];
  const background = await referenceRows(model, population, reference, threshold, nearCutoffRows);
  const decision = probability >= threshold ? 'favourable' : 'unfavourable';
  const base = { decision, probability, threshold, reference: background.summary } as const;
  if (decision === 'favourable') {
    return {
      ...base,
      reasons: [],
      omittedNegative: 0,
      note: 'Favourable decision: no adverse-action reasons are given.',
    };
  }
  const explanation = await explainer(model, x, { background: background.batch, ...options.shap });
  if (explanation.rows !== 1 || explanation.values.length !== explanation.features.length) {
    throw new InvalidParameterError(
      `reasonCodes: the explainer returned ${explanation.rows} rows and ${explanation.values.length} values for one row of ${explanation.features.length} features. Check the explainer.`,
    );
  }
  const negative = explanation.features
    .map((feature, j) => ({ feature, contribution: explanation.values[j] }))
    .filter((c) => c.contribution < 0)
    .sort((a, b) => a.contribution - b.contribution || compareCodeUnits(a.feature, b.feature));
  const reasons = negative.slice(0, maxReasons).map(({ feature, contribution }): Reason => {
    const kind = model.features.find((f) => f.name === feature)?.kind ?? 'categorical';
    const column = x.columns[feature];
    const value: CellValue = column[0];
    const typical = typicalValue(background.batch.columns[feature], kind);
    const text = renderReason(templates[feature] ?? defaultTemplate, {
      feature,
      value: formatCell(value),
      reference: formatCell(typical),
      direction: directionOf(value, typical, kind),
    });
    return { feature, value: isMissing(value) ? null : value, reference: typical, contribution, text };
  });
  return {
    ...base,
    reasons,
    omittedNegative: negative.length - reasons.length,
    shap: {
      output: explanation.output,
      baseValue: explanation.baseValue,
      additivityError: explanation.additivityError,
    },
    ...(reasons.length === 0
      ? { note: 'Unfavourable decision, but no feature lowered the score against this reference.' }
      : {}),
  };
}

/**
 * The reference group: the whole population, or ('near-cutoff') the `k` population rows with the
 * smallest P(y = 1) at or above the threshold (ties by row order), i.e. the applicants approved by the
 * narrowest margin.
 */
async function referenceRows(
  model: ExplainableModel,
  population: ColumnBatch,
  reference: ReasonReference,
  threshold: number,
  k: number,
): Promise<{ batch: ColumnBatch; summary: ReasonCodes['reference'] }> {
  if (reference === 'all') return { batch: population, summary: { kind: 'all', rows: population.rows } };
  const p = await model.predictProba(population);
  const above: number[] = [];
  for (let i = 0; i < population.rows; i++) if (p[i] >= threshold) above.push(i);
  if (above.length === 0) {
    throw new InvalidParameterError(
      `reasonCodes: no population row has P(y = 1) >= the threshold ${threshold}, so there is no 'near-cutoff' reference. Use reference 'all' or a larger population.`,
    );
  }
  above.sort((a, b) => p[a] - p[b] || a - b);
  const chosen = above.slice(0, k);
  return {
    batch: takeBatchRows(population, chosen),
    summary: {
      kind: 'near-cutoff',
      rows: chosen.length,
      probabilityRange: [p[chosen[0]], p[chosen[chosen.length - 1]]],
    },
  };
}

function checkColumns(batch: ColumnBatch, names: readonly string[], what: string): void {
  for (const name of names) {
    if (batch?.columns?.[name] === undefined) {
      throw new InvalidParameterError(
        `The '${what}' option of reasonCodes lacks the model's column '${name}'. Add it to the batch.`,
      );
    }
  }
}

function isMissing(v: CellValue): boolean {
  return v === null || (typeof v === 'number' && Number.isNaN(v));
}
