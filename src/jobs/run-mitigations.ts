import { InvalidParameterError } from '../core/index.js';
import type { RunConfig } from './config.js';
import { EVALUATION_DATASETS, evaluateMitigations, type MitigationTable } from './mitigate-job.js';

/**
 * Fails fast (before training) when the configuration has a `mitigation` list but its dataset has no
 * mitigation protocol: the protocol of `evaluateMitigations` exists for the presets in
 * `EVALUATION_DATASETS` ('adult', 'compas') only, not for other presets or file datasets.
 */
export function checkMitigationSetting(config: Pick<RunConfig, 'dataset' | 'mitigation'>): void {
  if (config.mitigation === undefined) return;
  const dataset = config.dataset;
  if (typeof dataset !== 'string' || !(EVALUATION_DATASETS as readonly string[]).includes(dataset)) {
    const name =
      typeof dataset === 'string' ? `the preset '${dataset}'` : `a file dataset (${dataset.name ?? 'data'})`;
    throw new InvalidParameterError(
      `The 'mitigation' setting runs on the mitigation protocol, which exists for the bundled datasets ${EVALUATION_DATASETS.map((d) => `'${d}'`).join(' and ')} only; this run's dataset is ${name}. Remove 'mitigation' or use one of those datasets.`,
    );
  }
}

/**
 * The mitigations of a run's `mitigation` list, evaluated with `evaluateMitigations` on the dataset's
 * protocol (its own 70/30 split and LogisticRegression baseline, seeded by the run's seed; its
 * protected column is the protocol's: sex on adult, race on compas), or undefined without a list.
 */
export async function runMitigations(
  config: Pick<RunConfig, 'dataset' | 'mitigation' | 'seed'>,
): Promise<MitigationTable | undefined> {
  checkMitigationSetting(config);
  const mitigation = config.mitigation;
  if (mitigation === undefined) return undefined;
  return evaluateMitigations({
    dataset: config.dataset as string,
    methods: mitigation.methods,
    seed: config.seed,
    maxAccuracyLoss: mitigation.maxAccuracyLoss,
  });
}
