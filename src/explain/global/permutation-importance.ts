import { checkInteger, InvalidParameterError, Rng } from '../../core/index.js';
import { type Column, type ColumnBatch, isNumericColumn } from '../../data/index.js';
import { logLoss, rocAuc, threshold as thresholdAt } from '../../models/index.js';
import type { ExplainableModel } from '../explainable-model.js';

/** Score that permutation importance compares; every one is "higher is better". */
export type PermutationMetric = 'accuracy' | 'roc_auc' | 'log_loss';

/** Options of `permutationImportance`. */
export interface PermutationImportanceOptions {
  /** 'accuracy' (at `threshold`, default), 'roc_auc', or 'log_loss' (scored as −log-loss, like scikit-learn's 'neg_log_loss'). */
  metric?: PermutationMetric;
  /** Shuffles per feature; default 5 (scikit-learn's n_repeats). */
  repeats?: number;
  /** Seed of the shuffles; default 0. Same seed and data give the same result bit for bit. */
  seed?: number;
  /** Decision threshold of 'accuracy' (positive when P(y = 1) >= threshold); default 0.5. */
  threshold?: number;
}

/** Importance of one original feature. */
export interface FeatureImportance {
  /** Original column name. */
  readonly feature: string;
  /** Mean over repeats of baseline score − permuted score (higher = more important). */
  readonly importanceMean: number;
  /** Population standard deviation over repeats (numpy.std, ddof = 0, as scikit-learn reports). */
  readonly importanceStd: number;
  /** The importance of each repeat. */
  readonly importances: number[];
}

/** Permutation importance of every original feature (plain JSON). */
export interface PermutationImportance {
  /** Metric used. */
  readonly metric: PermutationMetric;
  /** Score of the model on the unpermuted data (−log-loss for 'log_loss'). */
  readonly baselineScore: number;
  /** Shuffles per feature. */
  readonly repeats: number;
  /** Seed used. */
  readonly seed: number;
  /** Rows scored. */
  readonly rows: number;
  /** One entry per feature, in model order. */
  readonly features: FeatureImportance[];
  /** Feature names by decreasing importanceMean (ties by name). */
  readonly ranking: string[];
}

/**
 * Permutation feature importance (Breiman 2001, "Random forests", §10; scikit-learn's
 * permutation_importance): importance_j,k = s(f, X, y) − s(f, X with column j shuffled by πₖ, y), for
 * repeats k = 1..K, reported as mean and standard deviation over k. Columns are the ORIGINAL columns, so
 * a categorical feature is shuffled as a whole. As in scikit-learn, every feature is shuffled with the
 * same K permutations (one generator seeded with `seed` per feature), so differences between features
 * are not draw noise.
 */
export async function permutationImportance(
  model: ExplainableModel,
  data: ColumnBatch,
  labels: Uint8Array,
  options: PermutationImportanceOptions = {},
): Promise<PermutationImportance> {
  const metric = options.metric ?? 'accuracy';
  if (metric !== 'accuracy' && metric !== 'roc_auc' && metric !== 'log_loss') {
    throw new InvalidParameterError(
      `The 'metric' option of permutationImportance must be 'accuracy', 'roc_auc' or 'log_loss'. Got '${String(metric)}' instead.`,
    );
  }
  const repeats = options.repeats ?? 5;
  checkInteger('permutationImportance', 'repeats', repeats, 1);
  const seed = options.seed ?? 0;
  checkInteger('permutationImportance', 'seed', seed, 0);
  const at = options.threshold ?? 0.5;
  if (typeof at !== 'number' || !(at >= 0 && at <= 1)) {
    throw new InvalidParameterError(
      `The 'threshold' option of permutationImportance must be in [0, 1]. Got ${String(at)} instead.`,
    );
  }
  checkInputs(model, data, labels, metric);
  const score = (proba: Float64Array): number => {
    if (metric === 'roc_auc') return rocAuc(labels, proba);
    if (metric === 'log_loss') return -logLoss(labels, proba);
    const predicted = thresholdAt(proba, at);
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
    return correct / labels.length;
  };
  const baselineScore = score(await model.predictProba(data));
  const features: FeatureImportance[] = [];
  for (const f of model.features) {
    const rng = new Rng(seed);
    const importances: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const order = rng.permutation(data.rows);
      const permuted = {
        rows: data.rows,
        columns: { ...data.columns, [f.name]: permute(data.columns[f.name], order) },
      };
      importances.push(baselineScore - score(await model.predictProba(permuted)));
    }
    let mean = 0;
    for (const v of importances) mean += v;
    mean /= repeats;
    let ss = 0;
    for (const v of importances) ss += (v - mean) ** 2;
    features.push({
      feature: f.name,
      importanceMean: mean,
      importanceStd: Math.sqrt(ss / repeats),
      importances,
    });
  }
  const ranking = [...features]
    .sort(
      (a, b) =>
        b.importanceMean - a.importanceMean || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
    )
    .map((f) => f.feature);
  return { metric, baselineScore, repeats, seed, rows: data.rows, features, ranking };
}

/** Row i of the result is row order[i] of `column`. */
function permute(column: Column, order: Uint32Array): Column {
  return isNumericColumn(column)
    ? Float64Array.from(order, (i) => column[i])
    : Array.from(order, (i) => column[i]);
}

function checkInputs(
  model: ExplainableModel,
  data: ColumnBatch,
  labels: Uint8Array,
  metric: PermutationMetric,
): void {
  if (data.rows < 2) {
    throw new InvalidParameterError(
      `permutationImportance needs at least 2 data rows. Got ${data.rows} instead.`,
    );
  }
  for (const f of model.features) {
    if (data.columns[f.name] === undefined) {
      throw new InvalidParameterError(
        `The data given to permutationImportance lacks the model's column '${f.name}'. Add it to the batch.`,
      );
    }
  }
  if (!(labels instanceof Uint8Array) || labels.length !== data.rows) {
    throw new InvalidParameterError(
      `The 'labels' argument of permutationImportance must be a Uint8Array with one 0/1 label per row (${data.rows}). Got ${labels?.length ?? 'none'} instead.`,
    );
  }
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 1) {
      throw new InvalidParameterError(
        `The 'labels' argument of permutationImportance must hold 0 or 1. Got ${labels[i]} at row ${i} instead.`,
      );
    }
    positives += labels[i];
  }
  if (metric === 'roc_auc' && (positives === 0 || positives === labels.length)) {
    throw new InvalidParameterError(
      "The 'roc_auc' metric of permutationImportance needs both classes in the labels. Use 'accuracy' or add rows of the other class.",
    );
  }
}
