import { describe, expect, it } from 'vitest';
import { openDataset } from './open-dataset.js';
import { presetSpec } from './presets.js';

describe('bundled presets', () => {
  it('adult: train + test, ? as missing, 45222 complete rows (as documented in shared/datasets/SOURCES.md)', async () => {
    const ds = await openDataset(presetSpec('adult'));
    try {
      expect(ds.rows).toBe(45222);
      expect(ds.droppedRows).toBe(32561 + 16281 - 45222);
      const labels = await ds.labels();
      expect(labels.length).toBe(45222);
      // 11208 of the 45222 complete rows earn >50K (UCI Adult, train + test without missing values).
      expect(labels.reduce((a, b) => a + b, 0)).toBe(11208);
      expect(ds.featureColumns().numeric).toEqual([
        'age',
        'education-num',
        'capital-gain',
        'capital-loss',
        'hours-per-week',
      ]);
      const profile = await ds.profile();
      expect(profile.groups.filter((g) => g.attribute === 'sex').map((g) => g.group)).toEqual([
        'Male',
        'Female',
      ]);
    } finally {
      ds.close();
    }
  });

  it("compas: ProPublica's filter leaves 6172 rows; compas-raw keeps 7214", async () => {
    const filtered = await openDataset(presetSpec('compas'));
    const raw = await openDataset(presetSpec('compas-raw'));
    try {
      expect(filtered.rows).toBe(6172);
      expect(raw.rows).toBe(7214);
    } finally {
      filtered.close();
      raw.close();
    }
  });

  it('german: 1000 rows, derived sex and age_group', async () => {
    const ds = await openDataset(presetSpec('german'));
    try {
      expect(ds.rows).toBe(1000);
      const batch = await ds.read(['sex', 'age_group', 'age']);
      expect(new Set(batch.columns.sex as string[])).toEqual(new Set(['male', 'female']));
      const ages = batch.columns.age as Float64Array;
      const groups = batch.columns.age_group as string[];
      for (let i = 0; i < ages.length; i++) expect(groups[i]).toBe(ages[i] > 25 ? 'over_25' : '25_or_under');
    } finally {
      ds.close();
    }
  });
});
