import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptPii, hashPii } from '../src/privacy/pii/index.js';
import { root, steward, tempDir, writeIn } from './cli-helpers.js';

const dir = tempDir('steward-pii-');
const CSV = [
  'id,email,note,amount,full_name,city',
  '1,jane.doe@example.com,"call (415) 555-0132, after 5",12.5,Jane Doe,Lisbon',
  '2,marcus@northwind.io,card 4111 1111 1111 1111 on file,7,Marcus Okafor,Porto',
  '3,,nothing to see,3.25,Aisha Patel,Braga',
  '4,li.chen@contoso.net,ok,1,Chen Li,Faro',
].join('\n');
const csv = writeIn(dir, 'people.csv', `${CSV}\n`);
const RAW = [
  'jane.doe@example.com',
  'marcus@northwind.io',
  '(415) 555-0132',
  '4111 1111 1111 1111',
  'Jane Doe',
  'Aisha Patel',
];

/** Runs the built CLI without blocking, so independent invocations overlap (this file stays fast). */
function stewardAsync(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'steward.js'), ...args], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** Parses the small CSVs written here (quoted fields with commas, no embedded newlines). */
function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) =>
      [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
        .slice(0, -1)
        .map((m) => m[1].replace(/^"|"$/g, '').replaceAll('""', '"')),
    );
}

describe('steward pii scan', () => {
  it('--json reports every text column with entity counts, shares, a verdict and masked samples', () => {
    const r = steward(['pii', 'scan', csv, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.file).toBe(csv);
    expect(out.rows).toBe(4);
    expect(out.columns.map((c: { column: string }) => c.column)).toEqual([
      'email',
      'note',
      'full_name',
      'city',
    ]);
    const by = Object.fromEntries(out.columns.map((c: { column: string }) => [c.column, c]));
    // Hand count: 3 non-empty email cells, all emails; note: 1 phone and 1 card among 4 cells.
    expect(by.email.entities.EMAIL_ADDRESS).toEqual({ cells: 3, share: 1 });
    expect(by.note.entities.PHONE_NUMBER).toEqual({ cells: 1, share: 0.25 });
    expect(by.note.entities.CREDIT_CARD).toEqual({ cells: 1, share: 0.25 });
    expect([by.email.pii, by.note.pii, by.full_name.pii, by.city.pii]).toEqual([true, true, true, false]);
    for (const raw of RAW) expect(r.stdout).not.toContain(raw);
  });

  it('prints a table by default; --entities restricts the types; a bad type exits 2 naming the choices', async () => {
    const [text, onlyRun, bad] = await Promise.all([
      stewardAsync(['pii', 'scan', csv]),
      stewardAsync(['pii', 'scan', csv, '--json', '--entities', 'CREDIT_CARD']),
      stewardAsync(['pii', 'scan', csv, '--entities', 'EMAIL']),
    ]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/PII scan of .*people\.csv: 4 rows, 4 text column\(s\), 3 with PII/);
    expect(JSON.parse(onlyRun.stdout).columns[1].entities).toEqual({
      CREDIT_CARD: { cells: 1, share: 0.25 },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/EMAIL_ADDRESS, PHONE_NUMBER.*Got 'EMAIL'/);
  });

  it('a missing file, an empty file and a file without text columns exit non-zero naming the file', async () => {
    const cases = [
      [join(dir, 'nope.csv'), /not found/],
      [writeIn(dir, 'empty.csv', ''), /empty/],
      [writeIn(dir, 'numbers.csv', 'a,b\n1,2.5\n3,4\n'), /no text columns/],
    ] as const;
    const runs = await Promise.all(cases.map(([file]) => stewardAsync(['pii', 'scan', file])));
    runs.forEach((r, k) => {
      expect(r.status, cases[k][0]).toBe(1);
      expect(r.stderr).toMatch(cases[k][1]);
      expect(r.stderr).toContain(cases[k][0]);
    });
  });
});

describe('steward pii redact', () => {
  it('replace (default) writes a CSV copy with <ENTITY> placeholders; numbers and other cells stay', () => {
    const out = join(dir, 'replaced.csv');
    const r = steward(['pii', 'redact', csv, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual(['id', 'email', 'note', 'amount', 'full_name', 'city']);
    expect(rows[1]).toEqual([
      '1',
      '<EMAIL_ADDRESS>',
      'call <PHONE_NUMBER>, after 5',
      '12.5',
      '<PERSON>',
      'Lisbon',
    ]);
    expect(rows[3]).toEqual(['3', '', 'nothing to see', '3.25', '<PERSON>', 'Braga']);
    for (const raw of RAW) expect(readFileSync(out, 'utf8')).not.toContain(raw);
  });

  it('encrypt with the key from STEWARD_PII_KEY or --key-file round-trips with decryptPii; the key is never printed', async () => {
    const key = randomBytes(32).toString('hex');
    const out = join(dir, 'encrypted.csv');
    const out2 = join(dir, 'encrypted2.csv');
    const keyFile = writeIn(dir, 'key.txt', Buffer.from(key, 'hex').toString('base64'));
    const [r, r2, noKey] = await Promise.all([
      stewardAsync(
        ['pii', 'redact', csv, '--out', out, '--operator', 'encrypt', '--columns', 'email', '--json'],
        {
          STEWARD_PII_KEY: key,
        },
      ),
      stewardAsync(['pii', 'redact', csv, '--out', out2, '--operator', 'encrypt', '--key-file', keyFile]),
      stewardAsync(['pii', 'redact', csv, '--out', join(dir, 'x.csv'), '--operator', 'encrypt'], {
        STEWARD_PII_KEY: '',
      }),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr + r2.stdout + r2.stderr).not.toContain(key);
    expect(JSON.parse(r.stdout).columns).toEqual([{ column: 'email', cells: 3, matches: 3 }]);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows.slice(1).map((row) => (row[1] === '' ? '' : decryptPii(row[1], key)))).toEqual([
      'jane.doe@example.com',
      'marcus@northwind.io',
      '',
      'li.chen@contoso.net',
    ]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(decryptPii(parseCsv(readFileSync(out2, 'utf8'))[2][1], key)).toBe('marcus@northwind.io');
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/--key-file FILE.*STEWARD_PII_KEY/);
  });

  it('hash with --salt is SHA-256(salt ‖ value): equal values give equal tokens', () => {
    const out = join(dir, 'hashed.csv');
    const r = steward([
      'pii',
      'redact',
      csv,
      '--out',
      out,
      '--operator',
      'hash',
      '--salt',
      'pepper',
      '--columns',
      'email',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(parseCsv(readFileSync(out, 'utf8'))[1][1]).toBe(hashPii('jane.doe@example.com', 'pepper'));
  });

  it('refuses to overwrite the input and writes nothing when a flag is wrong', async () => {
    const out = join(dir, 'never.csv');
    const [same, bad] = await Promise.all([
      stewardAsync(['pii', 'redact', csv, '--out', csv]),
      stewardAsync(['pii', 'redact', csv, '--out', out, '--columns', 'amount']),
    ]);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/must differ from the input/);
    expect(readFileSync(csv, 'utf8')).toBe(`${CSV}\n`);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/must name text columns/);
    expect(existsSync(out)).toBe(false);
  });
});
