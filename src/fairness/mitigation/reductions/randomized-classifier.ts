import { type Matrix, NotFittedError, Rng } from '../../../core/index.js';
import { predictorPredict, type ReductionPredictor } from './lagrangian.js';

/**
 * A randomized classifier: a distribution Q over fitted predictors. `expectedPredictions` is
 * P(ŷ = 1 | x) = Σ_j Q_j h_j(x); `samplePredictions` draws ŷ ~ Bernoulli(P(ŷ = 1 | x)) from a seeded Rng.
 */
export class RandomizedClassifier {
  /** Builds the mixture; predictors with weight 0 are never evaluated. */
  constructor(
    readonly predictors: readonly ReductionPredictor[],
    readonly weights: Float64Array,
  ) {}

  /** P(ŷ = 1 | x) for each row of X. */
  async expectedPredictions(X: Matrix): Promise<Float64Array> {
    const out = new Float64Array(X.rows);
    for (let j = 0; j < this.predictors.length; j++) {
      const w = this.weights[j];
      if (!(w > 0)) continue;
      const pred = await predictorPredict(this.predictors[j], X);
      for (let i = 0; i < out.length; i++) out[i] += w * pred[i];
    }
    return out;
  }

  /** 0/1 predictions drawn with the given seed (same seed, same predictions). */
  async samplePredictions(X: Matrix, seed: number): Promise<Uint8Array> {
    const p = await this.expectedPredictions(X);
    const rng = new Rng(seed);
    return Uint8Array.from(p, (v) => (rng.next() < v ? 1 : 0));
  }
}

/** Throws NotFittedError when `value` is undefined, else returns it. */
export function requireFitted<T>(value: T | undefined, owner: string): T {
  if (value === undefined) throw new NotFittedError(owner);
  return value;
}
