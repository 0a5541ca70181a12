import {
  type BinaryClassifier,
  checkInRange,
  checkInteger,
  checkPositive,
  type Matrix,
} from '../../../core/index.js';
import { checkReductionInput } from './exponentiated-gradient.js';
import {
  checkWeightedFactory,
  fitCostSensitive,
  predictorPredict,
  type ReductionPredictor,
} from './lagrangian.js';
import { DemographicParity, errorRate, type LoadedMoment, type ParityConstraint } from './moments.js';
import { requireFitted } from './randomized-classifier.js';

/** Options of GridSearch; defaults are Fairlearn's (v0.12). */
export interface GridSearchOptions {
  /** Builds a fresh base classifier; it must support sample weights. */
  estimator: () => BinaryClassifier;
  /** The parity constraint (default DemographicParity with difference bound 0.01). */
  constraints?: ParityConstraint;
  /** Number of Lagrange-multiplier vectors tried. Default 10. */
  gridSize?: number;
  /** Largest |λ| coordinate (the grid's L1 bound). Default 2. */
  gridLimit?: number;
  /** Weight of the constraint violation in the selection loss; the error gets 1 − this. Default 0.5. */
  constraintWeight?: number;
}

/** One grid point's result. */
export interface GridPointResult {
  /** Net multiplier λ⁺ − λ⁻ per constraint cell ("event / group"). */
  readonly lambda: Readonly<Record<string, number>>;
  /** Training error of the fitted predictor. */
  readonly error: number;
  /** max_j γ_j of the fitted predictor on the training rows. */
  readonly maxGamma: number;
  /** (1 − w)·error + w·maxGamma. */
  readonly loss: number;
}

/** What GridSearch learned, in plain JSON-serialisable form. */
export interface GridSearchSummary {
  readonly constraint: string;
  /** Index of the selected grid point. */
  readonly bestIndex: number;
  /** Every grid point's result, in grid order. */
  readonly grid: readonly GridPointResult[];
}

const OWNER = 'GridSearch';

/**
 * Fair classification by grid search over Lagrange multipliers (Agarwal et al. 2018, §3.4; Fairlearn's
 * GridSearch): for each λ on a grid of L1 norm ≤ gridLimit (the last group's multiplier fixed at 0), fit the
 * cost-sensitive best response to L(h, λ) = err(h) + λ·γ(h), then keep the predictor minimising
 * (1 − w)·err + w·max_j γ_j. The result is one deterministic predictor.
 */
export class GridSearch {
  /** The options as given. */
  readonly options: Readonly<GridSearchOptions>;
  private best: ReductionPredictor | undefined;
  private fitted: GridSearchSummary | undefined;

  /** Stores the options; nothing is validated or learned until `fit`. */
  constructor(options: GridSearchOptions) {
    this.options = { ...options };
  }

  /** Fits one predictor per grid point and keeps the best; resolves to `this`. */
  async fit(X: Matrix, y: Uint8Array, sensitiveFeatures: readonly string[]): Promise<this> {
    const o = this.options;
    checkWeightedFactory(OWNER, o.estimator);
    const gridSize = checkInteger(OWNER, 'gridSize', o.gridSize ?? 10, 1);
    const gridLimit = checkPositive(OWNER, 'gridLimit', o.gridLimit ?? 2);
    const w = checkInRange(OWNER, 'constraintWeight', o.constraintWeight ?? 0.5, 0, 1);
    checkReductionInput(OWNER, X, y, sensitiveFeatures);
    const constraint = o.constraints ?? new DemographicParity();
    const moment = constraint.load(y, sensitiveFeatures);
    const grid = lambdaGrid(moment, gridSize, gridLimit);
    const results: GridPointResult[] = [];
    let bestLoss = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    const K = moment.cells.length;
    for (let p = 0; p < grid.length; p++) {
      const signed = moment.signedWeights(grid[p]);
      for (let i = 0; i < signed.length; i++) signed[i] += 2 * y[i] - 1;
      const predictor = await fitCostSensitive(o.estimator, X, signed, false);
      const pred = await predictorPredict(predictor, X);
      const error = errorRate(pred, y);
      const maxGamma = Math.max(...moment.gamma(pred));
      const loss = (1 - w) * error + w * maxGamma;
      const lambda: Record<string, number> = {};
      moment.cells.forEach((cell, k) => {
        lambda[`${cell.event} / ${cell.group}`] = grid[p][k] - grid[p][K + k];
      });
      results.push({ lambda, error, maxGamma, loss });
      if (loss < bestLoss) {
        bestLoss = loss;
        bestIndex = p;
        this.best = predictor;
      }
    }
    this.fitted = { constraint: constraint.name, bestIndex, grid: results };
    return this;
  }

  /** What was learned; throws NotFittedError before `fit`. */
  get summary(): GridSearchSummary {
    return requireFitted(this.fitted, OWNER);
  }

  /** The selected predictor's P(y = 1 | x) (0 or 1 when it is a constant). */
  async predictProba(X: Matrix): Promise<Float64Array> {
    const best = requireFitted(this.best, OWNER);
    if (best.kind === 'constant') return new Float64Array(X.rows).fill(best.value);
    return best.model.predictProba(X);
  }

  /** The selected predictor's 0/1 predictions. */
  async predict(X: Matrix): Promise<Uint8Array> {
    return predictorPredict(requireFitted(this.best, OWNER), X);
  }
}

/**
 * Fairlearn's grid of multipliers: one dimension per (event, group) except each event's last group;
 * integer points with L1 norm ≤ u, each coordinate in [−u, u] (negative values go to the '−' multiplier),
 * enumerated lexicographically; u grows from ⌊(size / 2^d)^{1/d} − 1⌋ until there are `size` points,
 * the first `size` kept and scaled by limit / u.
 */
export function lambdaGrid(moment: LoadedMoment, size: number, limit: number): Float64Array[] {
  const K = moment.cells.length;
  const dims: number[] = [];
  moment.cells.forEach((cell, k) => {
    const next = moment.cells[k + 1];
    if (next !== undefined && next.event === cell.event) dims.push(k);
  });
  const d = dims.length;
  let units = Math.max(0, Math.floor((size / 2 ** d) ** (1 / d) - 1));
  for (;;) {
    const points: number[][] = [];
    const entry = new Array<number>(d).fill(0);
    const walk = (index: number, maxVal: number): void => {
      if (points.length >= size) return;
      if (index === d) {
        points.push(entry.slice());
        return;
      }
      for (let v = -maxVal; v <= maxVal; v++) {
        entry[index] = v;
        walk(index + 1, maxVal - Math.abs(v));
      }
    };
    walk(0, units);
    if (points.length >= size) {
      return points.map((pt) => {
        const lambda = new Float64Array(2 * K);
        pt.forEach((v, i) => {
          const scaled = (v * limit) / units;
          if (scaled > 0) lambda[dims[i]] = scaled;
          else if (scaled < 0) lambda[K + dims[i]] = -scaled;
        });
        return lambda;
      });
    }
    units++;
  }
}
