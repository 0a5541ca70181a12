import { describe, expect, it } from 'vitest';
import { fft, ifft, irfft, rfft } from './fft.js';

// Expected values: a brute-force O(N²) DFT, X_k = Σ_n x_n exp(−2πi kn/N), computed here; tolerance 1e-12
// absolute on inputs of magnitude ≤ 1 (rounding of N-term sums).
function dft(re: number[], im: number[]): [number[], number[]] {
  const n = re.length;
  const xr: number[] = [];
  const xi: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((k * j) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    xr.push(sr);
    xi.push(si);
  }
  return [xr, xi];
}

const signal = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(seed * i + 0.3 * i * i));

describe('fft', () => {
  for (const n of [1, 2, 8, 12, 30, 97, 128, 250]) {
    it(`matches the brute-force DFT for N = ${n} and inverts it`, () => {
      const re0 = signal(n, 1.7);
      const im0 = signal(n, 0.4);
      const [xr, xi] = dft(re0, im0);
      const re = Float64Array.from(re0);
      const im = Float64Array.from(im0);
      fft(re, im);
      for (let k = 0; k < n; k++) {
        expect(Math.abs(re[k] - xr[k])).toBeLessThan(1e-12);
        expect(Math.abs(im[k] - xi[k])).toBeLessThan(1e-12);
      }
      ifft(re, im);
      for (let k = 0; k < n; k++)
        expect(Math.abs(re[k] - re0[k]) + Math.abs(im[k] - im0[k])).toBeLessThan(1e-13);
    });
  }

  for (const n of [2, 6, 16, 50, 126]) {
    it(`rfft gives X_0 … X_{N/2} of a real signal and irfft inverts it (N = ${n})`, () => {
      const x = signal(n, 2.3);
      const [xr, xi] = dft(x, new Array(n).fill(0));
      const { re, im } = rfft(Float64Array.from(x));
      expect(re).toHaveLength(n / 2 + 1);
      for (let k = 0; k <= n / 2; k++) {
        expect(Math.abs(re[k] - xr[k])).toBeLessThan(1e-12);
        expect(Math.abs(im[k] - xi[k])).toBeLessThan(1e-12);
      }
      const back = irfft(re, im, n);
      for (let j = 0; j < n; j++) expect(Math.abs(back[j] - x[j])).toBeLessThan(1e-13);
    });
  }
});
