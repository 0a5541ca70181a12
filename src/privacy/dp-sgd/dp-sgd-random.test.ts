import { describe, expect, it } from 'vitest';
import { dpSgdPoissonLot, secureDpSgdRandom, seededDpSgdRandom } from './dp-sgd-random.js';

describe('dpSgdPoissonLot', () => {
  it('includes each row independently with probability q (2,000 lots; 5-sigma binomial bounds)', () => {
    const n = 50;
    const q = 0.1;
    const lots = 2000;
    const random = seededDpSgdRandom(3);
    const hits = new Float64Array(n);
    const out = new Uint32Array(n);
    let pairs = 0;
    let ascending = true;
    for (let t = 0; t < lots; t++) {
      const count = dpSgdPoissonLot(random, n, q, out);
      for (let k = 0; k < count; k++) {
        hits[out[k]]++;
        if (k > 0 && out[k] <= out[k - 1]) ascending = false;
      }
      if (count > 1 && out[0] === 0 && out[1] === 1) pairs++;
    }
    expect(ascending).toBe(true);
    // Per row: Binomial(2000, 0.1), mean 200, sd √(2000·0.1·0.9) ≈ 13.4.
    for (const h of hits) expect(Math.abs(h - lots * q)).toBeLessThan(5 * Math.sqrt(lots * q * (1 - q)));
    // Rows 0 and 1 together: Binomial(2000, 0.01) if independent, mean 20, sd ≈ 4.45.
    expect(Math.abs(pairs - lots * q * q)).toBeLessThan(5 * Math.sqrt(lots * q * q * (1 - q * q)));
  });

  it('takes every row when q = 1, and gives empty lots at the rate (1 − q)^n', () => {
    const out = new Uint32Array(7);
    expect(dpSgdPoissonLot(seededDpSgdRandom(1), 7, 1, out)).toBe(7);
    expect([...out]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const random = seededDpSgdRandom(2);
    let empty = 0;
    for (let t = 0; t < 1000; t++) if (dpSgdPoissonLot(random, 5, 0.01, out) === 0) empty++;
    // P(empty) = 0.99^5 ≈ 0.951; Binomial(1000, 0.951) sd ≈ 6.8.
    expect(Math.abs(empty - 951)).toBeLessThan(40);
  });
});

describe('secureDpSgdRandom', () => {
  it('gives uniforms in (0, 1] and standard normals (mean 0, variance 1 within 5 standard errors on 200,000 draws)', () => {
    const random = secureDpSgdRandom();
    const m = 200_000;
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let k = 0; k < m; k++) {
      const u = random.uniform();
      if (!(u > 0 && u <= 1)) outside++;
      const z = random.normal();
      sum += z;
      sq += z * z;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / m)).toBeLessThan(5 / Math.sqrt(m));
    // Var of z² is 2, so the sample mean of z² has standard error √(2/m).
    expect(Math.abs(sq / m - 1)).toBeLessThan(5 * Math.sqrt(2 / m));
  });

  it('is not reproducible (two sources differ), unlike the seeded one', () => {
    const a = secureDpSgdRandom();
    const b = secureDpSgdRandom();
    expect(a.normal()).not.toBe(b.normal());
    expect(seededDpSgdRandom(5).normal()).toBe(seededDpSgdRandom(5).normal());
  });
});
