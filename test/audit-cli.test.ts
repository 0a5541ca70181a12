import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataEngine, sqlString } from '../src/data/index.js';
import {
  expectMatchesReference,
  referenceCaseFlags,
  referenceCases,
  relativeError,
} from '../src/fairness/reference-cases.test-suite.js';
import { root, steward, tempDir, writeIn } from './cli-helpers.js';

// Expected values: ../shared/reference/fairness/*.json (AIF360 @34877916, Fairlearn v0.12.0; see the
// folder's README.md). Tolerance: 1e-9 relative, NaN and ±Infinity exactly (as "NaN"/"Infinity").
const cases = referenceCases();

function auditArgs(ref: (typeof cases)[number], withPrediction = true): string[] {
  return ['audit', '--data', ref.csv, ...referenceCaseFlags(ref, withPrediction)];
}

describe('steward audit --json on every reference case', () => {
  for (const ref of cases) {
    it(`${ref.case}: metrics and groups match the reference to 1e-9 relative`, () => {
      const r = steward(auditArgs(ref));
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.rows).toBe(ref.rows);
      expectMatchesReference(ref, out.metrics, out.groups);
    });
  }

  it('without --prediction audits the labels alone (aif360_label_metrics)', () => {
    for (const ref of cases.filter((c) => c.case === 'toy' || c.case === 'edge_privileged_empty')) {
      const r = steward(auditArgs(ref, false));
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(
        relativeError(out.metrics.disparate_impact, ref.aif360_label_metrics.label_disparate_impact),
      ).toBe(0);
      expect(
        relativeError(
          out.metrics.statistical_parity_difference,
          ref.aif360_label_metrics.label_statistical_parity_difference,
        ),
      ).toBeLessThanOrEqual(1e-9);
      expect(out.groups.map((g: { base_rate: number }) => g.base_rate)).toEqual(
        ref.groups.map((g) => g.base_rate),
      );
    }
  });

  it('--db duckdb:PATH --table audits a table in a DuckDB file with the same result', async () => {
    const ref = cases.find((c) => c.case === 'compas_race_sex') ?? cases[0];
    const dir = tempDir();
    const db = join(dir, 'audit.duckdb');
    const engine = await DataEngine.open(db);
    await engine.exec(
      `CREATE TABLE "scored rows" AS SELECT * FROM read_csv(${sqlString(ref.csv)}, header = true, all_varchar = true)`,
    );
    engine.close();
    const args = auditArgs(ref);
    args.splice(1, 2, '--db', `duckdb:${db}`, '--table', 'scored rows');
    const r = steward(args);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expectMatchesReference(ref, out.metrics, out.groups);
  });

  it('human output is a readable table with the warnings', () => {
    const ref = cases.find((c) => c.case === 'edge_privileged_empty') ?? cases[0];
    const r = steward(auditArgs(ref).slice(0, -1));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/disparate_impact\s+Infinity/);
    expect(r.stdout).toMatch(/equal_opportunity_difference\s+NaN/);
    expect(r.stdout).toContain('Warning: true_positive_rate of the privileged group is 0/0');
  });
});

