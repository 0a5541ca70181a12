import { describe, expect, it } from 'vitest';
import { integrate } from './quadrature.js';

// Expected values: closed forms (∫_0^π sin = 2; ∫_{-1}^{1} dx/(c + x²) = (2/√c)·atan(1/√c) with c = 1e-4;
// ∫_0^1 |x − 0.3| = (0.3² + 0.7²)/2). Tolerance 1e-13 absolute (1e-9 for the peak of height 1e4).
describe('integrate (adaptive Gauss–Kronrod 21)', () => {
  it('integrates smooth, peaked and kinked functions to 1e-13', () => {
    expect(Math.abs(integrate(Math.sin, 0, Math.PI) - 2)).toBeLessThan(1e-13);
    expect(Math.abs(integrate((x) => 1 / (1e-4 + x * x), -1, 1) - 2e2 * Math.atan(1e2))).toBeLessThan(1e-9);
    expect(Math.abs(integrate((x) => Math.abs(x - 0.3), 0, 1) - (0.3 ** 2 + 0.7 ** 2) / 2)).toBeLessThan(
      1e-13,
    );
  });
});
