import {
  type BinaryClassifier,
  checkInteger,
  InvalidParameterError,
  type Matrix,
  Rng,
  take,
  takeRows,
} from '../../core/index.js';
import { checkLabelledRows, type LabelledRows, trueLabelLogits } from './example-confidence.js';
import type { MembershipAttackOutput } from './loss-threshold-attack.js';
import { type MembershipAuditOptions, membershipAuditSummary } from './membership-audit.js';
import { type MembershipLabels, membershipFlags } from './membership-roc.js';

/** Trains one shadow model on the given rows; `seed` must be its only source of randomness. */
export type ShadowTrainer = (X: Matrix, y: Uint8Array, seed: number) => Promise<BinaryClassifier>;

/** Options of `likelihoodRatioAttack`. */
export interface LikelihoodRatioAttackOptions extends MembershipAuditOptions {
  /** The fitted target model. */
  targetModel: BinaryClassifier;
  /** The pool: every row is scored, and the shadow models train on random halves of it. */
  data: LabelledRows;
  /** Whether each pool row is in the target model's training set (the ground truth of the audit). */
  isMember: MembershipLabels;
  /** Builds and fits a shadow model, e.g. `(X, y, seed) => new MLPClassifier({ seed }).fit(X, y)`. */
  trainShadow: ShadowTrainer;
  /** Number of shadow models K (an integer >= 4). Default 16. */
  shadowModels?: number;
  /** 'online' (IN and OUT Gaussians, the paper's main attack) or 'offline' (OUT only). Default 'online'. */
  variant?: 'online' | 'offline';
  /** One variance pooled over all examples, or one per example. Default 'global' below 64 shadow models. */
  variance?: 'global' | 'per-example';
  /** Seed of the IN/OUT assignment and of the shadow models' seeds. Default 0. */
  seed?: number;
  /** Called after each shadow model is trained. */
  onShadowTrained?: (done: number, total: number) => void;
}

/** Standard deviations are floored here so that a constant φ (a saturated model) gives finite scores. */
const MIN_STD = 1e-6;

/**
 * The Likelihood Ratio Attack, LiRA (Carlini et al. 2022, "Membership Inference Attacks From First Principles",
 * Algorithm 1). K shadow models train on random halves of the pool, each row IN for exactly ⌊K/2⌋ of them
 * (as the authors' code assigns them). For each row, φ = log(p(y)/(1 − p(y))) of every shadow model is split into
 * IN and OUT sets, each fitted by a Gaussian, and the target model's φ is scored:
 *   online:  Λ = log N(φ; μ_in, σ_in²) − log N(φ; μ_out, σ_out²);
 *   offline: the one-sided test of Section 4.3, Λ = Φ((φ − μ_out)/σ_out), scored as z = (φ − μ_out)/σ_out
 *            (the same ranking, without rounding Φ to 1).
 * 'global' variance pools the within-example variances of all rows (for small K, as the paper advises);
 * 'per-example' uses each row's unbiased sample variance. Seeded: the same seed gives the same scores bit for bit.
 */
export async function likelihoodRatioAttack(
  options: LikelihoodRatioAttackOptions,
): Promise<MembershipAttackOutput> {
  const { targetModel, data, trainShadow, onShadowTrained } = options;
  const summaryOptions = {
    delta: options.delta,
    confidence: options.confidence,
    maxRocPoints: options.maxRocPoints,
  };
  checkLabelledRows(data, 'likelihoodRatioAttack', 'data');
  const K = checkInteger('likelihoodRatioAttack', 'shadowModels', options.shadowModels ?? 16, 4);
  const variant = options.variant ?? 'online';
  if (variant !== 'online' && variant !== 'offline') {
    throw new InvalidParameterError(
      `The 'variant' option of likelihoodRatioAttack must be 'online' or 'offline'. Got '${String(variant)}' instead.`,
    );
  }
  const variance = options.variance ?? (K < 64 ? 'global' : 'per-example');
  if (variance !== 'global' && variance !== 'per-example') {
    throw new InvalidParameterError(
      `The 'variance' option of likelihoodRatioAttack must be 'global' or 'per-example'. Got '${String(variance)}' instead.`,
    );
  }
  const seed = checkInteger('likelihoodRatioAttack', 'seed', options.seed ?? 0, 0);
  const isMember = membershipFlags(options.isMember, 'likelihoodRatioAttack');
  if (isMember.length !== data.X.rows) {
    throw new InvalidParameterError(
      `The 'isMember' option of likelihoodRatioAttack must have one label per row of 'data' (${data.X.rows}). Got ${isMember.length} instead.`,
    );
  }
  const n = data.X.rows;
  const rng = new Rng(seed);
  // inModel[i * K + k] = 1 when shadow model k trains on row i; every row is IN for ⌊K/2⌋ models.
  const inModel = new Uint8Array(n * K);
  for (let i = 0; i < n; i++) {
    const order = rng.permutation(K);
    for (let j = 0; j < Math.floor(K / 2); j++) inModel[i * K + order[j]] = 1;
  }
  const shadowSeeds = Array.from({ length: K }, () => rng.int(0x7fffffff));
  const phi = new Float64Array(n * K);
  for (let k = 0; k < K; k++) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (inModel[i * K + k] === 1) rows.push(i);
    const shadow = await trainShadow(takeRows(data.X, rows), take(data.y, rows), shadowSeeds[k]);
    const shadowPhi = trueLabelLogits(await shadow.predictProba(data.X), data.y);
    for (let i = 0; i < n; i++) phi[i * K + k] = shadowPhi[i];
    onShadowTrained?.(k + 1, K);
  }
  const targetPhi = trueLabelLogits(await targetModel.predictProba(data.X), data.y);
  const inStats = gaussianFits(phi, inModel, K, 1, variance);
  const outStats = gaussianFits(phi, inModel, K, 0, variance);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = targetPhi[i];
    scores[i] =
      variant === 'online'
        ? logNormalDensity(x, inStats.mean[i], inStats.std[i]) -
          logNormalDensity(x, outStats.mean[i], outStats.std[i])
        : (x - outStats.mean[i]) / outStats.std[i];
  }
  const audit = membershipAuditSummary(`lira-${variant}`, scores, isMember, summaryOptions);
  audit.shadow = { models: K, variance };
  return { audit, scores, isMember };
}

/** Mean and standard deviation of φ per row over the shadow models whose IN flag equals `side`. */
function gaussianFits(
  phi: Float64Array,
  inModel: Uint8Array,
  K: number,
  side: 0 | 1,
  variance: 'global' | 'per-example',
): { mean: Float64Array; std: Float64Array } {
  const n = phi.length / K;
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  let pooledSquares = 0;
  let pooledDof = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    for (let k = 0; k < K; k++) {
      if (inModel[i * K + k] === side) {
        sum += phi[i * K + k];
        count++;
      }
    }
    const m = sum / count;
    let squares = 0;
    for (let k = 0; k < K; k++) if (inModel[i * K + k] === side) squares += (phi[i * K + k] - m) ** 2;
    mean[i] = m;
    std[i] = Math.max(Math.sqrt(squares / (count - 1)), MIN_STD);
    pooledSquares += squares;
    pooledDof += count - 1;
  }
  if (variance === 'global') std.fill(Math.max(Math.sqrt(pooledSquares / pooledDof), MIN_STD));
  return { mean, std };
}

/** log N(x; μ, σ²) = −½ log(2πσ²) − (x − μ)² / (2σ²). */
function logNormalDensity(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * Math.log(2 * Math.PI) - Math.log(sigma) - 0.5 * z * z;
}