describe('steward audit --model scores the rows first', () => {
  it('audits a trained ONNX model on the German credit file; predicted positives equal steward predict', () => {
    const dir = tempDir();
    const model = join(dir, 'german.onnx');
    expect(steward(['train', '--dataset', 'german', '--out', model, '--json']).status).toBe(0);
    const data = join(root, 'datasets', 'german-credit.csv');
    const r = steward([
      'audit',
      '--data',
      data,
      '--label',
      'credit',
      '--positive',
      '1',
      '--protected',
      'sex',
      '--privileged',
      'sex=male',
      '--model',
      model,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(1000);
    const p = JSON.parse(steward(['predict', '--model', model, '--data', data, '--json']).stdout);
    const selected = out.groups.reduce(
      (a: number, g: { count: number; selection_rate: number }) => a + g.count * g.selection_rate,
      0,
    );
    expect(Math.round(selected)).toBe(p.positives);
  });
});

describe('steward audit on bad input: clear error, exit 1 for data and 2 for options, nothing written', () => {
  const dir = tempDir('steward-audit-bad-');
  const csv = (name: string, text: string) => writeIn(dir, name, text);
  const good = 'g,y,p,s,w\na,1,1,0.9,1\na,0,0,0.2,2\nb,1,0,0.3,1\nb,0,1,0.7,1\n';
  const base = (file: string, extra: string[] = []) => [
    'audit',
    '--data',
    file,
    '--label',
    'y',
    '--positive',
    '1',
    '--prediction',
    'p',
    '--protected',
    'g',
    '--privileged',
    'g=a',
    ...extra,
    '--json',
  ];
  const fails = (args: string[], status: number, pattern: RegExp) => {
    const before = readdirSync(dir).sort();
    const r = steward(args, { cwd: dir });
    expect(r.status, r.stderr).toBe(status);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(readdirSync(dir).sort()).toEqual(before);
  };

  it('accepts the good file', () => {
    const r = steward(base(csv('good.csv', good), ['--score', 's', '--weight', 'w']), { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
  });
  it('unknown column', () => {
    fails(
      [...base(csv('u.csv', good)), '--score', 'nope'],
      1,
      /score column 'nope' is not in the data.*column 'nope'/,
    );
  });
  it('privileged value that matches no row', () => {
    const args = base(csv('pv.csv', good));
    args[args.indexOf('g=a')] = 'g=z';
    fails(args, 1, /privileged value 'z' matches no row.*column 'g'/);
  });
  it('protected column with a single value', () => {
    fails(base(csv('one.csv', 'g,y,p\na,1,1\na,0,0\n')), 1, /single value \('a'\).*column 'g'/);
  });
  it('prediction that is not binary, naming the row', () => {
    fails(base(csv('nb.csv', 'g,y,p\na,1,1\na,0,0\nb,1,yes\nb,0,0\n')), 1, /Got 'yes'.*row 3, column 'p'/);
  });
  it('score outside [0, 1], naming the row', () => {
    const file = csv('sc.csv', 'g,y,p,s\na,1,1,0.9\na,0,0,0.2\nb,1,0,1.5\nb,0,1,0.7\n');
    fails(base(file, ['--score', 's']), 1, /\[0, 1\]\. Got '1.5'.*row 3, column 's'/);
  });
  it('negative weights, naming the row', () => {
    const file = csv('w.csv', 'g,y,p,w\na,1,1,1\na,0,0,1\nb,1,0,1\nb,0,1,-2\n');
    fails(base(file, ['--weight', 'w']), 1, />= 0\. Got '-2'.*row 4, column 'w'/);
  });
  it('a label with three values, and a positive value that never occurs', () => {
    fails(
      base(csv('l3.csv', 'g,y,p\na,1,1\na,0,0\nb,2,0\nb,0,1\n')),
      1,
      /exactly two values.*row 3, column 'y'/,
    );
    const args = base(csv('pos.csv', good));
    args[args.indexOf('--positive') + 1] = 'yes';
    fails(args, 1, /positive label 'yes' never occurs/);
  });
  it('a missing file', () => {
    fails(base(join(dir, 'missing.csv')), 1, /file was not found/);
  });
  it('option errors exit 2', () => {
    const file = csv('opt.csv', good);
    fails(
      base(file).filter((a, i, all) => a !== '--privileged' && all[i - 1] !== '--privileged'),
      2,
      /--privileged/,
    );
    const args = base(file);
    args[args.indexOf('g=a')] = 'g';
    fails(args, 2, /COL=VALUE/);
    fails([...base(file), '--no-such-flag'], 2, /unknown option/);
    fails(
      [...base(file).slice(0, 1), '--db', 'mysql://localhost/x', '--table', 't', ...base(file).slice(3)],
      2,
      /duckdb:PATH/,
    );
    fails([...base(file), '--privileged', 'h=a'], 2, /not a protected column/);
  });
});

describe('steward audit --intervals, --reference-shares, --report', () => {
  const ref = cases.find((c) => c.case === 'compas_race_sex') ?? cases[0];
  const dir = tempDir('steward-audit-extras-');
  const marginal = ref.protected[0];
  const values = [...new Set(ref.groups.map((g) => g.group[marginal]))].sort();
  // Equal expected shares for every value of the first protected column.
  const shares = writeIn(
    dir,
    'shares.csv',
    `${marginal},share\n${values.map((v, i) => `"${v}",${i === 0 ? 1 - (values.length - 1) / values.length : 1 / values.length}`).join('\n')}\n`,
  );

  it('--intervals is deterministic for a seed, brackets finite estimates, and keeps metrics and groups exact', () => {
    const args = [...auditArgs(ref), '--intervals', '200', '--seed', '7'];
    const a = steward(args);
    expect(a.status, a.stderr).toBe(0);
    const out = JSON.parse(a.stdout);
    expectMatchesReference(ref, out.metrics, out.groups);
    expect(JSON.parse(steward(args).stdout).intervals).toEqual(out.intervals);
    const other = JSON.parse(steward([...auditArgs(ref), '--intervals', '200', '--seed', '8']).stdout);
    expect(other.intervals).not.toEqual(out.intervals);
    expect(Object.keys(out.intervals)).toEqual(expect.arrayContaining(Object.keys(out.metrics)));
    const di = out.intervals.disparate_impact;
    expect(Object.keys(di).sort()).toEqual(['estimate', 'lower', 'replicates', 'undefinedShare', 'upper']);
    expect(di.estimate).toBe(out.metrics.disparate_impact);
    expect(di.lower).toBeLessThanOrEqual(di.estimate);
    expect(di.estimate).toBeLessThanOrEqual(di.upper);
    expect(di.replicates + di.undefinedShare * 200).toBe(200);
    expect(out.intervalSettings).toMatchObject({ replicates: 200, confidence: 0.95, seed: 7 });
    const narrow = JSON.parse(steward([...args, '--confidence', '0.5']).stdout).intervals.disparate_impact;
    expect(narrow.upper - narrow.lower).toBeLessThan(di.upper - di.lower);
    for (const v of Object.values(out.intervals) as Record<string, unknown>[]) {
      for (const x of Object.values(v))
        expect(typeof x === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(x as string)).toBe(true);
    }
  });

  it('without the new flags the JSON has no intervals or representativeness', () => {
    const out = JSON.parse(steward(auditArgs(ref)).stdout);
    expect(out.intervals).toBeUndefined();
    expect(out.representativeness).toBeUndefined();
  });

  it('--reference-shares adds representativeness with a chi-square test (checked by hand)', () => {
    const r = steward([...auditArgs(ref), '--reference-shares', shares]);
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout).representativeness;
    expect(rep.columns).toEqual([marginal]);
    const n = ref.rows;
    const observed = values.map((v) =>
      ref.groups.filter((g) => g.group[marginal] === v).reduce((a, g) => a + (g.count as number), 0),
    );
    // X² = Σ (O − E)² / E with O from the reference's group counts and E = n × the share written above.
    const share = (i: number) => (i === 0 ? 1 - (values.length - 1) / values.length : 1 / values.length);
    const chi = observed.reduce((a, o, i) => a + (o - n * share(i)) ** 2 / (n * share(i)), 0);
    expect(rep.groups.map((g: { rows: number }) => g.rows)).toEqual(observed);
    expect(rep.groups.reduce((a: number, g: { expectedRows: number }) => a + g.expectedRows, 0)).toBeCloseTo(
      n,
      9,
    );
    expect(rep.chiSquare.statistic).toBeCloseTo(chi, 9);
    expect(rep.chiSquare.degreesOfFreedom).toBe(values.length - 1);
    expect(rep.chiSquare.pValue).toBeGreaterThanOrEqual(0);
    const text = steward([...auditArgs(ref).slice(0, -1), '--reference-shares', shares]);
    expect(text.stdout).toMatch(/Pearson chi-square .* on \d+ degrees of freedom/);
  });

  it('--report writes a self-contained HTML report with the fairness section', () => {
    const report = join(dir, 'audit.html');
    const r = steward([
      ...auditArgs(ref),
      '--intervals',
      '100',
      '--reference-shares',
      shares,
      '--report',
      report,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('id="fairness"');
    expect(html).toContain('Disparate impact');
    expect(html).toContain('Representativeness');
    expect(html).toContain('percentile bootstrap');
    expect(html).not.toMatch(/<script\b/i);
    expect(JSON.parse(r.stdout).metrics.disparate_impact).toBeDefined();
  });

  it('bad input: exit 2 for bad --intervals/--seed/--confidence, exit 1 for a bad shares file naming it; nothing written', () => {
    const report = join(dir, 'never.html');
    const fails = (extra: string[], status: number, pattern: RegExp) => {
      const before = readdirSync(dir).sort();
      const r = steward([...auditArgs(ref), ...extra, '--report', report], { cwd: dir });
      expect(r.status, r.stderr).toBe(status);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(pattern);
      expect(existsSync(report)).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(before);
    };
    for (const n of ['-3', '0', '1.5', 'many'])
      fails([`--intervals=${n}`], 2, /'--intervals' flag must be a whole number >= 1/);
    fails(['--intervals', '10', '--seed', '-1'], 2, /'--seed' flag/);
    fails(['--intervals', '10', '--confidence', '1'], 2, /'--confidence' flag/);
    const bad = writeIn(dir, 'bad-shares.csv', `${marginal},share\n"${values[0]}",lots\n`);
    fails(
      ['--reference-shares', bad],
      1,
      /share must be a number.*file 'bad-shares\.csv', row 1, column 'share'/,
    );
    const wrongColumn = writeIn(dir, 'wrong-column.csv', 'planet,share\nEarth,1\n');
    fails(
      ['--reference-shares', wrongColumn],
      1,
      /'planet' is not a protected column.*wrong-column\.csv.*column 'planet'/,
    );
    const sum = writeIn(dir, 'sum.csv', `${marginal},share\n${values.map((v) => `"${v}",0.9`).join('\n')}\n`);
    fails(['--reference-shares', sum], 1, /sum to 1.*sum\.csv/);
    fails(
      ['--reference-shares', join(dir, 'missing-shares.csv')],
      1,
      /expected-shares file was not found.*missing-shares\.csv/,
    );
  });
});
