import { type DatasetProfile, openDataset } from '../data/index.js';
import { datasetSpecOf, type RunConfig } from './config.js';

/** Opens a dataset and profiles it (columns, kinds, missing values, label balance by group). */
export async function inspectJob(
  config: Pick<RunConfig, 'dataset' | 'protectedAttributes' | 'missing'>,
): Promise<DatasetProfile> {
  const ds = await openDataset(datasetSpecOf(config));
  try {
    return await ds.profile();
  } finally {
    ds.close();
  }
}
