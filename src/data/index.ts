/** steward/data: datasets on DuckDB, schema inference, protected attributes, splits and encoders. */
export * from './columns.js';
export * from './data-source.js';
export * from './data-source-duckdb.js';
export * from './data-source-open.js';
export * from './data-source-url.js';
export * from './dataset.js';
export * from './dataset-spec.js';
export * from './encoder-spec.js';
export * from './encoders.js';
export * from './engine.js';
export * from './open-dataset.js';
export * from './postgres-dialect.js';
export * from './postgres-source.js';
export * from './presets.js';
export * from './profile.js';
export * from './read-file.js';
export * from './sql.js';
