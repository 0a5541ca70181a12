import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataEngine, sqlString } from '../src/data/index.js';
import {
  expectMatchesReference,
  referenceCases,
  relativeError,
} from '../src/fairness/reference-cases.test-suite.js';
import { root, steward, tempDir, writeIn } from './cli-helpers.js';

// Expected values: ../shared/reference/fairness/*.json (AIF360 @34877916, Fairlearn v0.12.0; see the
// folder's README.md). Tolerance: 1e-9 relative, NaN and ±Infinity exactly (as "NaN"/"Infinity").
const cases = referenceCases();

function auditArgs(ref: (typeof cases)[number], withPrediction = true): string[] {
  return [
    'audit',
    '--data',
    ref.csv,
    '--label',
    ref.label,
    '--positive',
    ref.positive,
    ...(withPrediction ? ['--prediction', ref.prediction, '--score', ref.score] : []),
    '--protected',
    ref.protected.join(','),
    '--privileged',
    Object.entries(ref.privileged)
      .map(([c, v]) => `${c}=${v}`)
      .join(','),
    '--json',
  ];
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
