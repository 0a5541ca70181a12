import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { piiHeaderEntity, scanColumns } from './scan-columns.js';

const columns = {
  note: [
    'call (415) 555-0132',
    'all good',
    null,
    'email jane@example.com',
    'nothing here',
    '',
    'fine',
    'ok',
    'no',
    'n/a',
    'yes',
  ],
  city: ['Lisbon', 'Porto', 'Braga', 'Faro', 'Evora', 'Lisbon', 'Porto', 'Braga', 'Faro', 'Evora', 'Aveiro'],
  full_name: [
    'Ana Lima',
    'Rui Costa',
    null,
    'Eva Sousa',
    'Ivo Reis',
    'Rita Melo',
    'Tó Silva',
    'Zé Pinto',
    'Lia Faria',
    'Bia Neto',
    'Gil Luz',
  ],
};

// Expected counts by hand from the cells above: note has 9 non-empty cells, 1 phone and 1 email.
describe('scanColumns', () => {
  const report = scanColumns(columns);
  it('counts cells per entity with their share of the non-empty cells', () => {
    const note = report.find((r) => r.column === 'note')!;
    expect(note.cells).toBe(9);
    expect(note.entities.PHONE_NUMBER).toEqual({ cells: 1, share: 1 / 9 });
    expect(note.entities.EMAIL_ADDRESS).toEqual({ cells: 1, share: 1 / 9 });
    expect(note.pii).toBe(true); // 1/9 ≥ 0.1
    expect(scanColumns(columns, { threshold: 0.2 }).find((r) => r.column === 'note')!.pii).toBe(false);
  });
  it('masks the samples: no raw PII value appears', () => {
    const note = report.find((r) => r.column === 'note')!;
    expect(note.samples).toEqual(['call **************', 'email ****************']);
    const names = report.find((r) => r.column === 'full_name')!;
    expect(names.samples.join(' ')).not.toMatch(/Ana|Rui|Eva/);
  });
  it('a name-like header makes the column PII; a column without PII is not', () => {
    const names = report.find((r) => r.column === 'full_name')!;
    expect(names.headerEntity).toBe('PERSON');
    expect(names.pii).toBe(true);
    expect(report.find((r) => r.column === 'city')!.pii).toBe(false);
    expect(piiHeaderEntity('E-Mail')).toBe('EMAIL_ADDRESS');
    expect(piiHeaderEntity('Date of Birth')).toBe('DATE_TIME');
    expect(piiHeaderEntity('product_name')).toBeUndefined();
  });
  it('rejects a threshold outside (0, 1]', () => {
    expect(() => scanColumns(columns, { threshold: 0 })).toThrow(InvalidParameterError);
  });
});

describe('scanColumns header verdict on categorical columns', () => {
  it('does not call a yes/none "telephone" column personal data, but does a column of real numbers', () => {
    const yesNo = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 'yes' : 'none'));
    const [flag] = scanColumns({ telephone: yesNo });
    expect(flag.pii).toBe(false);
    expect(flag.headerEntity).toBeUndefined();
    const small = scanColumns({ telephone: ['yes', 'none', 'yes'] });
    // Under 50 cells nothing can be concluded from repetition: the header still counts.
    expect(small[0].pii).toBe(true);
  });
});
