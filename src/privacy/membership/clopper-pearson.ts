import { checkInteger, checkNumber, InvalidParameterError } from '../../core/index.js';
import { inverseRegularizedIncompleteBeta } from './incomplete-beta.js';

/** A two-sided confidence interval for a binomial proportion. */
export interface BinomialInterval {
  /** Lower end. */
  readonly lower: number;
  /** Upper end. */
  readonly upper: number;
}

/**
 * The Clopper–Pearson ("exact") interval for a binomial proportion (Clopper & Pearson 1934): with
 * k successes in n trials and α = 1 − confidence, lower = B⁻¹(α/2; k, n − k + 1) (0 when k = 0) and
 * upper = B⁻¹(1 − α/2; k + 1, n − k) (1 when k = n), B⁻¹ the inverse regularized incomplete beta function.
 * Each end is a one-sided bound at level 1 − α/2: P(Bin(n, upper) ≤ k) = α/2 and P(Bin(n, lower) ≥ k) = α/2.
 */
export function clopperPearsonInterval(
  successes: number,
  trials: number,
  confidence = 0.95,
): BinomialInterval {
  checkInteger('clopperPearsonInterval', 'trials', trials, 1);
  checkInteger('clopperPearsonInterval', 'successes', successes, 0);
  checkNumber('clopperPearsonInterval', 'confidence', confidence, (v) => v > 0 && v < 1, 'in (0, 1)');
  if (successes > trials) {
    throw new InvalidParameterError(
      `The 'successes' option of clopperPearsonInterval must be <= trials (${trials}). Got ${successes} instead.`,
    );
  }
  const alpha = 1 - confidence;
  const lower =
    successes === 0 ? 0 : inverseRegularizedIncompleteBeta(alpha / 2, successes, trials - successes + 1);
  const upper =
    successes === trials
      ? 1
      : inverseRegularizedIncompleteBeta(1 - alpha / 2, successes + 1, trials - successes);
  return { lower, upper };
}
