import type { Rng } from '../../core/index.js';
import { sampleGene } from './feature-domains.js';
import type { SearchOutcome } from './genetic-search.js';
import type { Genome, Scored, SearchContext } from './search-context.js';

/** Settings of the random search (DiCE's `dice_random` defaults). */
export interface RandomSettings {
  /** Counterfactuals wanted (k). */
  readonly count: number;
  /** Candidates drawn per round (DiCE's `sample_size`: 1000). */
  readonly sampleSize: number;
}

/**
 * DiCE's random counterfactual search (dice-ml `DiceRandom`, after Mothilal et al. 2020): `sampleSize` copies
 * of x; in round r = 1, 2, … each copy has one more randomly chosen mutable feature replaced by a uniform
 * draw from its allowed domain (numeric values on the grid of the column's precision), so round r changes
 * at most r features. Valid copies are collected; the search stops once at least 2 rounds ran and k distinct
 * valid candidates exist. The candidates come back in random order (DiCE samples k of them at random).
 */
export async function randomSearch(
  ctx: SearchContext,
  settings: RandomSettings,
  rng: Rng,
): Promise<SearchOutcome> {
  const mutable = ctx.domains.flatMap((d, j) => (d.fixed ? [] : [j]));
  const found = new Map<string, Scored>();
  let iterations = 0;
  if (mutable.length === 0) return { candidates: [], iterations };
  const original = ctx.originalGenes();
  const copies: Genome[] = Array.from({ length: settings.sampleSize }, () => Float64Array.from(original));
  for (let round = 1; round <= mutable.length; round++) {
    iterations = round;
    for (const g of copies) {
      const j = mutable[rng.int(mutable.length)];
      g[j] = sampleGene(ctx.domains[j], rng);
    }
    const scored = await ctx.score(copies.map((g) => Float64Array.from(g)));
    for (const s of scored) {
      if (ctx.isValid(s.probability) && ctx.changedCount(s.genes) > 0) found.set(ctx.key(s.genes), s);
    }
    if (round >= 2 && found.size >= settings.count) break;
  }
  const candidates = [...found.values()];
  rng.shuffle(candidates);
  return { candidates, iterations };
}
