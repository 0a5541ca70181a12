import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { checkPiiEntities, type PiiMatch, resolvePiiOverlaps, scanText } from './analyzer.js';

const only = (text: string, options = {}) => scanText(text, options).map((m) => [m.entity, m.text, m.score]);

// Expected scores are hand derivations from the documented rules: pattern score s; valid checksum
// → 1; context word in the 5 tokens before → max(min(s + 0.35, 1), 0.4). Tolerance 1e-12.
describe('scanText scores', () => {
  it('a validated number scores 1.0; a failed checksum is dropped', () => {
    expect(only('card 4111 1111 1111 1111')).toEqual([['CREDIT_CARD', '4111 1111 1111 1111', 1]]);
    expect(only('card 4111 1111 1111 1112', { minScore: 0 })).toEqual([]);
    expect(only('IBAN GB82WEST12345698765432')).toEqual([['IBAN_CODE', 'GB82WEST12345698765432', 1]]);
    expect(only('IBAN GB82WEST12345698765431', { minScore: 0 })).toEqual([]);
    expect(only('to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual([
      ['CRYPTO', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 1],
    ]);
  });
  it('a context word boosts an unvalidated match by 0.35; one outside the 5-token window does not', () => {
    const [bare] = scanText('reach me at (415) 555-0132');
    expect(bare.score).toBeCloseTo(0.4, 12);
    const [boosted] = scanText('my phone is (415) 555-0132');
    expect(boosted.score).toBeCloseTo(0.75, 12);
    const [far] = scanText('phone: see the list one two three four five (415) 555-0132');
    expect(far.score).toBeCloseTo(0.4, 12);
  });
  it('a very weak SSN pattern (0.05) needs a context word to pass the default minScore 0.4', () => {
    expect(only('employee 536221456')).toEqual([]);
    expect(only('employee 536221456', { minScore: 0 })).toEqual([['US_SSN', '536221456', 0.05]]);
    const [ssn] = scanText('ssn 536221456');
    expect(ssn.entity).toBe('US_SSN');
    expect(ssn.score).toBeCloseTo(0.4, 12); // max(0.05 + 0.35, 0.4)
    expect(only('SSN 123-45-6789', { minScore: 0 })).toEqual([]);
  });
  it('IPs are validated and a version number is not an IP', () => {
    expect(only('from 203.0.113.45')).toEqual([['IP_ADDRESS', '203.0.113.45', 0.6]]);
    expect(only('version 1.2.3.4 released')).toEqual([]);
    expect(only('from 999.1.1.1', { minScore: 0 })).toEqual([]);
    expect(only('gw 2001:db8::ff00:42:8329')).toEqual([['IP_ADDRESS', '2001:db8::ff00:42:8329', 0.6]]);
  });
  it('an email is one EMAIL_ADDRESS (its domain is not also a URL); a bare file name is not a URL', () => {
    expect(only('mail jane.doe@example.co.uk now')).toEqual([['EMAIL_ADDRESS', 'jane.doe@example.co.uk', 1]]);
    expect(only('see README.md and setup.py')).toEqual([]);
    expect(only('see https://example.org/a?b=1.')).toEqual([['URL', 'https://example.org/a?b=1', 0.6]]);
  });
  it('dates in several formats; mm/yy needs a context word', () => {
    expect(only('on 2023-04-05 and 12/03/2021')).toEqual([
      ['DATE_TIME', '2023-04-05', 0.6],
      ['DATE_TIME', '12/03/2021', 0.6],
    ]);
    expect(only('score 3/24')).toEqual([]);
    expect(scanText('birthday 3/24')[0].score).toBeCloseTo(0.45, 12);
  });
  it('person names after an honorific or a cue word, not after other words', () => {
    expect(only("Dr. Amelia O'Brien signed")).toEqual([['PERSON', "Amelia O'Brien", 0.85]]);
    expect(only('patient John Smith, 54')).toEqual([['PERSON', 'John Smith', 0.6]]);
    expect(only('Customer Service will call')).toEqual([]);
    expect(only('I met Sarah Jones')).toEqual([]);
    expect(only('Greetings from New York')).toEqual([]);
    expect(only('Reviewed by Lena Fischer.')).toEqual([['PERSON', 'Lena Fischer', 0.6]]);
    expect(only('member Since 2019')).toEqual([]);
  });
  it('entities filters the types; bad options are InvalidParameterErrors', () => {
    expect(only('jane@example.com 4111111111111111', { entities: ['CREDIT_CARD'] })).toEqual([
      ['CREDIT_CARD', '4111111111111111', 1],
    ]);
    expect(() => scanText('x', { minScore: 2 })).toThrow(InvalidParameterError);
    expect(() => checkPiiEntities(['EMAIL', 'URL'])).toThrow(/entity types among .*Got 'EMAIL'/);
  });
});

describe('resolvePiiOverlaps', () => {
  const m = (entity: PiiMatch['entity'], start: number, end: number, score: number): PiiMatch => ({
    entity,
    start,
    end,
    score,
    text: 'x'.repeat(end - start),
  });
  it('keeps the higher score, then the longer span, and non-overlapping matches', () => {
    const kept = resolvePiiOverlaps([
      m('URL', 0, 10, 0.5),
      m('EMAIL_ADDRESS', 0, 16, 0.5),
      m('PHONE_NUMBER', 5, 8, 0.9),
      m('DATE_TIME', 20, 25, 0.1),
    ]);
    expect(kept.map((k) => k.entity)).toEqual(['PHONE_NUMBER', 'DATE_TIME']);
    const tie = resolvePiiOverlaps([m('URL', 4, 10, 0.5), m('EMAIL_ADDRESS', 0, 16, 0.5)]);
    expect(tie.map((k) => k.entity)).toEqual(['EMAIL_ADDRESS']);
  });
});
