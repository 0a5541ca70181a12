// Loader for bench/train.js: the real Adult design matrix (train split, seed 0) built by the same
// code as `steward run`: DuckDB → stratified split → fitted encoder.
import { applyEncoder, fitEncoder, openDataset, presetSpec } from '../dist/data/index.js';

/** Resolves to { X, y, source } for the training rows of the Adult preset. */
export async function loadDesign() {
  const ds = await openDataset(presetSpec('adult'));
  try {
    await ds.split({ testFraction: 0.25, seed: 0 });
    const { numeric, categorical } = ds.featureColumns();
    const batch = await ds.read([...numeric, ...categorical], 'train');
    const encoder = fitEncoder(batch, { numeric, categorical });
    return {
      X: applyEncoder(encoder, batch),
      y: await ds.labels('train'),
      source: 'adult train split (seed 0)',
    };
  } finally {
    ds.close();
  }
}
export default loadDesign;
