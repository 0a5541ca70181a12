import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../core/index.js';
import { parseRunConfig } from './config.js';
import { checkMitigationSetting, runMitigations } from './run-mitigations.js';

describe("the 'mitigation' setting of steward.config.json", () => {
  it('is absent by default; a list fills in maxAccuracyLoss 0.05', async () => {
    expect(parseRunConfig({}).mitigation).toBeUndefined();
    expect(await runMitigations(parseRunConfig({ dataset: 'german' }))).toBeUndefined();
    const config = parseRunConfig({ mitigation: { methods: ['reweighing', 'threshold-optimizer-dp'] } });
    expect(config.mitigation).toEqual({
      methods: ['reweighing', 'threshold-optimizer-dp'],
      maxAccuracyLoss: 0.05,
    });
    expect(() => checkMitigationSetting(config)).not.toThrow();
  });

  it('an unknown method is a config error listing the methods', () => {
    const parse = () => parseRunConfig({ mitigation: { methods: ['reweighing', 'magic'] } }, "'x.json'");
    expect(parse).toThrow(InvalidParameterError);
    expect(parse).toThrow(
      /'mitigation.methods.1' setting in 'x.json' is invalid: unknown mitigation method 'magic'; the available methods are: reweighing, resampling, disparate-impact-remover/,
    );
  });

  it('rejects an empty list, a repeated method, a negative bound and unknown keys', () => {
    for (const mitigation of [
      { methods: [] },
      { methods: ['reweighing', 'reweighing'] },
      { methods: ['reweighing'], maxAccuracyLoss: -0.1 },
      { methods: ['reweighing'], bound: 1 },
    ]) {
      expect(() => parseRunConfig({ mitigation })).toThrow(/'mitigation(\.\w+)?' setting/);
    }
  });

  it('needs a dataset with a mitigation protocol (adult, compas)', async () => {
    const mitigation = { methods: ['reweighing'] };
    expect(() => checkMitigationSetting(parseRunConfig({ dataset: 'compas', mitigation }))).not.toThrow();
    const german = parseRunConfig({ dataset: 'german', mitigation });
    expect(() => checkMitigationSetting(german)).toThrow(
      /exists for the bundled datasets 'adult' and 'compas' only; this run's dataset is the preset 'german'/,
    );
    await expect(runMitigations(german)).rejects.toThrow(InvalidParameterError);
    const file = parseRunConfig({
      dataset: { path: 'x.csv', label: 'y', positiveLabel: 1, protectedAttributes: ['g'] },
      mitigation,
    });
    expect(() => checkMitigationSetting(file)).toThrow(/this run's dataset is a file dataset \(data\)/);
  });
});
