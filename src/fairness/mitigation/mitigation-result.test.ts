import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../core/index.js';
import { countCells } from '../count-cells.js';
import { auditCounts } from '../fairness-audit.js';
import { mitigationFlags, mitigationSnapshot } from './mitigation-result.js';

describe('mitigation guard rails', () => {
  const before = { metrics: { accuracy: 0.84 }, selectionRates: { 'sex=Female': 0.08, 'sex=Male': 0.26 } };

  it('flags a group whose selection rate became 0 (calibrated equalized odds on Adult, mitigation.md)', () => {
    const mitigated = { metrics: { accuracy: 0.834 }, selectionRates: { 'sex=Female': 0, 'sex=Male': 0.26 } };
    const flags = mitigationFlags(before, mitigated);
    expect(flags.map((f) => f.code)).toEqual(['zero_selection_rate']);
    expect(flags[0].message).toMatch(/sex=Female/);
  });

  it('flags an accuracy loss above the bound (default 0.05) and not below it', () => {
    const mitigated = (accuracy: number) => ({
      metrics: { accuracy },
      selectionRates: before.selectionRates,
    });
    expect(mitigationFlags(before, mitigated(0.78)).map((f) => f.code)).toEqual(['accuracy_loss']);
    expect(mitigationFlags(before, mitigated(0.8))).toEqual([]);
    expect(mitigationFlags(before, mitigated(0.8), { maxAccuracyLoss: 0.01 })).toHaveLength(1);
    expect(() => mitigationFlags(before, mitigated(0.8), { maxAccuracyLoss: -1 })).toThrow(
      InvalidParameterError,
    );
  });

  it('takes metrics and per-group selection rates from an audit, under the audit names', () => {
    const counts = countCells({
      labels: [1, 0, 1, 0],
      predictions: [1, 0, 0, 0],
      protected: { sex: ['Male', 'Male', 'Female', 'Female'] },
    });
    const snap = mitigationSnapshot(auditCounts(counts, { privileged: { sex: 'Male' } }));
    expect(snap.metrics.accuracy).toBe(0.75);
    expect(snap.metrics.disparate_impact).toBe(0);
    expect(snap.selectionRates).toEqual({ 'sex=Female': 0, 'sex=Male': 0.5 });
  });
});
