import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, steward, tempDir, writeIn } from './cli-helpers.js';

// Expected statistics: test/fixtures/monitoring/german-halves.json, written by generate_german.py (scipy
// 1.10.1 ks_2samp / chisquare and the pooled Z-test, Evidently's default test per column). Tolerance 1e-9.
const lines = readFileSync(join(root, 'datasets', 'german-credit.csv'), 'utf8')
  .trim()
  .split('\n');
const header = lines[0];
const cols = header.split(',');
const body = lines.slice(1);
const dir = tempDir('steward-monitor-');
const model = join(dir, 'german.onnx');
const csv = (name: string, rows: string[]) => writeIn(dir, name, `${[header, ...rows].join('\n')}\n`);
const reference = csv('reference.csv', body.slice(0, 500));
const current = csv('current.csv', body.slice(500, 1000));
const amount = cols.indexOf('credit_amount');
const age = cols.indexOf('age');
const doubled = csv(
  'doubled.csv',
  body.slice(500, 1000).map((l) =>
    l
      .split(',')
      .map((v, i) => (i === amount ? String(2 * Number(v)) : v))
      .join(','),
  ),
);
const older = csv(
  'older.csv',
  body.slice(500).filter((l) => Number(l.split(',')[age]) > 50),
);

function monitor(cur: string, extra: string[] = []) {
  const r = steward([
    'monitor',
    '--model',
    model,
    '--reference',
    reference,
    '--current',
    cur,
    '--json',
    ...extra,
  ]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('steward monitor', () => {
  it('trains the German model used below', () => {
    const r = steward(['train', '--dataset', 'german', '--out', model]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('two halves of German credit: statistics equal scipy to 1e-9, little drift, exit 0', () => {
    const out = monitor(current);
    const expected = JSON.parse(
      readFileSync(join(root, 'test', 'fixtures', 'monitoring', 'german-halves.json'), 'utf8'),
    ) as { column: string; test: string; statistic: number; p_value: number }[];
    for (const e of expected) {
      const c = out.columns.find((x: { column: string }) => x.column === e.column);
      expect(c, e.column).toBeDefined();
      expect(c.test, e.column).toBe(e.test);
      expect(Math.abs(c.statistic - e.statistic), `${e.column} statistic`).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(c.p_value - e.p_value), `${e.column} p-value`).toBeLessThanOrEqual(1e-9);
      expect(c.drifted).toBe(e.p_value < 0.05);
    }
    expect(out.dataset_drift).toBe(false);
    expect(out.drifted_share).toBeLessThan(0.5);
    expect(out.prediction_drift).toMatchObject({ column: 'prediction', test: 'ks', threshold: 0.05 });
    expect(out.fairness.attributes).toEqual(['sex', 'age_group']);
    expect(out.fairness.labels).toBe(true);
    expect(out.fairness.groups).toHaveLength(4);
    expect(out.fairness.groups[0]).toHaveProperty('current.tpr');
  });

  it('a doubled credit_amount is flagged on that column; the human report names it', () => {
    const text = steward(['monitor', '--model', model, '--reference', reference, '--current', doubled]);
    expect(text.status, text.stderr).toBe(0);
    // Columns: name, test, statistic, p-value, threshold, decision.
    expect(text.stdout).toMatch(/credit_amount\s+ks\s+0\.3880\s+\S+\s+0\.05\s+DRIFT/);
    expect(text.stdout).toMatch(/^age\s+ks\s+\S+\s+\S+\s+0\.05\s+ok$/m);
  });

  it('only applicants over 50: drift on age and age_group, and a fairness alert', () => {
    const out = monitor(older, ['--test', 'psi']);
    const drifted = out.columns
      .filter((x: { drifted: boolean }) => x.drifted)
      .map((x: { column: string }) => x.column);
    expect(drifted).toContain('age');
    expect(drifted).toContain('age_group');
    expect(out.columns.every((x: { test: string }) => x.test === 'psi')).toBe(true);
    expect(out.fairness.alerts.length).toBeGreaterThan(0);
  });

  it('bad input: a missing column or an empty file exits 1, a missing flag exits 2', () => {
    const keep = (l: string) =>
      l
        .split(',')
        .filter((_, i) => i !== age)
        .join(',');
    const noAge = writeIn(dir, 'no-age.csv', `${keep(header)}\n${keep(body[0])}\n`);
    const missing = steward(['monitor', '--model', model, '--reference', reference, '--current', noAge]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/'age'/);
    const empty = csv('empty.csv', []);
    const r = steward(['monitor', '--model', model, '--reference', reference, '--current', empty]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no rows/);
    const flag = steward(['monitor', '--model', model, '--reference', reference]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/--current/);
  });
});
