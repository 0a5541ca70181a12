import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJsonNumber } from '../src/fairness/audit-json.js';
import { referenceCaseFlags, referenceCases } from '../src/fairness/reference-cases.test-suite.js';
import { root, steward, tempDir, writeIn } from './cli-helpers.js';

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
  return ['mitigate', '--method', 'reweighing', '--data', ref.csv, ...referenceCaseFlags(ref, false)];
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
// The test side is the reference's own split (scikit-learn 1.2.1 train_test_split, seed 0, exported by
// test/fixtures/mitigation-splits/make_splits.py); solvers and the post-processors' random draws still
// differ, so values are compared to 0.025 absolute ("about 0.02" in mitigation.md; on our
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
  const r = steward([
    'mitigate',
    '--method',
    'reweighing',
    '--dataset',
    'adult',
    '--evaluate',
    '--json',
    '--test-rows',
    join(root, 'test', 'fixtures', 'mitigation-splits', 'adult-test-rows.json'),
  ]);

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
    // COMPAS has a protocol now (see below); German credit has none.
    const other = steward(['mitigate', '--method', 'reweighing', '--dataset', 'german', '--evaluate']);
    expect(other.status).toBe(2);
    expect(other.stdout).toBe('');
    expect(other.stderr).toMatch(/'adult' and 'compas' only/);
  });
});

// Reference rows: ../shared/reference/fairness/mitigation.md, Adult (same protocol as above). Every
// post-processor is fitted on the baseline's training scores and applied to its test scores.
// Tolerance 0.025 absolute, on the reference's own split (solvers and random draws still differ).
// KNOWN_GAPS lists values that miss it on the identical split; each is asserted in an `it.fails` test
// below, so it stays visible and the test fails once the gap is closed (issue 4 is open).
type Row = [number, number, number, number, number, number, number, number];
const ADULT_REFERENCE: Record<string, Row> = {
  // acc, bal_acc, sel F, sel M, DI, DPD, EO diff, AOD
  baseline: [0.8457, 0.7612, 0.0821, 0.2562, 0.3205, 0.1741, 0.0725, -0.0624],
  reweighing: [0.8387, 0.7431, 0.1311, 0.2143, 0.6119, 0.0831, 0.1606, 0.0774],
  'correlation-remover': [0.8385, 0.742, 0.128, 0.2136, 0.5993, 0.0856, 0.1568, 0.0741],
  'exponentiated-gradient-dp': [0.8296, 0.7191, 0.1601, 0.1746, 0.917, 0.0145, 0.3193, 0.1795],
  'exponentiated-gradient-eo': [0.834, 0.741, 0.1235, 0.227, 0.5443, 0.1034, 0.0238, 0.0076],
  'threshold-optimizer-dp': [0.8263, 0.7058, 0.157, 0.1566, 1.0028, 0.0004, 0.3506, 0.1983],
  'threshold-optimizer-eo': [0.8303, 0.7247, 0.1166, 0.2055, 0.5676, 0.0889, 0.0052, 0.0046],
  'reject-option': [0.78, 0.7833, 0.3361, 0.3777, 0.8899, 0.0416, 0.1775, 0.1202],
  'calibrated-eq-odds': [0.834, 0.7278, 0, 0.2562, 0, 0.2562, 0.6001, -0.3491],
  'eq-odds': [0.8198, 0.7275, 0.1442, 0.2294, 0.6288, 0.0852, 0.0303, 0.0181],
};
const ROW_KEYS = [
  'accuracy',
  'balanced_accuracy',
  'female',
  'male',
  'disparate_impact',
  'demographic_parity_difference',
  'equalized_odds_difference',
  'average_odds_difference',
] as const;
/**
 * Values that miss 0.025 on the reference's own split. Empty since the randomised post-processors are
 * compared in expectation: ThresholdOptimizer(equalized_odds) had missed on DI (one draw gave 0.6126 vs
 * Fairlearn's single draw 0.5676), but fed scikit-learn's own scores it picks Fairlearn's operating point
 * (FPR 0.0758 exactly vs Fairlearn's grid point 0.075) and its expected test DI is 0.5904 vs Fairlearn's
 * 0.5888; Fairlearn's own draws give 0.573-0.589 over random_state 0-4.
 */
const KNOWN_GAPS: string[] = [];

