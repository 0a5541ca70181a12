import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, DataValidationError, InvalidParameterError } from '../../core/index.js';
import { composeBasic, PrivacyLedger } from './privacy-ledger.js';

const fresh = async () => join(await mkdtemp(join(tmpdir(), 'steward-ledger-')), 'adult.privacy.json');
const query = { kind: 'query', description: 'DP count by sex', mechanism: 'laplace', epsilon: 0.5, delta: 0 };

describe('PrivacyLedger', () => {
  it('creates, charges, persists and reloads (basic composition: sums of ε and δ, hand derivation)', async () => {
    const file = await fresh();
    const ledger = await PrivacyLedger.create({
      file,
      dataset: 'adult',
      budget: { epsilon: 3, delta: 1e-5 },
    });
    await ledger.charge({ ...query, time: '2026-01-01T00:00:00.000Z' });
    await ledger.charge({
      kind: 'training',
      description: 'DP-SGD',
      mechanism: 'dp-sgd',
      epsilon: 2,
      delta: 1e-6,
    });
    expect(ledger.spent()).toEqual({ epsilon: 2.5, delta: 1e-6 });
    expect(ledger.remaining()).toEqual({ epsilon: 0.5, delta: 1e-5 - 1e-6 });
    const again = await PrivacyLedger.open(file);
    expect(again.summary()).toEqual(ledger.summary());
    expect(again.summary()).toMatchObject({ dataset: 'adult', composition: 'basic', file });
    expect(again.history[0].time).toBe('2026-01-01T00:00:00.000Z');
    expect(JSON.parse(JSON.stringify(again.summary()))).toEqual(again.summary());
  });

  it('refuses a charge that would exceed ε or δ, writing nothing', async () => {
    const file = await fresh();
    const ledger = await PrivacyLedger.create({
      file,
      dataset: 'adult',
      budget: { epsilon: 1, delta: 1e-5 },
    });
    await ledger.charge(query);
    const before = await readFile(file, 'utf8');
    await expect(ledger.charge({ ...query, epsilon: 0.6 })).rejects.toThrow(BudgetExceededError);
    await expect(ledger.charge({ ...query, epsilon: 0.1, delta: 2e-5 })).rejects.toThrow(
      /cannot pay for 'DP count by sex'.*only ε=0.5, δ=0.00001 remains/,
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(ledger.history).toHaveLength(1);
    await ledger.charge({ ...query, epsilon: 0.5 }); // exactly the rest is allowed
    expect(ledger.remaining().epsilon).toBe(0);
  });

  it('absorbs float rounding: ten charges of 0.1 fit a budget of 1', async () => {
    const ledger = await PrivacyLedger.create({
      file: await fresh(),
      dataset: 'd',
      budget: { epsilon: 1, delta: 0 },
    });
    for (let i = 0; i < 10; i++) await ledger.charge({ ...query, epsilon: 0.1 });
    expect(ledger.history).toHaveLength(10);
    await expect(ledger.charge({ ...query, epsilon: 1e-6 })).rejects.toThrow(BudgetExceededError);
  });

  it('sees charges written by another handle before it charges', async () => {
    const file = await fresh();
    const a = await PrivacyLedger.create({ file, dataset: 'adult', budget: { epsilon: 1, delta: 0 } });
    const b = await PrivacyLedger.open(file);
    await a.charge({ ...query, epsilon: 0.7 });
    await expect(b.charge({ ...query, epsilon: 0.7 })).rejects.toThrow(BudgetExceededError);
    expect(b.spent().epsilon).toBe(0.7);
  });

  it('openOrCreate opens an existing ledger only with the same dataset and budget', async () => {
    const file = await fresh();
    const opts = { file, dataset: 'adult', budget: { epsilon: 1, delta: 0 } };
    await (await PrivacyLedger.openOrCreate(opts)).charge(query);
    expect((await PrivacyLedger.openOrCreate(opts)).spent().epsilon).toBe(0.5);
    await expect(PrivacyLedger.openOrCreate({ ...opts, budget: { epsilon: 5, delta: 0 } })).rejects.toThrow(
      /never changed silently/,
    );
    await expect(PrivacyLedger.create(opts)).rejects.toThrow(/already exists/);
  });

  it('validates budgets and charges with InvalidParameterError', async () => {
    const file = await fresh();
    await expect(
      PrivacyLedger.create({ file, dataset: 'd', budget: { epsilon: 0, delta: 0 } }),
    ).rejects.toThrow(
      "The 'budget.epsilon' option of PrivacyLedger.create must be a finite number > 0. Got 0 instead.",
    );
    await expect(
      PrivacyLedger.create({ file, dataset: 'd', budget: { epsilon: 1, delta: 1 } }),
    ).rejects.toThrow(/'budget.delta'.*\[0, 1\)/);
    const ledger = await PrivacyLedger.create({ file, dataset: 'd', budget: { epsilon: 1, delta: 0 } });
    await expect(ledger.charge({ ...query, epsilon: -1 })).rejects.toThrow(InvalidParameterError);
    await expect(ledger.charge({ ...query, epsilon: Number.NaN })).rejects.toThrow(/'epsilon'.*Got NaN/);
    await expect(ledger.charge({ ...query, kind: '' })).rejects.toThrow(/'kind'/);
    await expect(ledger.charge({ ...query, time: 'yesterday' })).rejects.toThrow(/'time'/);
  });

  it('names the file and the field when the file is broken', async () => {
    const file = await fresh();
    await expect(PrivacyLedger.open(file)).rejects.toThrow(DataValidationError);
    writeFileSync(file, '{not json');
    await expect(PrivacyLedger.open(file)).rejects.toThrow(/not valid JSON.*\(file '.*adult.privacy.json'\)/);
    await (async () => {
      writeFileSync(file, '');
      const ok = await PrivacyLedger.create({
        file: `${file}.2`,
        dataset: 'd',
        budget: { epsilon: 1, delta: 0 },
      });
      await ok.charge(query);
      const doc = JSON.parse(readFileSync(`${file}.2`, 'utf8'));
      doc.entries[0].epsilon = 'x';
      writeFileSync(file, JSON.stringify(doc));
    })();
    await expect(PrivacyLedger.open(file)).rejects.toThrow(
      /'entries\[0\].epsilon'.*\(file '.*adult.privacy.json'\)/,
    );
  });

  it('composeBasic sums ε and δ', () => {
    expect(
      composeBasic([
        { epsilon: 1, delta: 1e-6 },
        { epsilon: 0.5, delta: 2e-6 },
      ]),
    ).toEqual({
      epsilon: 1.5,
      delta: 3e-6,
    });
  });
});
