/**
 * Discrete Fourier transforms of any length: iterative radix-2 Cooley–Tukey for powers of two, and
 * Bluestein's chirp-z algorithm (1970) for other lengths, which writes X_k = w_k · Σ_n (x_n w_n) ·
 * conj(w_{k−n}) with w_k = exp(−iπk²/N) as a circular convolution of power-of-two length M ≥ 2N − 1.
 * Real transforms of even length N run as one complex transform of length N/2 (even and odd samples
 * packed as real and imaginary parts), as in numpy's rfft/irfft.
 */

const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos and sin of 2πk/n for k < n/2 (cached per n). */
function twiddle(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddles.get(n);
  if (t === undefined) {
    const h = n >> 1;
    t = { cos: new Float64Array(h), sin: new Float64Array(h) };
    for (let k = 0; k < h; k++) {
      const a = (2 * Math.PI * k) / n;
      t.cos[k] = Math.cos(a);
      t.sin[k] = Math.sin(a);
    }
    if (twiddles.size > 4) twiddles.clear();
    twiddles.set(n, t);
  }
  return t;
}

/** In-place radix-2 transform (n a power of two); `inverse` flips the sign of the exponent, no scaling. */
function radix2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const { cos, sin } = twiddle(n);
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = (n / size) | 0;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, w = 0; k < half; k++, w += step) {
        const wr = cos[w];
        const wi = sign * sin[w];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

interface Chirp {
  n: number;
  m: number;
  wr: Float64Array;
  wi: Float64Array;
  br: Float64Array;
  bi: Float64Array;
}
let lastChirp: Chirp | undefined;

/** Bluestein's chirp and the transform of its conjugate, for length n (the last one is cached). */
function chirp(n: number): Chirp {
  if (lastChirp?.n === n) return lastChirp;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n; // k² mod 2N keeps the angle exact for large k
    wr[k] = Math.cos(a);
    wi[k] = -Math.sin(a);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0];
  bi[0] = -wi[0];
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = wr[k];
    bi[k] = bi[m - k] = -wi[k];
  }
  radix2(br, bi, false);
  lastChirp = { n, m, wr, wi, br, bi };
  return lastChirp;
}

/** Forward complex transform X_k = Σ_n x_n exp(−2πi kn/N), in place, for any N. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n <= 1) return;
  if ((n & (n - 1)) === 0) {
    radix2(re, im, false);
    return;
  }
  const { m, wr, wi, br, bi } = chirp(n);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k] * wr[k] - im[k] * wi[k];
    ai[k] = re[k] * wi[k] + im[k] * wr[k];
  }
  radix2(ar, ai, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  radix2(ar, ai, true);
  for (let k = 0; k < n; k++) {
    const r = ar[k] / m;
    const i = ai[k] / m;
    re[k] = r * wr[k] - i * wi[k];
    im[k] = r * wi[k] + i * wr[k];
  }
}

/** Inverse complex transform x_n = (1/N) Σ_k X_k exp(2πi kn/N), in place. */
export function ifft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let k = 0; k < n; k++) im[k] = -im[k];
  fft(re, im);
  for (let k = 0; k < n; k++) {
    re[k] /= n;
    im[k] = -im[k] / n;
  }
}

/** Transform of a real signal of even length N: the N/2 + 1 coefficients X_0 … X_{N/2} (numpy.fft.rfft). */
export function rfft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const h = n / 2;
  const zr = new Float64Array(h);
  const zi = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    zr[j] = x[2 * j];
    zi[j] = x[2 * j + 1];
  }
  fft(zr, zi);
  const re = new Float64Array(h + 1);
  const im = new Float64Array(h + 1);
  for (let k = 0; k <= h; k++) {
    const a = k % h;
    const b = (h - k) % h;
    // E_k = (Z_k + conj Z_{h−k})/2 and O_k = (Z_k − conj Z_{h−k})/(2i) are the even and odd samples' transforms.
    const er = (zr[a] + zr[b]) / 2;
    const ei = (zi[a] - zi[b]) / 2;
    const or = (zi[a] + zi[b]) / 2;
    const oi = -(zr[a] - zr[b]) / 2;
    const ang = (-2 * Math.PI * k) / n;
    const c = Math.cos(ang);
    const s = Math.sin(ang);
    re[k] = er + (or * c - oi * s);
    im[k] = ei + (or * s + oi * c);
  }
  return { re, im };
}

/** Inverse of {@link rfft} for even length `n`, from X_0 … X_{N/2} (imaginary parts of X_0 and X_{N/2} ignored, as numpy.fft.irfft). */
export function irfft(re: Float64Array, im: Float64Array, n: number): Float64Array {
  const h = n / 2;
  const zr = new Float64Array(h);
  const zi = new Float64Array(h);
  const imAt = (k: number) => (k === 0 || k === h ? 0 : im[k]);
  for (let k = 0; k < h; k++) {
    const j = h - k;
    const er = (re[k] + re[j]) / 2;
    const ei = (imAt(k) - imAt(j)) / 2;
    const dr = (re[k] - re[j]) / 2;
    const di = (imAt(k) + imAt(j)) / 2;
    const ang = (2 * Math.PI * k) / n;
    const c = Math.cos(ang);
    const s = Math.sin(ang);
    const or = dr * c - di * s;
    const oi = dr * s + di * c;
    zr[k] = er - oi;
    zi[k] = ei + or;
  }
  ifft(zr, zi);
  const x = new Float64Array(n);
  for (let j = 0; j < h; j++) {
    x[2 * j] = zr[j];
    x[2 * j + 1] = zi[j];
  }
  return x;
}
