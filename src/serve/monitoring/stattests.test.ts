import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binnedShares } from './binning.js';
import { columnDrift, defaultDriftTest } from './column-drift.js';
import { chiSquareSf, normalSf } from './special-functions.js';
import {
  chiSquare,
  jensenShannonDistance,
  ksTwoSample,
  populationStabilityIndex,
  proportionZTest,
  wassersteinDistance,
  wassersteinNormed,
} from './stattests.js';

// Expected values: test/fixtures/monitoring/stattests.json, written by generate_stattests.py in the same
// folder with scipy 1.10.1 / numpy 1.24.2 (ks_2samp 'auto', chisquare, chi2.sf, norm.sf,
// wasserstein_distance, spatial.distance.jensenshannon base 2, Evidently's binning). Tolerance 1e-9 absolute.
const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/monitoring/stattests.json', import.meta.url), 'utf8'),
);
const TOL = 1e-9;
const close = (actual: number, expected: number, what: string) =>
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOL);

describe('special functions against scipy', () => {
  it('chi2.sf through the regularized upper incomplete gamma', () => {
    for (const c of fixture.chi2_sf) close(chiSquareSf(c.s, c.k), c.sf, `chi2.sf(${c.s}, ${c.k})`);
  });
  it('norm.sf through erfc', () => {
    for (const c of fixture.normal_sf) close(normalSf(c.z), c.sf, `norm.sf(${c.z})`);
  });
});

describe('two-sample tests against scipy', () => {
  it("ks_2samp (exact p-value, mode 'auto')", () => {
    for (const [i, c] of fixture.ks.entries()) {
      const r = ksTwoSample(Float64Array.from(c.reference), Float64Array.from(c.current));
      close(r.statistic, c.statistic, `ks case ${i} statistic`);
      close(r.pValue as number, c.p_value, `ks case ${i} p-value`);
      // Tiny p-values (the last case, about 2e-32) also agree relatively, to 1e-9.
      const rel = Math.abs((r.pValue as number) - c.p_value) / c.p_value;
      expect(rel, `ks case ${i} relative p-value error`).toBeLessThanOrEqual(1e-9);
    }
  });
  it('chisquare(f_obs, f_exp)', () => {
    for (const c of fixture.chisquare) {
      const r = chiSquare(c.observed, c.expected);
      close(r.statistic, c.statistic, 'chi-square statistic');
      close(r.pValue as number, c.p_value, 'chi-square p-value');
    }
  });
  it('two-proportion Z-test', () => {
    for (const c of fixture.z) {
      const r = proportionZTest(c.ones1, c.n1, c.ones2, c.n2);
      close(r.statistic, c.statistic, 'z');
      close(r.pValue as number, c.p_value, 'z p-value');
    }
  });
  it('Wasserstein (plain and normed), Jensen-Shannon and PSI over Sturges bins', () => {
    for (const [i, c] of fixture.distances.entries()) {
      const a = Float64Array.from(c.reference);
      const b = Float64Array.from(c.current);
      close(wassersteinDistance(a, b), c.wasserstein, `case ${i} wasserstein`);
      close(wassersteinNormed(a, b), c.wasserstein_normed, `case ${i} normed`);
      const plain = binnedShares(a, b, false);
      expect(plain.bins.length).toBe(c.bins);
      close(jensenShannonDistance(plain.reference, plain.current), c.jensenshannon, `case ${i} JS`);
      const filled = binnedShares(a, b, true);
      close(populationStabilityIndex(filled.reference, filled.current), c.psi, `case ${i} PSI`);
    }
  });
  it('categorical: JS, PSI and chi-square with a category unseen in the reference', () => {
    const c = fixture.categorical;
    close(
      columnDrift('c', c.reference, c.current, { test: 'jensenshannon' }).statistic,
      c.jensenshannon,
      'JS',
    );
    close(columnDrift('c', c.reference, c.current, { test: 'psi' }).statistic, c.psi, 'PSI');
    const chi = columnDrift('c', c.reference, c.current);
    expect(chi.test).toBe('chisquare');
    close(chi.pValue as number, c.chisquare_p_value, 'chi-square p');
    expect(chi.drifted).toBe(true);
  });
});

describe("Evidently's default test per column", () => {
  const num = (n: number, k: number) => Float64Array.from({ length: n }, (_, i) => i % k);
  it('KS / chi-square / Z up to 1,000 reference rows, Wasserstein / Jensen-Shannon beyond', () => {
    expect(defaultDriftTest(num(1000, 50), num(10, 50))).toBe('ks');
    expect(defaultDriftTest(num(1000, 4), num(10, 4))).toBe('chisquare');
    expect(defaultDriftTest(num(1000, 2), num(10, 2))).toBe('z');
    expect(defaultDriftTest(['a', 'b', 'c'], ['a'])).toBe('chisquare');
    expect(defaultDriftTest(num(1001, 50), num(10, 50))).toBe('wasserstein');
    expect(defaultDriftTest(num(1001, 5), num(10, 5))).toBe('jensenshannon');
  });
  it('decides on p < threshold for tests and distance ≥ threshold for distances', () => {
    const c = fixture.ks[0];
    const d = columnDrift('x', Float64Array.from(c.reference), Float64Array.from(c.current));
    expect(d).toMatchObject({ test: 'ks', threshold: 0.05, drifted: c.p_value < 0.05 });
    const w = fixture.distances[1];
    const e = columnDrift('y', Float64Array.from(w.reference), Float64Array.from(w.current));
    expect(e).toMatchObject({ test: 'wasserstein', threshold: 0.1, drifted: w.wasserstein_normed >= 0.1 });
  });
});
