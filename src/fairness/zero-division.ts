import { InvalidParameterError } from '../core/index.js';

/**
 * What a metric is when its denominator is 0:
 * - `'reference'` (default): exactly what the reference implementations return. AIF360 divides numpy
 *   floats, so 0/0 → NaN and x/0 → ±Infinity (TPR, TNR, FPR, FNR, selection rates, ratios), except
 *   that it guards PPV, NPV, FDR, FOR and accuracy (0/0 → 0); Fairlearn's per-group rates go through
 *   scikit-learn (`confusion_matrix(normalize="true")`, `precision_score`), where 0/0 → 0, and a
 *   Fairlearn ratio min/max with max 0 is 0/0 → NaN.
 * - `'nan'`: IEEE division everywhere, guards included: 0/0 → NaN, x/0 → ±Infinity. Undefined stays
 *   visibly undefined.
 * - `'zero'`: every x/0 is 0 (scikit-learn's `zero_division=0` applied everywhere).
 */
export type ZeroDivisionRule = 'reference' | 'nan' | 'zero';

/** The zero-division rules, for validation and help texts. */
export const ZERO_DIVISION_RULES: readonly ZeroDivisionRule[] = ['reference', 'nan', 'zero'];

/**
 * Which convention a division follows under the `'reference'` rule: `'numpy'` (AIF360's unguarded
 * rates and ratios), `'guarded'` (AIF360's PPV, NPV, FDR, FOR, accuracy: 0/0 → 0), `'sklearn'`
 * (Fairlearn's per-group rates: 0/0 → 0) or `'fairlearn-ratio'` (min/max over groups: numpy).
 */
export type DivisionConvention = 'numpy' | 'guarded' | 'sklearn' | 'fairlearn-ratio';

/** One line per rule, for reports and the CLI. */
export const ZERO_DIVISION_DESCRIPTIONS: Readonly<Record<ZeroDivisionRule, string>> = {
  reference:
    'reference: AIF360 values 0/0 = NaN and x/0 = Infinity, except PPV, NPV, FDR, FOR and accuracy (0/0 = 0); Fairlearn group rates 0/0 = 0 (scikit-learn); Fairlearn ratios with a zero maximum = NaN',
  nan: 'nan: every 0/0 = NaN and x/0 = Infinity, no guards',
  zero: 'zero: every division by 0 gives 0',
};

/** Throws InvalidParameterError unless `rule` is a known zero-division rule. */
export function checkZeroDivisionRule(owner: string, rule: unknown): ZeroDivisionRule {
  if (!ZERO_DIVISION_RULES.includes(rule as ZeroDivisionRule)) {
    throw new InvalidParameterError(
      `The 'zeroDivision' option of ${owner} must be one of ${ZERO_DIVISION_RULES.map((r) => `'${r}'`).join(', ')}. Got ${JSON.stringify(rule)} instead.`,
    );
  }
  return rule as ZeroDivisionRule;
}

/**
 * Divides under a zero-division rule and records, for every division by 0, which value was used and
 * why (when a `warnings` list is given): the audit's account of where the rule mattered.
 */
export class Divider {
  /** Creates a divider for `rule`; warnings are appended to `warnings` when given. */
  constructor(
    readonly rule: ZeroDivisionRule = 'reference',
    private readonly warnings?: string[],
  ) {}

  /**
   * numerator / denominator under the rule; `what` names the quantity (e.g. "true_positive_rate of
   * privileged") and `why` the reason a denominator can be 0 (e.g. "no positive labels").
   */
  div(
    numerator: number,
    denominator: number,
    convention: DivisionConvention,
    what: string,
    why: string,
  ): number {
    if (denominator !== 0) return numerator / denominator;
    const value = this.zeroValue(numerator, convention);
    if (this.warnings !== undefined) {
      const shown = Number.isNaN(value) ? 'NaN' : String(value);
      this.warnings.push(
        `${what} is ${formatShort(numerator)}/0 (${why}); reported as ${shown} under the '${this.rule}' zero-division rule.`,
      );
    }
    return value;
  }

  private zeroValue(numerator: number, convention: DivisionConvention): number {
    if (this.rule === 'zero') return 0;
    if (this.rule === 'nan') return numerator / 0;
    return convention === 'guarded' || convention === 'sklearn' ? 0 : numerator / 0;
  }
}

function formatShort(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}
