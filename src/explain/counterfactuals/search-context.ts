import type { Column, ColumnBatch } from '../../data/index.js';
import type { ExplainableModel } from '../explainable-model.js';
import { type FeatureDomain, isChanged, type NumericDomain, roundToDomain } from './feature-domains.js';

/** A candidate counterfactual: one gene per model feature (numeric value, or index into `values`). */
export type Genome = Float64Array;

/** A scored candidate. */
export interface Scored {
  readonly genes: Genome;
  /** P(y = 1) from the model. */
  readonly probability: number;
}

/**
 * What both searches share: the feature domains, the model call (counted), validity against the desired
 * class and DiCE's distance: dist(a, b) = (1/d_cont) Σ_cont |a − b| / MAD + (1/d_cat) Σ_cat 1[a ≠ b]
 * (Mothilal et al. 2020, §3.1 and §4.1).
 */
export class SearchContext {
  /** Model rows scored so far. */
  evaluations = 0;
  private readonly nCont: number;
  private readonly nCat: number;

  /** Creates the context for one explained row. */
  constructor(
    readonly model: ExplainableModel,
    readonly domains: readonly FeatureDomain[],
    readonly desiredClass: 0 | 1,
    readonly threshold: number,
  ) {
    this.nCont = domains.filter((d) => d.kind === 'numeric').length;
    this.nCat = domains.length - this.nCont;
  }

  /** The explained row as a genome. */
  originalGenes(): Genome {
    return Float64Array.from(this.domains, (d) => (d.kind === 'numeric' ? d.original : 0));
  }

  /** True when probability `p` is in the desired class (class 1 iff p >= threshold). */
  isValid(p: number): boolean {
    return this.desiredClass === 1 ? p >= this.threshold : p < this.threshold;
  }

  /**
   * DiCE's hinge y-loss for a binary classifier, max(0, P(other) − P(desired)) = max(0, 1 − 2p) for class 1,
   * moved to the threshold t: 2·max(0, t − p) for class 1 and 2·max(0, p − t) for class 0.
   */
  yLoss(p: number): number {
    return 2 * Math.max(0, this.desiredClass === 1 ? this.threshold - p : p - this.threshold);
  }

  /** Scores genomes with one model call. */
  async score(genomes: readonly Genome[]): Promise<Scored[]> {
    if (genomes.length === 0) return [];
    const p = await this.model.predictProba(this.toBatch(genomes));
    this.evaluations += genomes.length;
    return genomes.map((genes, i) => ({ genes, probability: p[i] }));
  }

  /** Genomes as a batch of original columns (model features only). */
  toBatch(genomes: readonly Genome[]): ColumnBatch {
    const columns: Record<string, Column> = {};
    this.domains.forEach((d, j) => {
      if (d.kind === 'numeric') columns[d.name] = Float64Array.from(genomes, (g) => g[j]);
      else columns[d.name] = genomes.map((g) => d.values[g[j]]);
    });
    return { rows: genomes.length, columns };
  }

  /** The value a gene stands for, in the original column's terms. */
  valueOf(j: number, gene: number): number | string | null {
    const d = this.domains[j];
    return d.kind === 'numeric' ? (Number.isNaN(gene) ? null : gene) : d.values[gene];
  }

  /** Continuous part of DiCE's distance: mean over numeric features of |a − b| / MAD (0 when none). */
  continuousDistance(a: Genome, b: Genome): number {
    if (this.nCont === 0) return 0;
    let s = 0;
    this.domains.forEach((d, j) => {
      if (d.kind !== 'numeric') return;
      const diff = Math.abs(a[j] - b[j]);
      s += Number.isNaN(diff) ? (Number.isNaN(a[j]) && Number.isNaN(b[j]) ? 0 : 1) : diff / d.mad;
    });
    return s / this.nCont;
  }

  /** Categorical part of DiCE's distance: share of categorical features that differ (0 when none). */
  categoricalDistance(a: Genome, b: Genome): number {
    if (this.nCat === 0) return 0;
    let s = 0;
    this.domains.forEach((d, j) => {
      if (d.kind === 'categorical' && this.catValue(j, a[j]) !== this.catValue(j, b[j])) s++;
    });
    return s / this.nCat;
  }

  /** DiCE's distance: continuous part + categorical part. */
  distance(a: Genome, b: Genome): number {
    return this.continuousDistance(a, b) + this.categoricalDistance(a, b);
  }

  /** Number of features whose value differs from the explained row. */
  changedCount(g: Genome): number {
    let n = 0;
    this.domains.forEach((d, j) => {
      if (isChanged(d, g[j])) n++;
    });
    return n;
  }

  /** A string key that identifies a genome (for de-duplication). */
  key(g: Genome): string {
    return Array.from(g).join('|');
  }

  /**
   * DiCE's post-hoc sparsity step, made stronger: first every changed feature is reset to the explained row's
   * value where the candidate stays valid; then each changed numeric feature moves back towards it as far as
   * the candidate stays valid (bisection on the precision grid, ≤ 30 model calls); passes repeat (≤ 3) while
   * they change something. The result is always valid when the input is.
   */
  async sparsify(candidate: Scored): Promise<Scored> {
    let best = candidate;
    for (let pass = 0; pass < 3; pass++) {
      const before = this.key(best.genes);
      best = await this.revertWhereValid(best);
      best = await this.bisectTowardsOriginal(best);
      if (this.key(best.genes) === before) break;
    }
    return best;
  }

  private async revertWhereValid(candidate: Scored): Promise<Scored> {
    let best = candidate;
    const original = this.originalGenes();
    for (let j = 0; j < this.domains.length; j++) {
      const d = this.domains[j];
      if (!isChanged(d, best.genes[j])) continue;
      const trial = Float64Array.from(best.genes);
      trial[j] = d.kind === 'numeric' ? original[j] : 0;
      if (this.key(trial) === this.key(best.genes)) continue;
      const [s] = await this.score([trial]);
      if (this.isValid(s.probability)) best = s;
    }
    return best;
  }

  private async bisectTowardsOriginal(candidate: Scored): Promise<Scored> {
    let best = candidate;
    for (let j = 0; j < this.domains.length; j++) {
      const d = this.domains[j];
      if (d.kind !== 'numeric' || !isChanged(d, best.genes[j]) || !Number.isFinite(d.original)) continue;
      let valid = best.genes[j];
      let invalid = nearestAllowed(d, d.original);
      if (invalid !== d.original && invalid !== valid) {
        // The original lies outside the allowed interval (reverting to it was tried already): try its edge.
        const edge = Float64Array.from(best.genes);
        edge[j] = invalid;
        const [s] = await this.score([edge]);
        if (this.isValid(s.probability)) {
          best = s;
          continue;
        }
      }
      for (let step = 0; step < 30; step++) {
        const mid = roundToDomain(d, (valid + invalid) / 2);
        if (mid === valid || mid === invalid) break;
        const trial = Float64Array.from(best.genes);
        trial[j] = mid;
        const [s] = await this.score([trial]);
        if (this.isValid(s.probability)) {
          valid = mid;
          best = s;
        } else {
          invalid = mid;
        }
      }
    }
    return best;
  }

  private catValue(j: number, gene: number): string | null {
    const d = this.domains[j];
    return d.kind === 'categorical' ? d.values[gene] : null;
  }
}

/** The explained row's value where it lies in the allowed interval, else the nearest allowed grid value. */
function nearestAllowed(d: NumericDomain, original: number): number {
  return original >= d.lo && original <= d.hi ? original : roundToDomain(d, original);
}
