import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../core/index.js';
import type { CellCounts, DisaggregatedCounts } from './group-counts.js';
import { representativeness, smallGroups } from './representativeness.js';
import { parseExpectedShares } from './representativeness-shares.js';

function cell(group: Record<string, string>, rows: number): CellCounts {
  return { group, rows, tp: rows, fp: 0, tn: 0, fn: 0 };
}

/** 1000 rows: sex × race, with a tiny intersection (Female, Other: 4 rows). */
const counts: DisaggregatedCounts = {
  protectedColumns: ['sex', 'race'],
  hasPredictions: true,
  cells: [
    cell({ sex: 'Female', race: 'Black' }, 96),
    cell({ sex: 'Female', race: 'Other' }, 4),
    cell({ sex: 'Female', race: 'White' }, 300),
    cell({ sex: 'Male', race: 'Black' }, 100),
    cell({ sex: 'Male', race: 'White' }, 500),
  ],
};

const CENSUS = 'sex,share\r\nFemale,0.5\r\n"Male",0.5\r\n';

describe('parseExpectedShares', () => {
  it('reads a header with the protected columns and share, quoted fields and CRLF', () => {
    const parsed = parseExpectedShares(
      '\uFEFFrace,sex,share\n"Black, African American",Female,0.25\nWhite,Female,0.75\n',
      'census.csv',
    );
    expect(parsed.columns).toEqual(['race', 'sex']);
    expect(parsed.shares[0]).toEqual({
      group: { race: 'Black, African American', sex: 'Female' },
      share: 0.25,
      row: 1,
    });
    expect(parseExpectedShares(CENSUS, 'c.csv').shares.map((s) => s.group.sex)).toEqual(['Female', 'Male']);
  });

  it.each([
    ['', /empty/],
    ['sex,weight\nFemale,1\n', /'share' column/],
    ['sex,share\nFemale,0.5,extra\nMale,0.5\n', /Expected 2 fields.*\(file 'f\.csv', row 1\)/],
    ['sex,share\nFemale,1.5\nMale,-0.5\n', /number in \[0, 1\]\. Got '1\.5'.*row 1, column 'share'/],
    ['sex,share\nFemale,abc\n', /Got 'abc'/],
    ['sex,share\nFemale,0.5\nFemale,0.5\n', /listed twice \(first on row 1\).*row 2/],
    ['sex,share\nFemale,0.5\nMale,0.4\n', /sum to 1.*Got 0\.9/],
  ])('rejects bad files with the file, row and column: %j', (text, message) => {
    expect(() => parseExpectedShares(text, 'f.csv')).toThrow(DataValidationError);
    expect(() => parseExpectedShares(text, 'f.csv')).toThrow(message);
  });

  it('accepts shares summing to 1 within 1e-6', () => {
    expect(() => parseExpectedShares('g,share\na,0.3333333\nb,0.6666666\n', 'f.csv')).not.toThrow();
  });
});

