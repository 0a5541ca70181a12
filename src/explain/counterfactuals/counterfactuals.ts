import { checkInRange, checkInteger, InvalidParameterError, Rng } from '../../core/index.js';
import { type ColumnBatch, isNumericColumn } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import { type CounterfactualMetrics, counterfactualMetrics } from './counterfactual-metrics.js';
import {
  buildDomains,
  type CounterfactualConstraints,
  isChanged,
  validateConstraints,
} from './feature-domains.js';
import { geneticCost, geneticSearch } from './genetic-search.js';
import { randomSearch } from './random-search.js';
import { type Scored, SearchContext } from './search-context.js';

/** Options of `counterfactuals`; defaults follow dice-ml. */
export interface CounterfactualOptions {
  /** Training rows: numeric ranges, categories, decimal precision and MADs come from them. */
  readonly data: ColumnBatch;
  /** Class wanted: 'favourable' (P ≥ threshold), 'unfavourable', or 'opposite' of the row's (default). */
  readonly desired?: 'favourable' | 'unfavourable' | 'opposite';
  /** Decision threshold on P(y = 1) (default 0.5, DiCE's `stopping_threshold`). */
  readonly threshold?: number;
  /** Counterfactuals wanted, k (default 4). */
  readonly count?: number;
  /** 'genetic' (default) or 'random'. */
  readonly method?: 'genetic' | 'random';
  /** Seed of the search (default 0). */
  readonly seed?: number;
  /** What may change and how. */
  readonly constraints?: CounterfactualConstraints;
  /** Genetic: generations at most (default 500, DiCE's `maxiterations`). */
  readonly maxIterations?: number;
  /** Genetic: population size (default 10·count, as DiCE). */
  readonly populationSize?: number;
  /** Random: candidates per round (default 1000, DiCE's `sample_size`). */
  readonly sampleSize?: number;
}

/** One changed feature: the explained row's value and the counterfactual's. */
export interface CounterfactualChange {
  readonly feature: string;
  readonly from: number | string | null;
  readonly to: number | string | null;
}

/** One counterfactual: the changed row over the original columns, its probability and its changes. */
export interface Counterfactual {
  readonly row: Record<string, number | string | null>;
  /** P(y = 1) of the changed row. */
  readonly probability: number;
  readonly changes: CounterfactualChange[];
  /** DiCE's distance to the explained row (continuous |Δ|/MAD mean + categorical share changed). */
  readonly distance: number;
}

/** Result of `counterfactuals` (plain JSON). */
export interface CounterfactualResult {
  /** False when no counterfactual was found or none was needed; `reason` then says why. */
  readonly found: boolean;
  readonly reason?: 'no counterfactual within the constraints' | 'already desired';
  readonly method: 'genetic' | 'random';
  readonly desiredClass: 0 | 1;
  readonly threshold: number;
  /** P(y = 1) of the explained row. */
  readonly originalProbability: number;
  /** Best first (genetic: by loss; random: in DiCE's random order). */
  readonly counterfactuals: Counterfactual[];
  readonly metrics: CounterfactualMetrics;
  /** Features the search could change (not immutable, non-empty allowed domain). */
  readonly mutableFeatures: string[];
  /** Model rows scored (a measure of cost). */
  readonly evaluations: number;
  /** Generations (genetic) or rounds (random) run. */
  readonly iterations: number;
  readonly warnings: string[];
}

const OWNER = 'counterfactuals';
/** Genetic: candidates sparsified before the k cheapest are kept (a pool of 5·k). */
const POOL_FACTOR = 5;

/**
 * Diverse counterfactual explanations (Mothilal, Sharma & Tan 2020, DiCE): up to k rows close to x, over the
 * original columns, that the model puts in the desired class, found by a model-agnostic search (DiCE's genetic
 * or random method) within the constraints, then made sparser by moving each change back towards x while the
 * decision holds (DiCE's post-hoc step). Categories come from the model or the training data, numbers stay in
 * the training (or given) range at the column's precision, immutable features never change, monotone ones
 * move one way only. Not causal: it says what the model would decide, not what would happen.
 */
