import { describe, expect, it } from 'vitest';
import { fromJsonNumber } from '../src/fairness/audit-json.js';
import { referenceCases } from '../src/fairness/reference-cases.test-suite.js';
import { steward, tempDir, writeIn } from './cli-helpers.js';

// Expected weights: the `reweighing` entries of ../shared/reference/fairness/*.json (AIF360 @34877916
// `Reweighing`; see that folder's README.md). Tolerance: 1e-12 absolute, Infinity exactly ("Infinity").
const cases = referenceCases();
const NAMES = [
  'privileged_favorable',
  'privileged_unfavorable',
  'unprivileged_favorable',
  'unprivileged_unfavorable',
];

function mitigateArgs(ref: (typeof cases)[number]): string[] {
  return [
    'mitigate',
    '--method',
    'reweighing',
    '--data',
    ref.csv,
    '--label',
    ref.label,
    '--positive',
    ref.positive,
    '--protected',
    ref.protected.join(','),
    '--privileged',
    Object.entries(ref.privileged)
      .map(([c, v]) => `${c}=${v}`)
      .join(','),
    '--json',
  ];
}

describe('steward mitigate --method reweighing --json on every reference case', () => {
  for (const ref of cases) {
    it(`${ref.case}: prints AIF360's four weights to 1e-12`, () => {
      const r = steward(mitigateArgs(ref));
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      const expected = (ref as unknown as { reweighing: Record<string, unknown> }).reweighing;
      expect(Object.keys(out.weights)).toEqual(NAMES);
      for (const k of NAMES) {
        const e = fromJsonNumber(expected[k]);
        const a = fromJsonNumber(out.weights[k]);
        if (Number.isFinite(e)) expect(Math.abs(a - e), `${ref.case} ${k}`).toBeLessThanOrEqual(1e-12);
        else expect(a, `${ref.case} ${k}`).toBe(e);
      }
      expect(out.rows).toBe(ref.rows);
      // An empty cell (edge_privileged_empty) is flagged, never silent.
      const empty = NAMES.some((k) => !Number.isFinite(fromJsonNumber(expected[k])));
      expect(out.flags.some((f: { code: string }) => f.code === 'empty_cell')).toBe(empty);
    });
  }

  it('the text output names the method, the cells and the label parity after reweighing', () => {
    const ref = cases.find((c) => c.case === 'toy') as (typeof cases)[number];
    const r = steward(mitigateArgs(ref).slice(0, -1));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Reweighing \(Kamiran & Calders 2012\)/);
    expect(r.stdout).toMatch(/statistical_parity_difference/);
  });
});

