import { type BinaryClassifier, type Matrix, matrix, Rng } from '../../../core/index.js';
import { LogisticRegression } from '../../../models/index.js';

/** A synthetic problem whose unconstrained logistic regression has a large selection-rate gap. */
export interface BiasedProblem {
  readonly X: Matrix;
  readonly y: Uint8Array;
  readonly groups: string[];
}

/** n rows: group b's feature x1 is shifted up by 1.5, y = 1[x1 + 0.5·x2 + noise > 0.5]. */
export function biasedProblem(n: number, seed: number): BiasedProblem {
  const rng = new Rng(seed);
  const X = matrix(n, 2);
  const y = new Uint8Array(n);
  const groups: string[] = [];
  for (let i = 0; i < n; i++) {
    const b = rng.next() < 0.6;
    groups.push(b ? 'b' : 'a');
    const x1 = rng.normal() + (b ? 1 : -0.5);
    const x2 = rng.normal();
    X.data[2 * i] = x1;
    X.data[2 * i + 1] = x2;
    y[i] = x1 + 0.5 * x2 + 0.5 * rng.normal() > 0.5 ? 1 : 0;
  }
  return { X, y, groups };
}

/** Factory of the base estimator used by the tests. */
export const logistic = (): BinaryClassifier => new LogisticRegression();

/** Mean of `p` over the rows where `keep` holds. */
export function meanWhere(p: ArrayLike<number>, keep: (i: number) => boolean): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    if (keep(i)) {
      s += p[i];
      c++;
    }
  }
  return s / c;
}
