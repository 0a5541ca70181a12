import { InvalidParameterError } from '../../core/index.js';
import type { FairnessAudit } from '../fairness-audit.js';
import { groupLabel } from '../privileged.js';

/** Kind of a guard-rail flag raised on a mitigation's result. */
export type MitigationFlagCode = 'zero_selection_rate' | 'accuracy_loss' | 'empty_cell';

/** One guard-rail warning a user must see: a code for programs and a message for people. */
export interface MitigationFlag {
  /** What went wrong. */
  readonly code: MitigationFlagCode;
  /** What was wrong and what it means, in words. */
  readonly message: string;
}

/** The numbers of one side (before or after) of a mitigation, as an audit names them. */
export interface MitigationSnapshot {
  /** Headline metrics under the audit's names (`accuracy`, `disparate_impact`, ...). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Selection rate of each group, keyed by its label ("sex=Female"). */
  readonly selectionRates: Readonly<Record<string, number>>;
}

/** The plain, JSON-serialisable result of one mitigation: before/after metrics, fit time and flags. */
export interface MitigationResult {
  /** Method name (`reweighing`, `threshold-optimizer`, ...). */
  readonly method: string;
  /** Options the method ran with. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The baseline's numbers. */
  readonly before: MitigationSnapshot;
  /** The mitigated model's numbers (for a randomised post-processor: one seeded draw of its decisions). */
  readonly after: MitigationSnapshot;
  /**
   * For randomised post-processors only: the numbers in expectation over the draw, from each row's
   * probability of a favourable decision (weighted counts q·[ŷ=1] + (1 − q)·[ŷ=0]). One draw's disparate
   * impact moves by ±0.02-0.03 between seeds on Adult; this does not.
   */
  readonly expected?: MitigationSnapshot;
  /** Seconds spent fitting the mitigation (and its model, for pre- and in-processing). */
  readonly fitSeconds: number;
  /** Guard-rail flags; empty when nothing looked wrong. */
  readonly flags: readonly MitigationFlag[];
}

/** Options of `mitigationFlags`. */
export interface GuardRailOptions {
  /** Largest acceptable drop in accuracy (before − after); default 0.05. */
  maxAccuracyLoss?: number;
}

/** Default bound on the accuracy a mitigation may lose before it is flagged. */
export const DEFAULT_MAX_ACCURACY_LOSS = 0.05;

/**
 * Guard rails of a mitigation from its before/after numbers: a group whose selection rate is 0
 * after mitigation (AIF360's calibrated equalized odds does this to women on Adult, see
 * ../shared/reference/fairness/mitigation.md), and an accuracy drop larger than `maxAccuracyLoss`.
 */
export function mitigationFlags(
  before: MitigationSnapshot,
  after: MitigationSnapshot,
  options: GuardRailOptions = {},
): MitigationFlag[] {
  const bound = options.maxAccuracyLoss ?? DEFAULT_MAX_ACCURACY_LOSS;
  if (!(bound >= 0 && Number.isFinite(bound))) {
    throw new InvalidParameterError(
      `The 'maxAccuracyLoss' option of mitigationFlags must be a finite number >= 0. Got ${bound} instead.`,
    );
  }
  const flags: MitigationFlag[] = [];
  for (const [group, rate] of Object.entries(after.selectionRates)) {
    if (rate !== 0) continue;
    const was = before.selectionRates[group];
    flags.push({
      code: 'zero_selection_rate',
      message:
        was !== undefined && was > 0
          ? `The mitigation gave no row of group ${group} the favourable prediction (selection rate ${fmt(was)} before, 0 after).`
          : `No row of group ${group} gets the favourable prediction after mitigation (selection rate 0).`,
    });
  }
  const loss = (before.metrics.accuracy ?? Number.NaN) - (after.metrics.accuracy ?? Number.NaN);
  if (loss > bound) {
    flags.push({
      code: 'accuracy_loss',
      message: `The mitigation lost ${loss.toFixed(4)} accuracy (${fmt(before.metrics.accuracy)} before, ${fmt(after.metrics.accuracy)} after), more than the bound ${bound}.`,
    });
  }
  return flags;
}

/** The before/after numbers of a mitigation taken from a fairness audit of predictions. */
export function mitigationSnapshot(audit: FairnessAudit): MitigationSnapshot {
  const metrics: Record<string, number> = { ...(audit.metrics as Record<string, number>) };
  const selectionRates: Record<string, number> = {};
  for (const g of audit.groups) {
    if ('selection_rate' in g) selectionRates[groupLabel(g.group, audit.protectedColumns)] = g.selection_rate;
  }
  return { metrics, selectionRates };
}

/** A number in a message: 4 significant digits (the full value stays in the result's numbers). */
function fmt(value: number | undefined): string {
  return value === undefined ? 'undefined' : Number(value.toPrecision(4)).toString();
}
