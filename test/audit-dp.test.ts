import { describe, expect, it } from 'vitest';
import { referenceCaseFlags, referenceCases } from '../src/fairness/reference-cases.test-suite.js';
import { steward } from './cli-helpers.js';

// A DP release of the audit's counts (issue 5, part 3): exact discrete Laplace noise on every
// group × label × prediction cell, then the usual audit on the noisy counts.
const ref = referenceCases().find((c) => c.case === 'german_age') ?? referenceCases()[0];
const args = (...extra: string[]) => [
  'audit',
  '--data',
  ref.csv,
  ...referenceCaseFlags(ref),
  '--json',
  ...extra,
];

interface Group {
  count: number;
}

describe('steward audit --dp-epsilon', () => {
  const exact = JSON.parse(steward(args()).stdout);

  it('with a huge ε the noise is 0 (P(Y ≠ 0) = 2e^-1000/(1 + e^-1000)): the exact audit, plus the DP note', () => {
    const r = steward(args('--dp-epsilon', '1000'));
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.metrics).toEqual(exact.metrics);
    expect(out.warnings[0]).toMatch(/released with ε = 1000 differential privacy/);
  });

  it('with a small ε the counts move but stay non-negative integers, and every metric is still computed', () => {
    const r = steward(args('--dp-epsilon', '0.05'));
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const counts = out.groups.map((g: Group) => g.count);
    for (const c of counts) expect(Number.isInteger(c) && c >= 0).toBe(true);
    // Scale 1/ε = 20 on 4 cells per group: some group count differs from the exact one (the chance that
    // all four cells of every group draw 0 is below (ε/2)^8 ≈ 1.5e-13 with two groups).
    expect(counts).not.toEqual(exact.groups.map((g: Group) => g.count));
    expect(Object.keys(out.metrics)).toEqual(Object.keys(exact.metrics));
  });

  it('refuses weights, intervals and a bad ε with a clear message', () => {
    const weighted = steward([...args('--dp-epsilon', '1'), '--weight', ref.score]);
    expect(weighted.status).toBe(2);
    expect(weighted.stderr).toMatch(/'--dp-epsilon' flag needs unweighted counts/);
    const intervals = steward(args('--dp-epsilon', '1', '--intervals', '100'));
    expect(intervals.status).toBe(2);
    expect(intervals.stderr).toMatch(/'--intervals' and '--dp-epsilon' do not go together/);
    for (const bad of ['0', '-1', 'abc']) {
      const r = steward(args('--dp-epsilon', bad));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/'--dp-epsilon' flag must be a number > 0/);
    }
  });
});