describe('representativeness', () => {
  it('compares observed shares of one column with the expected ones, with the chi-square test', () => {
    const result = representativeness(counts, parseExpectedShares(CENSUS, 'census.csv'));
    expect(result.totalRows).toBe(1000);
    const [female, male] = result.groups;
    expect(female).toMatchObject({ label: 'sex=Female', rows: 400, observedShare: 0.4, expectedRows: 500 });
    expect(female.ratio).toBeCloseTo(0.8, 15);
    expect(male.ratio).toBeCloseTo(1.2, 15);
    // Hand computation: X² = (400 − 500)²/500 + (600 − 500)²/500 = 40, df = 1;
    // P(χ²₁ >= 40) = 2.5396285894708634e-10 (scipy 1.17 chi2.sf(40, 1)); tolerance 1e-9 relative.
    expect(result.chiSquare.statistic).toBeCloseTo(40, 12);
    expect(result.chiSquare.degreesOfFreedom).toBe(1);
    expect(Math.abs(result.chiSquare.pValue / 2.5396285894708634e-10 - 1)).toBeLessThan(1e-9);
    // The (Female, Other) intersection has 4 rows: flagged as too small to judge.
    expect(result.smallIntersections.map((g) => g.label)).toEqual(['sex=Female, race=Other']);
    expect(result.warnings).toEqual([]);
  });

  it('compares intersections, counts unobserved expected groups as 0 and warns about small ones', () => {
    const expected = {
      columns: ['race', 'sex'],
      source: 'plain',
      shares: [
        { group: { race: 'Black', sex: 'Female' }, share: 0.1 },
        { group: { race: 'Other', sex: 'Female' }, share: 0.05 },
        { group: { race: 'White', sex: 'Female' }, share: 0.35 },
        { group: { race: 'Black', sex: 'Male' }, share: 0.1 },
        { group: { race: 'Other', sex: 'Male' }, share: 0.05 },
        { group: { race: 'White', sex: 'Male' }, share: 0.35 },
      ],
    };
    const result = representativeness(counts, expected, { minShare: 0.005 });
    const other = result.groups.filter((g) => g.group.race === 'Other');
    expect(other.map((g) => g.rows)).toEqual([4, 0]);
    expect(result.warnings).toContain(
      "Group 'race=Other, sex=Female' has only 4 rows (fewer than 30); its metrics are too noisy to judge.",
    );
    expect(result.warnings).toContain(
      "Group 'race=Other, sex=Male' has no rows although 5.0% of the reference population is in it.",
    );
    // Hand computation: Σ (O − E)²/E over E = 100, 50, 350, 100, 50, 350 and O = 96, 4, 300, 100, 0, 500.
    const want = 16 / 100 + 46 ** 2 / 50 + 50 ** 2 / 350 + 0 + 50 + 150 ** 2 / 350;
    expect(result.chiSquare.statistic).toBeCloseTo(want, 10);
    expect(result.chiSquare.degreesOfFreedom).toBe(5);
  });

  it('warns about groups under the minimum share and an infinite statistic for a zero share', () => {
    const result = representativeness(
      counts,
      parseExpectedShares('race,share\nBlack,0.3\nOther,0\nWhite,0.7\n', 'r.csv'),
      { minShare: 0.01, minRows: 3 },
    );
    expect(result.warnings).toContain(
      "Group 'race=Other' is only 0.4% of the rows (under 1.0%); expected 0.0%.",
    );
    expect(result.warnings.some((w) => w.includes('expected share of 0'))).toBe(true);
    expect(result.chiSquare).toMatchObject({
      statistic: Number.POSITIVE_INFINITY,
      degreesOfFreedom: 1,
      pValue: 0,
    });
    expect(result.groups[1].ratio).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects unknown columns and observed groups missing from the expected shares', () => {
    expect(() => representativeness(counts, parseExpectedShares('age,share\nold,1\n', 'a.csv'))).toThrow(
      /'age' is not a protected column of the audit \(sex, race\).*file 'a\.csv', row 0, column 'age'/,
    );
    expect(() =>
      representativeness(counts, parseExpectedShares('race,share\nBlack,0.5\nWhite,0.5\n', 'b.csv')),
    ).toThrow(
      /'race=Other' has 4 rows in the data but no expected share; add a row for it \(file 'b\.csv', column 'share'\)/,
    );
    expect(() => representativeness(counts, parseExpectedShares(CENSUS, 'c.csv'), { minShare: 2 })).toThrow(
      /'minShare'/,
    );
  });
});

describe('smallGroups', () => {
  it('flags cells under the row or share thresholds', () => {
    expect(smallGroups(counts).map((g) => g.rows)).toEqual([4]);
    expect(smallGroups(counts, { minRows: 0, minShare: 0.1 }).map((g) => g.rows)).toEqual([96, 4]);
  });
});
