import { describe, expect, it } from 'vitest';
import { DataValidationError, type Matrix, matrix, Rng } from '../../core/index.js';
import { LogisticRegression, MLPClassifier } from '../../models/index.js';
import { exampleLogLosses, trueLabelLogits } from './example-confidence.js';
import { lossThresholdAttack } from './loss-threshold-attack.js';

/** Seeded rows: 8 standard-normal features; y = 1[x₀ + noise > 0] with heavy noise, or a fair coin when `random`. */
function rows(n: number, seed: number, random = false): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const X = matrix(n, 8);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 8; j++) X.data[i * 8 + j] = rng.normal();
    y[i] = random ? (rng.next() < 0.5 ? 1 : 0) : X.data[i * 8] + 1.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { X, y };
}

describe('per-example confidences', () => {
  it('computes −log p(y) and φ = log(p(y)/(1 − p(y))) by hand (1e-15), finite at p = 0 and 1', () => {
    const proba = Float64Array.from([0.8, 0.8, 1, 0]);
    const y = Uint8Array.from([1, 0, 0, 0]);
    const loss = exampleLogLosses(proba, y);
    expect(Math.abs(loss[0] + Math.log(0.8))).toBeLessThan(1e-15);
    expect(Math.abs(loss[1] + Math.log(0.2))).toBeLessThan(1e-15);
    expect(loss[2]).toBeCloseTo(-Math.log(1e-16), 12);
    expect(loss[3]).toBe(0);
    const phi = trueLabelLogits(proba, y);
    expect(Math.abs(phi[0] - Math.log(4))).toBeLessThan(1e-15);
    expect(Math.abs(phi[1] + Math.log(4))).toBeLessThan(1e-15);
    expect(Number.isFinite(phi[2]) && Number.isFinite(phi[3])).toBe(true);
  });
});

describe('lossThresholdAttack', () => {
  it('finds the members of an overfitting MLP (small data, no early stopping): AUC > 0.65', async () => {
    const train = rows(150, 1);
    const held = rows(150, 2);
    const model = await new MLPClassifier({
      hiddenLayerSizes: [64],
      maxEpochs: 300,
      earlyStopping: false,
      nIterNoChange: 1000,
      alpha: 0,
      learningRate: 0.01,
      batchSize: 50,
      seed: 3,
    }).fit(train.X, train.y);
    const { audit, scores, isMember } = await lossThresholdAttack({
      model,
      members: train,
      nonMembers: held,
    });
    expect(audit.attack).toBe('loss-threshold');
    expect(audit.members).toBe(150);
    expect(audit.nonMembers).toBe(150);
    expect(audit.auc).toBeGreaterThan(0.65);
    expect(audit.advantage).toBeGreaterThan(0.2);
    expect(audit.yeom?.advantage).toBeGreaterThan(0);
    expect(audit.yeom?.advantage).toBeLessThanOrEqual(audit.advantage);
    expect(scores.length).toBe(300);
    expect(isMember[0]).toBe(1);
    expect(isMember[299]).toBe(0);
    expect(audit.warnings.some((w) => w.includes('0.1% FPR'))).toBe(true);
    expect(JSON.parse(JSON.stringify(audit))).toEqual(audit);
  });

  it('finds nothing when the model cannot depend on the rows (random labels, C = 1e-4): |AUC − 0.5| < 0.05', async () => {
    // With 1,000 + 1,000 examples the AUC's standard error under no signal is
    // √((n₁ + n₀ + 1) / (12 n₁ n₀)) ≈ 0.013 (Hanley & McNeil 1982), so 0.05 is about 4 standard errors.
    const train = rows(1000, 4, true);
    const held = rows(1000, 5, true);
    const model = await new LogisticRegression({ C: 1e-4 }).fit(train.X, train.y);
    const { audit } = await lossThresholdAttack({ model, members: train, nonMembers: held });
    expect(Math.abs(audit.auc - 0.5)).toBeLessThan(0.05);
    expect(audit.epsilonLowerBound).toBeLessThan(0.2);
  });

  it('rejects rows whose labels do not match', async () => {
    const train = rows(10, 1);
    const model = await new LogisticRegression().fit(train.X, train.y);
    await expect(
      lossThresholdAttack({ model, members: train, nonMembers: { X: train.X, y: new Uint8Array(3) } }),
    ).rejects.toThrow(DataValidationError);
  });
});