export async function counterfactuals(
  model: ExplainableModel,
  row: ColumnBatch,
  options: CounterfactualOptions,
): Promise<CounterfactualResult> {
  if (row.rows !== 1) {
    throw new InvalidParameterError(
      `The 'row' argument of ${OWNER} must hold exactly 1 row. Got ${row.rows} instead.`,
    );
  }
  if (!options?.data || options.data.rows < 1) {
    throw new InvalidParameterError(
      `The 'data' option of ${OWNER} must hold the training rows (at least 1).`,
    );
  }
  const method = options.method ?? 'genetic';
  if (method !== 'genetic' && method !== 'random') {
    throw new InvalidParameterError(
      `The 'method' option of ${OWNER} must be 'genetic' or 'random'. Got '${String(method)}' instead.`,
    );
  }
  const desired = options.desired ?? 'opposite';
  if (!['favourable', 'unfavourable', 'opposite'].includes(desired)) {
    throw new InvalidParameterError(
      `The 'desired' option of ${OWNER} must be 'favourable', 'unfavourable' or 'opposite'. Got '${String(desired)}' instead.`,
    );
  }
  const threshold = checkInRange(OWNER, 'threshold', options.threshold ?? 0.5, 0, 1, true);
  const count = checkInteger(OWNER, 'count', options.count ?? 4, 1);
  const seed = checkInteger(OWNER, 'seed', options.seed ?? 0, 0);
  const maxIterations = checkInteger(OWNER, 'maxIterations', options.maxIterations ?? 500, 1);
  const populationSize = checkInteger(
    OWNER,
    'populationSize',
    options.populationSize ?? 10 * count,
    count + 1,
  );
  const sampleSize = checkInteger(OWNER, 'sampleSize', options.sampleSize ?? 1000, 1);
  const constraints = options.constraints ?? {};
  validateConstraints(model.features, constraints);
  const domains = buildDomains(model.features, row, options.data, constraints);

  const ctx0 = new SearchContext(model, domains, 1, threshold);
  const [originalScore] = await ctx0.score([ctx0.originalGenes()]);
  const p0 = originalScore.probability;
  const currentClass: 0 | 1 = p0 >= threshold ? 1 : 0;
  const desiredClass: 0 | 1 =
    desired === 'favourable' ? 1 : desired === 'unfavourable' ? 0 : currentClass === 1 ? 0 : 1;
  const ctx = new SearchContext(model, domains, desiredClass, threshold);
  ctx.evaluations = ctx0.evaluations;
  const mutableFeatures = domains.filter((d) => !d.fixed).map((d) => d.name);
  const base = { method, desiredClass, threshold, originalProbability: p0, mutableFeatures };
  if (currentClass === desiredClass) {
    return {
      ...base,
      found: false,
      reason: 'already desired',
      counterfactuals: [],
      metrics: counterfactualMetrics(ctx, [], count),
      evaluations: ctx.evaluations,
      iterations: 0,
      warnings: [`The row is already in the desired class (P(y = 1) = ${p0}, threshold ${threshold}).`],
    };
  }

  const rng = new Rng(seed);
  const weights = { proximityWeight: 0.2, sparsityWeight: 0.2 };
  const outcome =
    mutableFeatures.length === 0
      ? { candidates: [], iterations: 0 }
      : method === 'genetic'
        ? await geneticSearch(ctx, options.data, { count, populationSize, maxIterations, ...weights }, rng)
        : await randomSearch(ctx, { count, sampleSize }, rng);

  const chosen = await selectCounterfactuals(ctx, outcome.candidates, method, count, weights);
  const warnings: string[] = [];
  if (mutableFeatures.length === 0) warnings.push('No feature may change under the constraints.');
  if (chosen.length > 0 && chosen.length < count) {
    warnings.push(
      `Only ${chosen.length} of the ${count} requested counterfactuals were found within the constraints.`,
    );
  }
  const result = chosen.map((s) => describeCounterfactual(ctx, row, s));
  return {
    ...base,
    found: result.length > 0,
    ...(result.length === 0 ? { reason: 'no counterfactual within the constraints' as const } : {}),
    counterfactuals: result,
    metrics: counterfactualMetrics(ctx, chosen, count),
    evaluations: ctx.evaluations,
    iterations: outcome.iterations,
    warnings,
  };
}

/**
 * Makes candidates sparser (DiCE's post-hoc step) and keeps k distinct valid ones. Genetic: a pool of the
 * 5·k best is sparsified and the k with the lowest λ_p·proximity + λ_s·sparsity are kept, best first;
 * random: the first k distinct ones of DiCE's random order.
 */
async function selectCounterfactuals(
  ctx: SearchContext,
  candidates: readonly Scored[],
  method: 'genetic' | 'random',
  count: number,
  weights: { proximityWeight: number; sparsityWeight: number },
): Promise<Scored[]> {
  const pool = method === 'genetic' ? POOL_FACTOR * count : count;
  const chosen: Scored[] = [];
  const keys = new Set<string>();
  for (const candidate of candidates) {
    if (chosen.length >= pool) break;
    const sparse = await ctx.sparsify(candidate);
    const key = ctx.key(sparse.genes);
    if (keys.has(key) || !ctx.isValid(sparse.probability)) continue;
    keys.add(key);
    chosen.push(sparse);
  }
  if (method === 'random') return chosen;
  const x = ctx.originalGenes();
  return chosen
    .map((s) => ({ s, cost: geneticCost(ctx, s.genes, x, weights) }))
    .sort((a, b) => a.cost - b.cost)
    .slice(0, count)
    .map(({ s }) => s);
}

/** A candidate as plain JSON: the whole row (other columns of `row` copied), its probability and changes. */
function describeCounterfactual(ctx: SearchContext, row: ColumnBatch, s: Scored): Counterfactual {
  const x = ctx.originalGenes();
  const out: Record<string, number | string | null> = {};
  for (const [name, col] of Object.entries(row.columns)) {
    out[name] = isNumericColumn(col) ? (Number.isNaN(col[0]) ? null : col[0]) : col[0];
  }
  const changes: CounterfactualChange[] = [];
  ctx.domains.forEach((d, j) => {
    out[d.name] = ctx.valueOf(j, s.genes[j]);
    if (isChanged(d, s.genes[j]))
      changes.push({ feature: d.name, from: ctx.valueOf(j, x[j]), to: out[d.name] });
  });
  return { row: out, probability: s.probability, changes, distance: ctx.distance(s.genes, x) };
}
