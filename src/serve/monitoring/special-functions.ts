/**
 * The p-value functions of the drift tests, built on the ones the fairness audit and the privacy
 * accountant already have: the chi-square survival function Q(k/2, s/2) (regularized upper incomplete
 * gamma function) and the standard normal survival function 1 − Φ(z) = Φ(−z).
 */
import { chiSquareSurvival } from '../../fairness/index.js';
import { ndtr } from '../../privacy/index.js';

/** Chi-square survival function P(X ≥ s) with k degrees of freedom: Q(k/2, s/2). */
export function chiSquareSf(s: number, k: number): number {
  return chiSquareSurvival(s, k);
}

/** Standard normal survival function 1 − Φ(z), computed as Φ(−z) (no cancellation for large z). */
export function normalSf(z: number): number {
  return ndtr(-z);
}
