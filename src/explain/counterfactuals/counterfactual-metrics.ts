import { isChanged } from './feature-domains.js';
import type { Scored, SearchContext } from './search-context.js';

/**
 * Quality of a set of k counterfactuals C for x over d features, as defined by Mothilal, Sharma & Tan (2020,
 * "Explaining machine learning classifiers through diverse counterfactual explanations", §4.1), with
 * dist(a, b) = (1/d_cont) Σ_cont |a − b|/MAD + (1/d_cat) Σ_cat 1[a ≠ b] and MAD from the training data.
 */
export interface CounterfactualMetrics {
  /** Validity = |{unique c ∈ C : c is in the desired class}| / k, with k the number requested. */
  readonly validity: number;
  /** Proximity = −(1/|C|) Σ_c dist(c, x) (higher is closer; 0 = identical); null when C is empty. */
  readonly proximity: number | null;
  /** Continuous proximity = −(1/|C|) Σ_c (1/d_cont) Σ_cont |c − x|/MAD; null without numeric features or C. */
  readonly continuousProximity: number | null;
  /** Categorical proximity = −(1/|C|) Σ_c (1/d_cat) Σ_cat 1[c ≠ x]; null without categorical features or C. */
  readonly categoricalProximity: number | null;
  /** Sparsity = 1 − (1/(|C|·d)) Σ_c Σ_l 1[c_l ≠ x_l] (DiCE: share of features left unchanged). */
  readonly sparsity: number | null;
  /** Mean share of features changed = 1 − sparsity. */
  readonly shareChanged: number | null;
  /** Mean number of features changed per counterfactual. */
  readonly meanFeaturesChanged: number | null;
  /** Diversity = (1/C(|C|,2)) Σ_{i<j} dist(c_i, c_j); null when fewer than 2 counterfactuals. */
  readonly diversity: number | null;
  /** Count-diversity = (1/(C(|C|,2)·d)) Σ_{i<j} Σ_l 1[c_i,l ≠ c_j,l]; null when fewer than 2. */
  readonly countDiversity: number | null;
}

/** Computes the DiCE set metrics of `found` counterfactuals for the explained row, `requested` = k. */
export function counterfactualMetrics(
  ctx: SearchContext,
  found: readonly Scored[],
  requested: number,
): CounterfactualMetrics {
  const x = ctx.originalGenes();
  const d = ctx.domains.length;
  const n = found.length;
  const unique = new Map(found.map((s) => [ctx.key(s.genes), s]));
  const valid = [...unique.values()].filter((s) => ctx.isValid(s.probability)).length;
  const hasCont = ctx.domains.some((dom) => dom.kind === 'numeric');
  const hasCat = ctx.domains.some((dom) => dom.kind === 'categorical');
  const mean = (f: (s: Scored) => number) => (n === 0 ? null : found.reduce((a, s) => a + f(s), 0) / n);
  const changed = mean((s) => ctx.changedCount(s.genes));
  let pairs = 0;
  let dist = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      pairs++;
      dist += ctx.distance(found[i].genes, found[j].genes);
      count += differing(ctx, found[i], found[j]);
    }
  }
  const neg = (v: number | null) => (v === null ? null : v === 0 ? 0 : -v);
  return {
    validity: valid / requested,
    proximity: neg(mean((s) => ctx.distance(s.genes, x))),
    continuousProximity: hasCont ? neg(mean((s) => ctx.continuousDistance(s.genes, x))) : null,
    categoricalProximity: hasCat ? neg(mean((s) => ctx.categoricalDistance(s.genes, x))) : null,
    sparsity: changed === null ? null : 1 - changed / d,
    shareChanged: changed === null ? null : changed / d,
    meanFeaturesChanged: changed,
    diversity: pairs > 0 ? dist / pairs : null,
    countDiversity: pairs > 0 ? count / (pairs * d) : null,
  };
}

/** Number of features on which two counterfactuals differ. */
function differing(ctx: SearchContext, a: Scored, b: Scored): number {
  let k = 0;
  ctx.domains.forEach((dom, j) => {
    if (
      dom.kind === 'categorical'
        ? a.genes[j] !== b.genes[j]
        : isChanged({ ...dom, original: a.genes[j] }, b.genes[j])
    )
      k++;
  });
  return k;
}
