import { describe, expect, it } from 'vitest';
import { steward } from './cli-helpers.js';

describe('steward serve batching flags', () => {
  it('refuses invalid --max-batch, --max-delay-us, --max-queue and --timeout-ms with exit 2', () => {
    // Flags are checked before the model is read, so no model file is needed.
    const cases: [string, string, RegExp][] = [
      ['--max-batch', '0', /'--max-batch' flag must be an integer >= 1\. Got '0'/],
      ['--max-delay-us', '-1', /'--max-delay-us' flag must be an integer >= 0\. Got '-1'/],
      ['--max-queue', '2.5', /'--max-queue' flag must be an integer >= 1\. Got '2.5'/],
      ['--timeout-ms', 'soon', /'--timeout-ms' flag must be an integer >= 1\. Got 'soon'/],
    ];
    for (const [flag, value, message] of cases) {
      const r = steward(['serve', '--model', 'missing.onnx', '--insecure-dev', flag, value]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
