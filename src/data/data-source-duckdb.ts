import { DataValidationError } from '../core/index.js';
import {
  type DataSource,
  type DataSourceDialect,
  normaliseSqlValue,
  quoteQualified,
  type SourceColumn,
  type SourceColumns,
  type SourceParam,
  sqlTypeKind,
} from './data-source.js';
import { DataEngine, quoteIdent } from './engine.js';

/** The DuckDB dialect: identifiers up to 255 characters (`quoteIdent`), `VARCHAR` text, `TRY_CAST` for numbers. */
export const duckdbSourceDialect: DataSourceDialect = {
  name: 'duckdb',
  label: 'DuckDB',
  quoteIdent,
  quoteTable: (name) => quoteQualified(name, duckdbSourceDialect.quoteIdent),
  castText: (expr) => `CAST(${expr} AS VARCHAR)`,
  tryNumber: (expr) => `TRY_CAST(${expr} AS DOUBLE)`,
  placeholder: (index) => `$${index}`,
};

/**
 * A `DataSource` over a DuckDB `DataEngine`: a database file, memory, or an engine already holding a
 * dataset (`DuckDbSource.wrap(dataset.engine)`, which leaves closing the engine to its owner).
 */
export class DuckDbSource implements DataSource {
  /** The DuckDB dialect. */
  readonly dialect = duckdbSourceDialect;

  private constructor(
    /** The engine queries run on. */
    readonly engine: DataEngine,
    /** The database, as `duckdb:PATH` or `duckdb::memory:`. */
    readonly displayUrl: string,
    private readonly ownsEngine: boolean,
  ) {}

  /** Opens a database file, or an in-memory database for `:memory:` (the default). */
  static async open(path = ':memory:'): Promise<DuckDbSource> {
    return new DuckDbSource(await DataEngine.open(path), `duckdb:${path}`, true);
  }

  /** A source over an engine someone else owns; `close()` leaves the engine open. */
  static wrap(engine: DataEngine, displayUrl = 'duckdb::memory:'): DuckDbSource {
    return new DuckDbSource(engine, displayUrl, false);
  }

  /** Runs a statement with bound parameters and returns nothing. */
  async exec(sql: string, params?: readonly SourceParam[]): Promise<void> {
    await this.engine.exec(sql, params === undefined ? undefined : [...params]);
  }

  /** Runs a query and returns its rows, BIGINT and HUGEINT as numbers. */
  async rows(sql: string, params?: readonly SourceParam[]): Promise<Record<string, unknown>[]> {
    const rows = await this.engine.rows(sql, params === undefined ? undefined : [...params]);
    for (const row of rows) for (const key in row) row[key] = normaliseSqlValue(row[key]);
    return rows;
  }

  /** Runs a query and returns its columns, BIGINT and HUGEINT as numbers. */
  async columns(sql: string, params?: readonly SourceParam[]): Promise<SourceColumns> {
    const result = await this.engine.columns(sql, params === undefined ? undefined : [...params]);
    for (const column of result.values) {
      for (let i = 0; i < column.length; i++) column[i] = normaliseSqlValue(column[i]);
    }
    return result;
  }

  /** The columns of a table or view (`DESCRIBE`). */
  async describe(table: string): Promise<SourceColumn[]> {
    const quoted = this.dialect.quoteTable(table);
    let rows: Record<string, unknown>[];
    try {
      rows = await this.engine.rows(`DESCRIBE ${quoted}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!/Catalog Error|does not exist/i.test(message)) throw error;
      throw new DataValidationError(
        `Table '${table}' does not exist in ${this.displayUrl}. Check the table name (and its schema).`,
        { file: table },
        { cause: error },
      );
    }
    return rows.map((r) => {
      const type = String(r.column_type);
      return { name: String(r.column_name), type, kind: sqlTypeKind(type) };
    });
  }

  /** Closes the engine when this source opened it. */
  async close(): Promise<void> {
    if (this.ownsEngine) this.engine.close();
  }
}
