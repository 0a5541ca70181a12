import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidParameterError } from '../core/index.js';
import type { DatasetSpec } from './dataset-spec.js';

/** Names of the bundled dataset presets. */
export const PRESET_NAMES = ['adult', 'compas', 'compas-raw', 'german'] as const;

/** A bundled dataset preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** The folder holding the bundled datasets (`datasets/` at the package root). */
export function datasetsDir(): string {
  // Works from src/data (tests) and dist/data (built package): both are two levels below the root.
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(here, '..', '..', 'datasets');
  return existsSync(dir) ? dir : resolve(process.cwd(), 'datasets');
}

const COMPAS_FEATURES = [
  'sex',
  'age',
  'age_cat',
  'race',
  'juv_fel_count',
  'juv_misd_count',
  'juv_other_count',
  'priors_count',
  'c_charge_degree',
];

/** The dataset spec of a bundled preset (see datasets/SOURCES.md for provenance). */
export function presetSpec(name: string): DatasetSpec {
  const dir = datasetsDir();
  switch (name) {
    case 'adult':
      return {
        name: 'adult',
        path: [join(dir, 'adult.data'), join(dir, 'adult.test')],
        format: 'csv',
        label: 'income',
        positiveLabel: '>50K',
        protectedAttributes: ['sex', 'race'],
        naValues: ['?'],
        derive: { income: `rtrim(trim("Y"), '.')` },
        ignore: ['Y', 'fnlwgt'],
        source: 'UCI Adult (Kohavi & Becker 1996), train + test',
      };
    case 'compas':
    case 'compas-raw':
      return {
        name,
        path: join(dir, 'compas-scores-two-years.csv'),
        format: 'csv',
        label: 'two_year_recid',
        positiveLabel: '0',
        protectedAttributes: ['race', 'sex'],
        features: COMPAS_FEATURES,
        columnTypes: { two_year_recid: 'categorical' },
        where:
          name === 'compas'
            ? `days_b_screening_arrest <= 30 AND days_b_screening_arrest >= -30 AND is_recid <> -1 AND c_charge_degree <> 'O' AND score_text <> 'N/A'`
            : undefined,
        source: 'ProPublica COMPAS analysis (Larson et al. 2016)',
      };
    case 'german':
      return {
        name: 'german',
        path: join(dir, 'german-credit.csv'),
        format: 'csv',
        label: 'credit',
        positiveLabel: '1',
        protectedAttributes: ['sex', 'age_group'],
        derive: {
          sex: `CASE WHEN personal_status IN ('A92', 'A95') THEN 'female' ELSE 'male' END`,
          age_group: `CASE WHEN age > 25 THEN 'over_25' ELSE '25_or_under' END`,
        },
        ignore: ['personal_status'],
        columnTypes: { credit: 'categorical' },
        source: 'UCI Statlog German Credit (Hofmann 1994)',
      };
    default:
      throw new InvalidParameterError(
        `The 'dataset' option must be one of ${PRESET_NAMES.join(', ')}. Got '${name}' instead.`,
      );
  }
}
