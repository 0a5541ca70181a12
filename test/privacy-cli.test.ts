import { describe, expect, it } from 'vitest';
import type { EpsilonCase, InverseCase } from '../src/privacy/accountant/reference-cases.test-suite.js';
import { privacyReference } from '../src/privacy/accountant/reference-cases.test-suite.js';
import { steward, tempDir, writeIn } from './cli-helpers.js';

// Expected values: ../shared/reference/privacy/rdp.json (Opacus 1.5.4 @4d0ebc84; see that folder's README.md).
// Tolerances: ε 1e-9 relative with α exact; the noise multiplier exactly (a dyadic fraction of 20).
const ref = privacyReference();
const mnist = ref.find((c) => c.id === 'mnist_abadi_tf_tutorial') as EpsilonCase;
const zero = ref.find((c) => c.id === 'zero_noise') as EpsilonCase;
const inverse = ref.find((c) => c.id === 'opacus_test_get_noise_multiplier_rdp_epochs') as InverseCase;

const epsilonArgs = (c: EpsilonCase) => [
  'privacy',
  'epsilon',
  '--noise-multiplier',
  String(c.noise_multiplier),
  '--sample-rate',
  String(c.sample_rate),
  '--steps',
  String(c.steps),
  '--delta',
  String(c.delta),
];

describe('steward privacy', () => {
  it('epsilon --json prints {"epsilon", "alpha"} matching Opacus (MNIST tutorial case)', () => {
    const r = steward([...epsilonArgs(mnist), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['epsilon', 'alpha']);
    expect(Math.abs(out.epsilon - (mnist.epsilon as number)) / (mnist.epsilon as number)).toBeLessThanOrEqual(
      1e-9,
    );
    expect(out.alpha).toBe(mnist.best_alpha);
  });

  it('epsilon --json writes ε = ∞ (σ = 0) as the string "Infinity", keeping the keys', () => {
    const r = steward([...epsilonArgs(zero), '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ epsilon: 'Infinity', alpha: zero.best_alpha });
  });

  it('epsilon without --json prints one human line', () => {
    const r = steward(epsilonArgs(mnist));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ε = 2\.597 at δ = 0\.00001 \(best RDP order α = 8\.1\)/);
  });

  it('noise --json prints {"noise_multiplier"} equal to Opacus get_noise_multiplier', () => {
    const r = steward([
      'privacy',
      'noise',
      '--epsilon',
      String(inverse.target_epsilon),
      '--delta',
      String(inverse.delta),
      '--sample-rate',
      String(inverse.sample_rate),
      '--steps',
      String(inverse.steps),
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ noise_multiplier: inverse.noise_multiplier });
  });

  it('bad flags exit with code 2 and a message naming the flag and its range', () => {
    const bad = steward([
      'privacy',
      'epsilon',
      '--noise-multiplier',
      '1',
      '--sample-rate',
      '1.5',
      '--steps',
      '10',
      '--delta',
      '1e-5',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      "The '--sample-rate' option of 'steward privacy epsilon' must be a number in (0, 1]. Got '1.5' instead.",
    );
    const missing = steward([
      'privacy',
      'noise',
      '--epsilon',
      '1',
      '--sample-rate',
      '0.01',
      '--steps',
      '10',
      '--json',
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/'--delta'.*in \(0, 1\). Got nothing instead/);
    const eps = steward([
      'privacy',
      'noise',
      '--epsilon',
      '-1',
      '--delta',
      '1e-5',
      '--sample-rate',
      '0.01',
      '--steps',
      '10',
    ]);
    expect(eps.status).toBe(2);
    expect(eps.stderr).toMatch(/'--epsilon'.*> 0. Got '-1'/);
    const unknown = steward(['privacy', 'epsilon', '--sigma', '1']);
    expect(unknown.status).toBe(2);
  });

  it('ledger shows budget, spent and remaining, and names a broken file', () => {
    const dir = tempDir();
    const file = writeIn(
      dir,
      'adult.ledger.json',
      JSON.stringify({
        format: 'steward-privacy-ledger',
        version: 1,
        dataset: 'adult',
        composition: 'basic',
        budget: { epsilon: 3, delta: 1e-5 },
        entries: [
          {
            time: '2026-01-01T00:00:00Z',
            kind: 'query',
            description: 'DP count',
            epsilon: 0.5,
            delta: 0,
            mechanism: 'laplace',
          },
          {
            time: '2026-01-02T00:00:00Z',
            kind: 'training',
            description: 'DP-SGD',
            epsilon: 1.5,
            delta: 1e-6,
            mechanism: 'dp-sgd',
          },
        ],
      }),
    );
    const json = steward(['privacy', 'ledger', '--file', file, '--json']);
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.spent).toEqual({ epsilon: 2, delta: 1e-6 });
    expect(out.remaining).toEqual({ epsilon: 1, delta: 1e-5 - 1e-6 });
    expect(out.entries).toHaveLength(2);
    const text = steward(['privacy', 'ledger', '--file', file]);
    expect(text.stdout).toContain('remaining: ε = 1, δ = 0.000009');
    const broken = writeIn(dir, 'broken.json', '{"format": "steward-privacy-ledger"');
    const r = steward(['privacy', 'ledger', '--file', broken]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('broken.json');
  });
});
