import { randomFillSync } from 'node:crypto';
import { Rng } from '../../core/index.js';

/** The random draws DP-SGD needs: uniforms in (0, 1] for Poisson sampling and standard normals for noise. */
export interface DpSgdRandom {
  /** A uniform deviate in (0, 1] with 53 random bits. */
  uniform(): number;
  /** A standard normal deviate. */
  normal(): number;
}

/** Words fetched from the operating system's CSPRNG per refill (32 KiB). */
const POOL_WORDS = 8192;

/**
 * Draws from node:crypto (the operating system's CSPRNG), buffered: uniforms with 53 bits and
 * normals by the Box-Muller transform (Box & Muller 1958) z = √(−2 ln u)·cos(2πv), using both of its
 * outputs (the sine one is cached). Not seedable, by design: an adversary who knows a seed knows the noise.
 */
export function secureDpSgdRandom(): DpSgdRandom {
  const pool = new Uint32Array(POOL_WORDS);
  let next = POOL_WORDS;
  let spare = Number.NaN;
  const word = (): number => {
    if (next === POOL_WORDS) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++];
  };
  // 53 bits k → (k + 1) / 2^53 ∈ (0, 1].
  const uniform = (): number => ((word() >>> 5) * 67108864 + (word() >>> 6) + 1) / 9007199254740992;
  return {
    uniform,
    normal() {
      if (!Number.isNaN(spare)) {
        const z = spare;
        spare = Number.NaN;
        return z;
      }
      const r = Math.sqrt(-2 * Math.log(uniform()));
      const t = 2 * Math.PI * uniform();
      spare = r * Math.sin(t);
      return r * Math.cos(t);
    },
  };
}

/** Seeded draws from core's `Rng` (reproducible, for tests and benchmarks only: not private against an adversary who knows the seed). */
export function seededDpSgdRandom(rng: Rng | number): DpSgdRandom {
  const r = typeof rng === 'number' ? new Rng(rng) : rng;
  return {
    uniform: () => 1 - r.next(),
    normal: () => r.normal(),
  };
}

/**
 * Poisson sampling of a lot: every row of 0..n−1 joins independently with probability q, the
 * sampling the RDP analysis of the subsampled Gaussian assumes (Mironov, Talwar & Zhang 2019). The
 * gaps between chosen rows are geometric, so it jumps gap = ⌊ln u / ln(1 − q)⌋ rows at a time
 * (Devroye 1986, ch. X.2) and costs O(qn) draws instead of n. Writes the rows, ascending, into `out`
 * (length ≥ n) and returns how many there are.
 */
export function dpSgdPoissonLot(random: DpSgdRandom, n: number, q: number, out: Uint32Array): number {
  if (q >= 1) {
    for (let i = 0; i < n; i++) out[i] = i;
    return n;
  }
  const logKeep = Math.log1p(-q);
  let count = 0;
  let i = -1;
  for (;;) {
    const gap = Math.floor(Math.log(random.uniform()) / logKeep);
    i += gap + 1;
    if (!(i < n)) return count;
    out[count++] = i;
  }
}
