/**
 * Adaptive Gauss–Kronrod (G10, K21) quadrature: Kronrod's extension of the 10-point Gauss–Legendre rule
 * (nodes and weights as tabulated in QUADPACK, Piessens et al. 1983), bisecting the interval with the
 * largest error estimate |K21 − G10| until the total estimate is below the tolerance.
 */

const XGK = [
  0.9956571630258081, 0.9739065285171717, 0.9301574913557082, 0.8650633666889845, 0.7808177265864169,
  0.6794095682990244, 0.5627571346686047, 0.4333953941292472, 0.2943928627014602, 0.14887433898163122, 0,
];
const WGK = [
  0.011694638867371874, 0.032558162307964725, 0.054755896574351995, 0.07503967481091996, 0.0931254545836976,
  0.10938715880229764, 0.12349197626206584, 0.13470921731147334, 0.14277593857706009, 0.14773910490133849,
  0.1494455540029169,
];
// Gauss weights for the nodes XGK[1], XGK[3], …, XGK[9].
const WG = [
  0.06667134430868814, 0.1494513491505806, 0.21908636251598204, 0.26926671930999635, 0.29552422471475287,
];

interface Piece {
  a: number;
  b: number;
  value: number;
  error: number;
}

function rule(f: (x: number) => number, a: number, b: number): Piece {
  const c = (a + b) / 2;
  const h = (b - a) / 2;
  const fc = f(c);
  let k = WGK[10] * fc;
  let g = 0;
  for (let j = 0; j < 10; j++) {
    const dx = h * XGK[j];
    const s = f(c - dx) + f(c + dx);
    k += WGK[j] * s;
    if (j % 2 === 1) g += WG[(j - 1) / 2] * s;
  }
  return { a, b, value: k * h, error: Math.abs((k - g) * h) };
}

/** ∫_a^b f(x) dx to an absolute error estimate ≤ `tolerance` (default 1e-14), at most `maxPieces` subintervals. */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  tolerance = 1e-14,
  maxPieces = 2000,
): number {
  const pieces = [rule(f, a, b)];
  for (;;) {
    let total = 0;
    let worst = 0;
    for (let i = 0; i < pieces.length; i++) {
      total += pieces[i].error;
      if (pieces[i].error > pieces[worst].error) worst = i;
    }
    if (total <= tolerance || pieces.length >= maxPieces) break;
    const p = pieces[worst];
    const mid = (p.a + p.b) / 2;
    if (mid <= p.a || mid >= p.b) break; // interval cannot be split further in doubles
    pieces[worst] = rule(f, p.a, mid);
    pieces.push(rule(f, mid, p.b));
  }
  // Sum the smallest pieces first.
  return pieces
    .map((p) => p.value)
    .sort((x, y) => Math.abs(x) - Math.abs(y))
    .reduce((s, v) => s + v, 0);
}