describe('steward mitigate: bad input', () => {
  const ref = cases.find((c) => c.case === 'toy') as (typeof cases)[number];
  const base = mitigateArgs(ref);
  const replace = (flag: string, value: string) => {
    const args = [...base];
    args[args.indexOf(flag) + 1] = value;
    return args;
  };

  it('an unknown --method exits 2 and lists the available methods', () => {
    const r = steward(replace('--method', 'magic'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Unknown mitigation method 'magic'.*available methods are: reweighing/);
  });

  it('missing options exit 2 and name them', () => {
    const r = steward(['mitigate', '--method', 'reweighing', '--data', ref.csv]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'--label', '--positive', '--protected', '--privileged'/);
    expect(steward(['mitigate', '--data', ref.csv]).status).toBe(2);
    expect(steward(replace('--privileged', 'group')).status).toBe(2);
  });

  it('a missing file, column or privileged value exits 1 with a clear message and no output', () => {
    for (const [args, message] of [
      [replace('--data', 'no-such-file.csv'), /file was not found/],
      [replace('--label', 'nope'), /nope/],
      [replace('--privileged', 'group=zzz'), /privileged value 'zzz'/],
      [replace('--positive', 'yes'), /positive label 'yes' never occurs/],
    ] as const) {
      const r = steward(args);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });

  it('a label with a single value exits 1 instead of printing NaN weights', () => {
    const dir = tempDir();
    const csv = writeIn(dir, 'one-label.csv', 'g,y\na,1\nb,1\nb,1\n');
    const r = steward([
      'mitigate',
      '--method',
      'reweighing',
      '--data',
      csv,
      '--label',
      'y',
      '--positive',
      '1',
      '--protected',
      'g',
      '--privileged',
      'g=a',
      '--json',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/both label values/);
  });
});

// Reference row: ../shared/reference/fairness/mitigation.md, Adult (adult.data, '?' rows and fnlwgt
// dropped), protected sex, Male privileged, AIF360 Reweighing + LogisticRegression(max_iter=1000).
// Splits and solvers differ from the reference (its own 70/30 stratified split, seed 0; ours hashes
// rows in DuckDB), so values are compared to 0.025 absolute ("about 0.02" in mitigation.md; on our
// seeds 0-5 the baseline DI alone spans 0.298-0.316 and the reweighed EO difference 0.169-0.207),
// and the trade-off's shape is checked exactly.
const ADULT = {
  before: {
    accuracy: 0.8457,
    balanced_accuracy: 0.7612,
    female: 0.0821,
    male: 0.2562,
    disparate_impact: 0.3205,
    demographic_parity_difference: 0.1741,
    equalized_odds_difference: 0.0725,
    average_odds_difference: -0.0624,
  },
  after: {
    accuracy: 0.8387,
    balanced_accuracy: 0.7431,
    female: 0.1311,
    male: 0.2143,
    disparate_impact: 0.6119,
    demographic_parity_difference: 0.0831,
    equalized_odds_difference: 0.1606,
    average_odds_difference: 0.0774,
  },
  weights: {
    privileged_favorable: 0.7946,
    privileged_unfavorable: 1.0937,
    unprivileged_favorable: 2.1476,
    unprivileged_unfavorable: 0.8495,
  },
};

describe('steward mitigate --method reweighing --dataset adult --evaluate --json', () => {
  const r = steward(['mitigate', '--method', 'reweighing', '--dataset', 'adult', '--evaluate', '--json']);

  it('lands within 0.025 of the AIF360 reference row, before and after', () => {
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const side of ['before', 'after'] as const) {
      const got = out[side];
      const ref = ADULT[side];
      const values: Record<string, number> = {
        ...got.metrics,
        female: got.selectionRates['sex=Female'],
        male: got.selectionRates['sex=Male'],
      };
      for (const [k, v] of Object.entries(ref)) {
        expect(Math.abs(values[k] - v), `${side}.${k}: got ${values[k]}, reference ${v}`).toBeLessThanOrEqual(
          0.025,
        );
      }
    }
    for (const [k, v] of Object.entries(ADULT.weights)) {
      expect(Math.abs(out.weights[k] - v), `weights.${k}`).toBeLessThanOrEqual(0.025);
    }
    expect(out.method).toBe('reweighing');
    expect(out.flags).toEqual([]);
  });

  it('has the reference trade-off: parity much better, accuracy a little worse, odds gap flips sign', () => {
    const { before, after } = JSON.parse(r.stdout);
    expect(after.metrics.disparate_impact - before.metrics.disparate_impact).toBeGreaterThan(0.2);
    expect(after.metrics.demographic_parity_difference).toBeLessThan(
      before.metrics.demographic_parity_difference / 1.5,
    );
    expect(after.metrics.accuracy).toBeLessThan(before.metrics.accuracy);
    expect(before.metrics.accuracy - after.metrics.accuracy).toBeLessThan(0.02);
    expect(after.metrics.equalized_odds_difference).toBeGreaterThan(before.metrics.equalized_odds_difference);
    expect(before.metrics.average_odds_difference).toBeLessThan(0);
    expect(after.metrics.average_odds_difference).toBeGreaterThan(0);
    expect(after.selectionRates['sex=Female']).toBeGreaterThan(before.selectionRates['sex=Female']);
  });

  it('flags an accuracy loss above --max-accuracy-loss, and refuses a dataset without a protocol', () => {
    const tight = steward([
      'mitigate',
      '--method',
      'reweighing',
      '--dataset',
      'adult',
      '--evaluate',
      '--max-accuracy-loss',
      '0.001',
      '--json',
    ]);
    expect(tight.status, tight.stderr).toBe(0);
    expect(JSON.parse(tight.stdout).flags.map((f: { code: string }) => f.code)).toEqual(['accuracy_loss']);
    const other = steward(['mitigate', '--method', 'reweighing', '--dataset', 'compas', '--evaluate']);
    expect(other.status).toBe(2);
    expect(other.stdout).toBe('');
    expect(other.stderr).toMatch(/'adult' only/);
  });
});