interface Snapshot {
  metrics: Record<string, number>;
  selectionRates: Record<string, number>;
}
interface Table {
  dataset: string;
  baseline: Snapshot;
  results: {
    method: string;
    after: Snapshot;
    expected?: Snapshot;
    before: Snapshot;
    fitSeconds: number;
    flags: { code: string }[];
  }[];
}

const METHODS = [
  'reweighing',
  'resampling',
  'disparate-impact-remover',
  'correlation-remover',
  'exponentiated-gradient-dp',
  'exponentiated-gradient-eo',
  'reject-option',
  'threshold-optimizer-dp',
  'threshold-optimizer-eo',
  'eq-odds',
  'calibrated-eq-odds',
];

describe('steward mitigate --method all --dataset adult --evaluate', () => {
  const dir = tempDir();
  const html = join(dir, 'mitigation.html');
  const r = steward([
    'mitigate',
    '--method',
    'all',
    '--dataset',
    'adult',
    '--evaluate',
    '--json',
    '--test-rows',
    join(root, 'test', 'fixtures', 'mitigation-splits', 'adult-test-rows.json'),
    '--report',
    html,
  ]);
  const table = (r.status === 0 ? JSON.parse(r.stdout) : undefined) as Table;
  const byMethod = (m: string) => table.results.find((x) => x.method === m) as Table['results'][number];
  const values = (s: Snapshot): Record<string, number> => ({
    ...s.metrics,
    female: s.selectionRates['sex=Female'],
    male: s.selectionRates['sex=Male'],
  });

  it('runs every method once on one baseline', () => {
    expect(r.status, r.stderr).toBe(0);
    expect(table.results.map((x) => x.method)).toEqual(METHODS);
    for (const x of table.results) {
      expect(x.before).toEqual(table.baseline);
      expect(x.fitSeconds).toBeGreaterThan(0);
    }
  });

  it('lands within 0.025 of each AIF360 / Fairlearn reference row, except the named known gaps', () => {
    const misses: string[] = [];
    for (const [method, ref] of Object.entries(ADULT_REFERENCE)) {
      // Randomised post-processors are compared in expectation: one seeded draw moves DI by ±0.03.
      const result = method === 'baseline' ? undefined : byMethod(method);
      const got = values(result ? (result.expected ?? result.after) : table.baseline);
      ROW_KEYS.forEach((k, i) => {
        if (Math.abs(got[k] - ref[i]) > 0.025)
          misses.push(`${method}.${k}: got ${got[k]}, reference ${ref[i]}`);
      });
    }
    // A new miss fails, and so does a known gap that closed: then KNOWN_GAPS must shrink.
    expect(misses.map((m) => m.split(':')[0])).toEqual(KNOWN_GAPS);
  });

  it('has the reference trade-offs and flags', () => {
    const base = table.baseline.metrics;
    const m = (method: string) => {
      const x = byMethod(method);
      return (x.expected ?? x.after).metrics;
    };
    // ThresholdOptimizer(DP) closes the parity gap at an accuracy cost, opening the odds gap.
    expect(m('threshold-optimizer-dp').demographic_parity_difference).toBeLessThan(0.03);
    expect(m('threshold-optimizer-dp').accuracy).toBeLessThan(base.accuracy);
    expect(m('threshold-optimizer-dp').equalized_odds_difference).toBeGreaterThan(0.25);
    // The equalized-odds post-processors close the odds gap, not the parity gap.
    for (const method of ['threshold-optimizer-eo', 'eq-odds']) {
      expect(m(method).equalized_odds_difference).toBeLessThan(0.05);
      expect(m(method).demographic_parity_difference).toBeGreaterThan(0.05);
    }
    // Reject option: SPD within the ±0.05 bound, balanced accuracy up, accuracy down past the bound.
    expect(Math.abs(m('reject-option').statistical_parity_difference)).toBeLessThanOrEqual(0.06);
    expect(m('reject-option').balanced_accuracy).toBeGreaterThan(base.balanced_accuracy);
    expect(byMethod('reject-option').flags.map((f) => f.code)).toEqual(['accuracy_loss']);
    // Calibrated equalized odds gives every woman a negative prediction, as in the reference: flagged.
    expect(byMethod('calibrated-eq-odds').after.selectionRates['sex=Female']).toBe(0);
    expect(byMethod('calibrated-eq-odds').flags.map((f) => f.code)).toEqual(['zero_selection_rate']);
    // The pre-processors halve the parity gap; the disparate impact remover (numeric features only,
    // no reference row) barely moves it because sex stays a feature.
    for (const method of ['reweighing', 'resampling', 'correlation-remover']) {
      expect(m(method).demographic_parity_difference).toBeLessThan(base.demographic_parity_difference / 1.5);
    }
    expect(Math.abs(m('disparate-impact-remover').accuracy - base.accuracy)).toBeLessThan(0.01);
    for (const method of [
      'reweighing',
      'resampling',
      'correlation-remover',
      'exponentiated-gradient-dp',
      'exponentiated-gradient-eo',
      'threshold-optimizer-dp',
      'threshold-optimizer-eo',
      'eq-odds',
    ]) {
      expect(byMethod(method).flags, method).toEqual([]);
    }
  });

  it('writes the HTML report atomically: the table of every method and the Pareto chart', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<svg/);
    for (const method of METHODS) expect(page).toContain(method);
    expect(page).toContain('Pareto front');
    expect(page).toContain('zero selection rate');
    expect(readdirSync(dir)).toEqual(['mitigation.html']);
  });

  it('one method alone prints the same numbers as its row of the table, under the audit names', () => {
    const one = steward([
      'mitigate',
      '--method',
      'threshold-optimizer-dp',
      '--dataset',
      'adult',
      '--evaluate',
      '--json',
      '--test-rows',
      join(root, 'test', 'fixtures', 'mitigation-splits', 'adult-test-rows.json'),
    ]);
    expect(one.status, one.stderr).toBe(0);
    const out = JSON.parse(one.stdout);
    expect(out.method).toBe('threshold-optimizer-dp');
    expect(out.after).toEqual(byMethod('threshold-optimizer-dp').after);
    expect(out.before.metrics.demographic_parity_difference).toBe(
      table.baseline.metrics.demographic_parity_difference,
    );
    expect(out.weights).toBeUndefined();
  });
});

