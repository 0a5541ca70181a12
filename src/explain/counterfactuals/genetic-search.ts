import type { Rng } from '../../core/index.js';
import { type ColumnBatch, isNumericColumn } from '../../data/index.js';
import { sampleGene } from './feature-domains.js';
import type { Genome, Scored, SearchContext } from './search-context.js';

/** Settings of the genetic search (DiCE's `dice_genetic` defaults). */
export interface GeneticSettings {
  /** Counterfactuals wanted (k). */
  readonly count: number;
  /** Population size (DiCE: 10·k). */
  readonly populationSize: number;
  /** Generations at most (DiCE: 500). */
  readonly maxIterations: number;
  /** Weight of the proximity loss (DiCE: 0.2). */
  readonly proximityWeight: number;
  /** Weight of the sparsity loss (DiCE: 0.2). */
  readonly sparsityWeight: number;
}

/** What a search returns: valid candidates, best first, before post-hoc sparsity. */
export interface SearchOutcome {
  readonly candidates: Scored[];
  /** Generations run (genetic) or feature-count rounds (random). */
  readonly iterations: number;
}

/** Stop when the best loss moved by at most this for 5 generations in a row (DiCE's `thresh`). */
const LOSS_TOLERANCE = 1e-2;
const PATIENCE = 5;
/** Training rows scored to seed the population (a seeded sample beyond this many). */
const MAX_INIT_ROWS = 5000;

/**
 * DiCE's genetic counterfactual search (Mothilal et al. 2020; the GeCo-like `DiceGenetic` of dice-ml).
 * Loss = yloss + λ_p·proximity + λ_s·sparsity (hinge yloss; see `geneticCost` for the other two). The population starts from the training rows nearest to x that the
 * model puts in the desired class (DiCE's k-d tree init; here by DiCE's distance), projected onto the
 * constraints, topped up with random feasible rows. Each generation keeps the k best (elitism) and breeds the
 * rest from parents drawn uniformly from the fitter half: each gene from parent 1 (p = 0.4), parent 2 (0.4)
 * or a fresh feasible draw (0.2). Every candidate is feasible by construction, so constraints always hold.
 */
export async function geneticSearch(
  ctx: SearchContext,
  data: ColumnBatch,
  settings: GeneticSettings,
  rng: Rng,
): Promise<SearchOutcome> {
  const original = ctx.originalGenes();
  const cache = new Map<string, Scored>();
  const lossOf = (s: Scored) => ctx.yLoss(s.probability) + geneticCost(ctx, s.genes, original, settings);

  let population = await initialPopulation(ctx, data, settings.populationSize, rng, original);
  const archive = new Map<string, Scored>();
  let previous = Number.NEGATIVE_INFINITY;
  let current = Number.POSITIVE_INFINITY;
  let topValid = false;
  let stall = 0;
  let iterations = 0;
  while (iterations < settings.maxIterations) {
    stall = Math.abs(previous - current) <= LOSS_TOLERANCE && topValid ? stall + 1 : 0;
    if (stall >= PATIENCE) break;
    previous = current;
    const unique = new Map<string, Genome>();
    for (const g of population) unique.set(ctx.key(g), g);
    const fresh = [...unique].filter(([k]) => !cache.has(k));
    const scoredFresh = await ctx.score(fresh.map(([, g]) => g));
    for (let i = 0; i < fresh.length; i++) cache.set(fresh[i][0], scoredFresh[i]);
    const ranked = [...unique.keys()]
      .map((k) => cache.get(k) as Scored)
      .map((s) => ({ s, loss: lossOf(s) }))
      .sort((a, b) => a.loss - b.loss);
    for (const { s } of ranked) if (ctx.isValid(s.probability)) archive.set(ctx.key(s.genes), s);
    current = ranked[0].loss;
    const top = ranked.slice(0, settings.count);
    topValid = top.length === settings.count && top.every(({ s }) => ctx.isValid(s.probability));
    const parents = ranked.slice(0, Math.max(1, Math.floor(ranked.length / 2))).map(({ s }) => s.genes);
    const next: Genome[] = top.map(({ s }) => s.genes);
    while (next.length < settings.populationSize) {
      const a = parents[rng.int(parents.length)];
      const b = parents[rng.int(parents.length)];
      next.push(mate(ctx, a, b, rng));
    }
    population = next;
    iterations++;
  }
  const candidates = [...archive.values()]
    .map((s) => ({ s, loss: lossOf(s) }))
    .sort((a, b) => a.loss - b.loss)
    .map(({ s }) => s);
  return { candidates, iterations };
}

/**
 * The distance part of the genetic loss: λ_p·proximity + λ_s·sparsity, with proximity = (1/d_cont) Σ |Δ|/MAD
 * (the paper's continuous distance; dice-ml's genetic code uses an inverse-MAD weighted mean of min-max
 * normalised changes instead) and sparsity = share of features changed.
 */
export function geneticCost(
  ctx: SearchContext,
  genes: Genome,
  original: Genome,
  settings: Pick<GeneticSettings, 'proximityWeight' | 'sparsityWeight'>,
): number {
  return (
    settings.proximityWeight * ctx.continuousDistance(genes, original) +
    settings.sparsityWeight * (ctx.changedCount(genes) / ctx.domains.length)
  );
}

/** Uniform crossover with mutation (DiCE's `mate`: 0.4 / 0.4 / 0.2). */
function mate(ctx: SearchContext, a: Genome, b: Genome, rng: Rng): Genome {
  const child = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) {
    const u = rng.next();
    child[j] = u < 0.4 ? a[j] : u < 0.8 ? b[j] : sampleGene(ctx.domains[j], rng);
  }
  return child;
}

async function initialPopulation(
  ctx: SearchContext,
  data: ColumnBatch,
  size: number,
  rng: Rng,
  original: Genome,
): Promise<Genome[]> {
  let rows = Array.from({ length: data.rows }, (_, i) => i);
  if (rows.length > MAX_INIT_ROWS) rows = Array.from(rng.permutation(rows.length).subarray(0, MAX_INIT_ROWS));
  const genomes = rows.map((i) => projectRow(ctx, data, i));
  const scored = await ctx.score(genomes);
  const near = scored
    .filter((s) => ctx.isValid(s.probability))
    .map((s) => ({ g: s.genes, dist: ctx.distance(s.genes, original) }))
    .sort((a, b) => a.dist - b.dist);
  const unique = new Map<string, Genome>();
  for (const { g } of near) {
    if (unique.size >= size) break;
    unique.set(ctx.key(g), g);
  }
  const population = [...unique.values()];
  while (population.length < size) {
    population.push(Float64Array.from(ctx.domains, (dom) => sampleGene(dom, rng)));
  }
  return population;
}

/** Training row `i` as a feasible genome: fixed or disallowed values fall back to the explained row's. */
function projectRow(ctx: SearchContext, data: ColumnBatch, i: number): Genome {
  return Float64Array.from(ctx.domains, (d) => {
    const col = data.columns[d.name];
    if (d.kind === 'numeric') {
      const v = (col as Float64Array)[i];
      return !d.fixed && v >= d.lo && v <= d.hi ? v : d.original;
    }
    if (d.fixed) return 0;
    const v = isNumericColumn(col) ? String(col[i]) : col[i];
    const at = d.values.indexOf(v);
    return Math.max(at, 0);
  });
}
