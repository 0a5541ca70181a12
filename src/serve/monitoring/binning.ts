/** Shares of a reference and a current sample over common bins, as Evidently's `get_binned_data`. */
export interface BinnedShares {
  /** Bin labels (numeric bins as "[lo, hi)"; categories as themselves). */
  bins: string[];
  /** Share of reference rows in each bin. */
  reference: number[];
  /** Share of current rows in each bin. */
  current: number[];
}

/**
 * Equal-width bin edges over [min, max] of both samples with Sturges' rule (Sturges 1926), width =
 * range/(log₂ n + 1), k = ⌈range/width⌉ bins, edges start + i·step as numpy's histogram_bin_edges
 * ('sturges') and linspace do; a constant sample gets one bin [v − 0.5, v + 0.5].
 */
export function sturgesEdges(values: ArrayLike<number>): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const ptp = hi - lo;
  const width = ptp / (Math.log2(values.length) + 1);
  let first = lo;
  let last = hi;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const k = width > 0 ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => i * step + first);
  edges[k] = last;
  return edges;
}

/** Counts per bin: [edgeᵢ, edgeᵢ₊₁), the last bin closed (numpy.histogram). */
function histogram(values: ArrayLike<number>, edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < edges[0] || v > edges[edges.length - 1]) continue;
    let lo = 0;
    let hi = edges.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid;
    }
    counts[lo]++;
  }
  return counts;
}

/** Counts of each category, keyed by value, over the union of both samples' categories (sorted). */
export function categoryCounts(
  reference: readonly string[],
  current: readonly string[],
): { keys: string[]; reference: number[]; current: number[] } {
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const r = count(reference);
  const c = count(current);
  const keys = [...new Set([...r.keys(), ...c.keys()])].sort();
  return { keys, reference: keys.map((k) => r.get(k) ?? 0), current: keys.map((k) => c.get(k) ?? 0) };
}

/** Replaces zero shares by min(nonzero)/10⁶ when that minimum is ≤ 10⁻⁴, else by 10⁻⁴ (Evidently's feel_zeroes). */
function fillZeroes(shares: number[]): number[] {
  const nonzero = shares.filter((s) => s !== 0);
  const m = Math.min(...nonzero);
  const fill = m <= 0.0001 ? m / 1e6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

/**
 * Evidently's binning for PSI and Jensen-Shannon: a numeric column with more than 20 distinct reference
 * values goes into Sturges bins over both samples; anything else is counted per value. Shares are counts
 * divided by the sample size; with `fillZeroes`, empty bins get a small share so logarithms stay finite.
 */
export function binnedShares(
  reference: ArrayLike<number> | readonly string[],
  current: ArrayLike<number> | readonly string[],
  fillZeroesToo: boolean,
): BinnedShares {
  let out: BinnedShares;
  const numeric = typeof reference[0] === 'number' || typeof current[0] === 'number';
  if (numeric && new Set(Array.from(reference as ArrayLike<number>)).size > 20) {
    const r = reference as ArrayLike<number>;
    const c = current as ArrayLike<number>;
    const all = new Float64Array(r.length + c.length);
    all.set(Array.from(r));
    all.set(Array.from(c), r.length);
    const edges = sturgesEdges(all);
    out = {
      bins: edges.slice(0, -1).map((e, i) => `[${e}, ${edges[i + 1]})`),
      reference: histogram(r, edges).map((n) => n / r.length),
      current: histogram(c, edges).map((n) => n / c.length),
    };
  } else {
    const asText = (x: ArrayLike<number> | readonly string[]) => Array.from(x as ArrayLike<unknown>, String);
    const counts = categoryCounts(asText(reference), asText(current));
    out = {
      bins: counts.keys,
      reference: counts.reference.map((n) => n / reference.length),
      current: counts.current.map((n) => n / current.length),
    };
  }
  if (fillZeroesToo) out = { ...out, reference: fillZeroes(out.reference), current: fillZeroes(out.current) };
  return out;
}