describe('steward mitigate --method all --dataset compas --evaluate --json', () => {
  const r = steward([
    'mitigate',
    '--method',
    'all',
    '--dataset',
    'compas',
    '--evaluate',
    '--json',
    '--test-rows',
    join(root, 'test', 'fixtures', 'mitigation-splits', 'compas-test-rows.json'),
  ]);

  it('runs on the 5278 African-American and Caucasian rows with the reference trade-off shapes', () => {
    expect(r.status, r.stderr).toBe(0);
    const table = JSON.parse(r.stdout) as Table & { rows: { train: number; test: number } };
    expect(table.rows.train + table.rows.test).toBe(5278);
    expect(Object.keys(table.baseline.selectionRates)).toEqual(['race=African-American', 'race=Caucasian']);
    const m = (method: string) => {
      const x = table.results.find((y) => y.method === method) as Table['results'][number];
      return (x.expected ?? x.after).metrics;
    };
    // Baseline: Caucasians selected (no recidivism predicted) far more often; DI well below 0.8.
    expect(table.baseline.metrics.disparate_impact).toBeLessThan(0.75);
    // Reweighing and the parity post-processors bring DI near 1 and DPD under 0.05 (reference DPD 0.034,
    // 0.027, 0.020); correlation removal cuts DPD by more than half (reference 0.2065 -> 0.0775).
    expect(m('correlation-remover').demographic_parity_difference).toBeLessThan(
      table.baseline.metrics.demographic_parity_difference / 2,
    );
    for (const method of ['reweighing', 'threshold-optimizer-dp', 'reject-option']) {
      expect(m(method).demographic_parity_difference, method).toBeLessThan(0.05);
      expect(Math.abs(m(method).disparate_impact - 1), method).toBeLessThan(0.1);
    }
    // The equalized-odds post-processors at least halve the odds gap (reference: 0.2342 -> 0.0561 and
    // 0.0480); in expectation here 0.060 and 0.046 (one seeded draw on 1,584 test rows gives about 0.078).
    for (const method of ['threshold-optimizer-eo', 'eq-odds']) {
      expect(m(method).equalized_odds_difference, method).toBeLessThan(
        table.baseline.metrics.equalized_odds_difference / 2,
      );
    }
    // Calibrated equalized odds barely changes anything here (reference: DI 0.69 vs 0.71).
    expect(
      Math.abs(m('calibrated-eq-odds').disparate_impact - table.baseline.metrics.disparate_impact),
    ).toBeLessThan(0.03);
  });

  it('lands within 0.025 of every COMPAS reference row (randomised post-processors in expectation)', () => {
    // ../shared/reference/fairness/mitigation.md, COMPAS table: acc, bal_acc, DI, DPD, EO diff, AOD.
    const reference: Record<string, number[]> = {
      baseline: [0.6698, 0.6652, 0.7095, 0.2065, 0.2342, -0.1672],
      reweighing: [0.6572, 0.6512, 1.0573, 0.0338, 0.1139, 0.0782],
      'correlation-remover': [0.6547, 0.6482, 1.1353, 0.0775, 0.1444, 0.1239],
      'exponentiated-gradient-dp': [0.6578, 0.6518, 1.0454, 0.027, 0.0923, 0.0736],
      // The reference row (0.6111, 0.6084, 0.9643, 0.0202, 0.0186, 0.0144) is one random draw; its EO
      // difference moves 0.027-0.073 over random_state 0-3. Compared instead with Fairlearn's expected
      // values on this split (test/fixtures/mitigation-splits/fairlearn_expected.py).
      'exponentiated-gradient-eo': [0.6192, 0.6167, 0.9865, 0.0075, 0.0395, 0.028],
      'threshold-optimizer-dp': [0.666, 0.6614, 1.0469, 0.0268, 0.1057, 0.075],
      'threshold-optimizer-eo': [0.625, 0.6177, 0.993, 0.0044, 0.0561, 0.0355],
      'reject-option': [0.6711, 0.6695, 0.9631, 0.0203, 0.0605, 0.0293],
      'calibrated-eq-odds': [0.6698, 0.6649, 0.6941, 0.2222, 0.255, -0.1839],
      'eq-odds': [0.6086, 0.5979, 1.0094, 0.0064, 0.048, 0.0389],
    };
    const keys = [
      'accuracy',
      'balanced_accuracy',
      'disparate_impact',
      'demographic_parity_difference',
      'equalized_odds_difference',
      'average_odds_difference',
    ];
    const table = JSON.parse(r.stdout) as Table;
    const misses: string[] = [];
    for (const [method, ref] of Object.entries(reference)) {
      const x = table.results.find((y) => y.method === method);
      const got = (x ? (x.expected ?? x.after) : table.baseline).metrics;
      keys.forEach((k, i) => {
        if (!(Math.abs(got[k] - ref[i]) <= 0.025))
          misses.push(`${method}.${k}: got ${got[k]}, reference ${ref[i]}`);
      });
    }
    expect(misses).toEqual([]);
  });

  it('prints the table as text without --json', () => {
    const text = steward(['mitigate', '--method', 'all', '--dataset', 'compas', '--evaluate']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Mitigations on compas .*privileged: race=Caucasian/);
    for (const method of METHODS) expect(text.stdout).toContain(method);
    expect(text.stdout).toMatch(/sel race=African-American/);
  });
});

describe('steward mitigate: bad --evaluate input', () => {
  it('an unknown method with --evaluate exits 2 and lists every method', () => {
    const r = steward(['mitigate', '--method', 'magic', '--dataset', 'adult', '--evaluate']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    for (const method of METHODS) expect(r.stderr).toContain(method);
  });

  it('post-processors and --method all need --dataset --evaluate; --report needs --method all', () => {
    const toy = cases.find((c) => c.case === 'toy') as (typeof cases)[number];
    const args = mitigateArgs(toy);
    args[2] = 'eq-odds';
    const r = steward(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--dataset adult\|compas --evaluate/);
    args[2] = 'all';
    expect(steward(args).status).toBe(2);
    const report = steward([
      'mitigate',
      '--method',
      'eq-odds',
      '--dataset',
      'adult',
      '--evaluate',
      '--report',
      join(tempDir(), 'x.html'),
    ]);
    expect(report.status).toBe(2);
    expect(report.stderr).toMatch(/--method all/);
    expect(existsSync(join(tempDir(), 'x.html'))).toBe(false);
  });
});
