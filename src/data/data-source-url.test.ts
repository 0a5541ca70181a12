import { describe, expect, test } from 'vitest';
import { InvalidParameterError } from '../core/index.js';
import { maskSourceUrl, parseDataSourceUrl } from './data-source-url.js';

describe('maskSourceUrl', () => {
  test('masks the password in the user part and in a password= parameter', () => {
    expect(maskSourceUrl('postgres://ann:s3cret@db.example:5432/sales')).toBe(
      'postgres://ann:***@db.example:5432/sales',
    );
    expect(maskSourceUrl('postgresql://ann@db/sales?password=s3cret&sslmode=require')).toBe(
      'postgresql://ann@db/sales?password=***&sslmode=require',
    );
    expect(maskSourceUrl('postgres://ann@db/sales')).toBe('postgres://ann@db/sales');
    expect(maskSourceUrl('duckdb:/data/x.db')).toBe('duckdb:/data/x.db');
  });

  test('masks passwords in URLs that do not parse', () => {
    const masked = maskSourceUrl('postgres://ann:pa/ss@w@rd@db:notaport/sales');
    expect(masked).not.toMatch(/pa\/ss|rd@db/);
    expect(masked).toContain('ann:***@');
  });
});

describe('parseDataSourceUrl', () => {
  test('reads DuckDB and PostgreSQL URLs', () => {
    expect(parseDataSourceUrl('duckdb:data/x.db')).toEqual({ engine: 'duckdb', path: 'data/x.db' });
    expect(parseDataSourceUrl('duckdb::memory:')).toEqual({ engine: 'duckdb', path: ':memory:' });
    expect(parseDataSourceUrl('duckdb:')).toEqual({ engine: 'duckdb', path: ':memory:' });
    expect(parseDataSourceUrl('postgres://a@h/db')).toEqual({ engine: 'postgres', url: 'postgres://a@h/db' });
    expect(parseDataSourceUrl('postgresql://a@h/db').engine).toBe('postgres');
  });

  test('refuses other engines and malformed URLs without showing the password', () => {
    expect(() => parseDataSourceUrl('mysql://ann:s3cret@h/db')).toThrow(InvalidParameterError);
    expect(() => parseDataSourceUrl('mysql://ann:s3cret@h/db')).toThrow(
      /mysql:\/\/ann:\*\*\*@h\/db.*duckdb:PATH/,
    );
    expect(() => parseDataSourceUrl('postgres://ann:s3cret@h:port/db')).toThrow(/ann:\*\*\*@/);
    for (const bad of ['', 'data.csv', 'postgres://ann:s3cret@h:port/db']) {
      try {
        parseDataSourceUrl(bad);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidParameterError);
        expect((error as Error).message).not.toContain('s3cret');
      }
    }
  });
});
