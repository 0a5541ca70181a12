import { getRandomValues } from 'node:crypto';
import { InvalidParameterError, Rng } from '../../core/index.js';

/** The one primitive a mechanism needs: uniform 32-bit words. Implement it to inject a source in tests. */
export interface RandomBits {
  /** A uniform integer in [0, 2^32). */
  uint32(): number;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/**
 * Uniform draws built from 32-bit words: 53-bit doubles, bits, integers of any size (BigInt, by
 * rejection, so every value is exactly equally likely) and Mironov's (2012) full-precision uniform.
 */
export abstract class RandomSource implements RandomBits {
  /** A uniform integer in [0, 2^32). */
  abstract uint32(): number;

  /** A uniform double in [0, 1) on the grid k/2^53 (53 random bits). */
  double(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  private bitPool = 0;
  private bitsLeft = 0;

  /** A uniform bit, 0 or 1 (32 per word drawn). */
  bit(): 0 | 1 {
    if (this.bitsLeft === 0) {
      this.bitPool = this.uint32();
      this.bitsLeft = 32;
    }
    this.bitsLeft--;
    return ((this.bitPool >>> this.bitsLeft) & 1) as 0 | 1;
  }

  /** A uniform integer in [0, n) for an integer 1 ≤ n ≤ 2^53. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) {
      throw new InvalidParameterError(
        `The 'n' option of RandomSource.int must be an integer in [1, 2^53]. Got ${n} instead.`,
      );
    }
    if (n <= 4294967296) {
      const limit = Math.floor(4294967296 / n) * n; // rejection keeps every value equally likely
      let v = this.uint32();
      while (v >= limit) v = this.uint32();
      return v % n;
    }
    return Number(this.bigInt(BigInt(n)));
  }

  /** A uniform BigInt in [0, n) for n ≥ 1: draws bitLength(n − 1) bits and rejects values ≥ n (expected < 2 tries). */
  bigInt(n: bigint): bigint {
    if (n < 1n) {
      throw new InvalidParameterError(
        `The 'n' option of RandomSource.bigInt must be >= 1. Got ${n} instead.`,
      );
    }
    const bits = (n - 1n).toString(2).length;
    for (;;) {
      let v = 0n;
      let have = 0;
      while (have < bits) {
        const take = Math.min(32, bits - have);
        v = (v << BigInt(take)) | BigInt(this.uint32() >>> (32 - take));
        have += take;
      }
      if (v < n) return v;
    }
  }

  /**
   * A uniform draw on the doubles in (0, 1) with full precision (Mironov 2012, §5.2): each double d
   * comes out with probability equal to the width of the real interval it stands for, as if a real
   * U ~ Uniform(0, 1) were rounded down to a double. The exponent is geometric (count the leading
   * zero bits of a random stream), the 52-bit significand uniform: d = (2^52 + m) · 2^(−53−e).
   */
  fullPrecisionDouble(): number {
    let zeros = 0;
    for (;;) {
      const w = this.uint32();
      if (w !== 0) {
        zeros += Math.clz32(w);
        break;
      }
      zeros += 32;
      if (zeros > 1074) return Number.MIN_VALUE; // probability 2^-1074: never in practice
    }
    const m = (this.uint32() >>> 12) * 4294967296 + this.uint32(); // 20 + 32 = 52 bits
    return ((TWO_POW_53 / 2 + m) / TWO_POW_53) * 2 ** -zeros;
  }
}

/** Words fetched from the operating system's CSPRNG per refill. */
const POOL_WORDS = 1024;

/**
 * The default source of every mechanism: the operating system's CSPRNG through node:crypto's
 * `getRandomValues`, buffered 4 KiB at a time. Not seedable, by design: whoever knows a seed knows the noise.
 */
export class SecureRandom extends RandomSource {
  private readonly pool = new Uint32Array(POOL_WORDS);
  private next = POOL_WORDS;

  /** A uniform integer in [0, 2^32) from the CSPRNG. */
  uint32(): number {
    if (this.next === POOL_WORDS) {
      getRandomValues(this.pool);
      this.next = 0;
    }
    return this.pool[this.next++];
  }
}

/** A reproducible source on core's seeded `Rng` (xoroshiro128+), for tests and demos only: it is NOT private. */
export class SeededRandom extends RandomSource {
  private readonly rng: Rng;

  /** Creates the source from an integer seed. */
  constructor(seed: number) {
    super();
    this.rng = new Rng(seed);
  }

  /** A uniform integer in [0, 2^32) from the seeded generator. */
  uint32(): number {
    return this.rng.int(4294967296);
  }
}

/** Wraps a bare `RandomBits` (one that has only `uint32`) so the derived draws are available. */
class WrappedBits extends RandomSource {
  constructor(private readonly source: RandomBits) {
    super();
  }

  uint32(): number {
    return this.source.uint32() >>> 0;
  }
}

/**
 * The source a mechanism uses: `random` if given (wrapped when it only has `uint32`), else a seeded
 * source when `seed` is given (tests only), else a fresh `SecureRandom`.
 */
export function randomSource(random?: RandomBits, seed?: number): RandomSource {
  if (random !== undefined) return isRandomSource(random) ? random : new WrappedBits(random);
  if (seed !== undefined) return new SeededRandom(seed);
  return new SecureRandom();
}

/** Capability check: does `random` already offer the derived draws? */
function isRandomSource(random: RandomBits): random is RandomSource {
  const r = random as Partial<RandomSource>;
  return (
    typeof r.double === 'function' &&
    typeof r.bigInt === 'function' &&
    typeof r.fullPrecisionDouble === 'function'
  );
}
