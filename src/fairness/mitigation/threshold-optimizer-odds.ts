import { type HullPoint, locateOnHull } from './threshold-optimizer-hull.js';

/**
 * The best (FPR, TPR) common to every group's ROC hull (Hardt, Price & Srebro 2016, eq. odds LP):
 * the common region is {(x, y): x ≤ y ≤ min_g hull_g(x)}; the objective grows with y, so the optimum is
 * max_x score(x, min_g hull_g(x)), a concave piecewise-linear problem whose maximum lies at a hull vertex
 * or where two groups' hulls cross. Every such breakpoint is evaluated.
 */
export function equalizedOddsOptimum(
  hulls: readonly (readonly HullPoint[])[],
  score: (fpr: number, tpr: number) => number,
): { fpr: number; tpr: number } {
  const vertices = [...new Set(hulls.flatMap((h) => h.map((p) => p.x)))].sort((a, b) => a - b);
  const candidates = [...vertices];
  for (let k = 0; k + 1 < vertices.length; k++) {
    const x0 = vertices[k];
    const x1 = vertices[k + 1];
    // Within [x0, x1] every hull is one line; crossings of two lines are breakpoints of the minimum.
    const y0 = hulls.map((h) => locateOnHull(h, x0).y);
    const y1 = hulls.map((h) => locateOnHull(h, x1).y);
    for (let a = 0; a < hulls.length; a++) {
      for (let b = a + 1; b < hulls.length; b++) {
        const d0 = y0[a] - y0[b];
        const d1 = y1[a] - y1[b];
        if (d0 * d1 < 0) candidates.push(x0 + ((x1 - x0) * d0) / (d0 - d1));
      }
    }
  }
  let best = { fpr: 0, tpr: 0 };
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const x of candidates) {
    let y = Number.POSITIVE_INFINITY;
    for (const h of hulls) y = Math.min(y, locateOnHull(h, x).y);
    const s = score(x, y);
    if (s > bestScore) {
      bestScore = s;
      best = { fpr: x, tpr: y };
    }
  }
  return best;
}
