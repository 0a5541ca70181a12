import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { checkInteger } from './validate.js';

/**
 * Seeded pseudo-random source (xoroshiro128+ from pure-rand). All randomness in Steward flows through
 * one of these, so the same seed and data give the same result bit for bit. Not for cryptography.
 */
export class Rng {
  private readonly gen: ReturnType<typeof xoroshiro128plus>;

  /** Creates a generator from an integer seed. */
  constructor(seed: number) {
    checkInteger('Rng', 'seed', seed, 0);
    this.gen = xoroshiro128plus(seed >>> 0);
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.int32() >>> 5; // 27 bits
    const lo = this.int32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    // Rejection sampling on 32-bit outputs keeps every value equally likely.
    const limit = Math.floor(4294967296 / n) * n;
    let v = this.int32() >>> 0;
    while (v >= limit) v = this.int32() >>> 0;
    return v % n;
  }

  /** A standard normal deviate (Box-Muller, polar form avoided for determinism across runs). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** A new generator whose seed is drawn from this one, for independent child streams. */
  fork(): Rng {
    return new Rng(this.int(0x7fffffff));
  }

  private int32(): number {
    return this.gen.next();
  }
}
