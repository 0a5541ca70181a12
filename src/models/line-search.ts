/** Parameters of the Moré-Thuente line search. */
export interface LineSearchParameters {
  /** Sufficient-decrease constant c1 of φ(α) <= φ(0) + c1·α·φ'(0). */
  readonly ftol: number;
  /** Curvature constant c2 of |φ'(α)| <= c2·|φ'(0)|. */
  readonly gtol: number;
  /** Relative width of the bracketing interval below which the search gives up. */
  readonly xtol: number;
  /** Smallest step allowed. */
  readonly stpmin: number;
  /** Largest step allowed. */
  readonly stpmax: number;
}

/** What the caller should do after `MoreThuente.step`: evaluate φ at `stp`, or stop. */
export type LineSearchTask = 'evaluate' | 'converged' | 'warning' | 'error';

/**
 * The Moré-Thuente line search (Moré & Thuente, "Line search algorithms with guaranteed sufficient
 * decrease", ACM TOMS 20(3), 1994; MINPACK-2 `dcsrch`, as used by L-BFGS-B). It finds a step α that
 * satisfies the strong Wolfe conditions φ(α) <= φ(0) + c1·α·φ'(0) and |φ'(α)| <= c2·|φ'(0)| by
 * safeguarded cubic and quadratic interpolation. Reverse communication: call `start`, evaluate φ and
 * φ' at `stp`, call `step(φ, φ')` until it returns something other than 'evaluate'.
 */
export class MoreThuente {
  /** The current trial step. */
  stp = 0;
  private brackt = false;
  private stage = 1;
  private ginit = 0;
  private gtest = 0;
  private gx = 0;
  private gy = 0;
  private finit = 0;
  private fx = 0;
  private fy = 0;
  private stx = 0;
  private sty = 0;
  private stmin = 0;
  private stmax = 0;
  private width = 0;
  private width1 = 0;

  /** Creates a search with the given constants (L-BFGS-B uses c1 = 1e-3, c2 = 0.9, xtol = 0.1). */
  constructor(private readonly p: LineSearchParameters) {}

  /** Begins a search from φ(0) = `f`, φ'(0) = `g` < 0 with first trial step `stp`. */
  start(f: number, g: number, stp: number): LineSearchTask {
    const { ftol, stpmin, stpmax } = this.p;
    if (stp < stpmin || stp > stpmax || g >= 0) return 'error';
    this.stp = stp;
    this.brackt = false;
    this.stage = 1;
    this.finit = f;
    this.ginit = g;
    this.gtest = ftol * g;
    this.width = stpmax - stpmin;
    this.width1 = this.width / 0.5;
    this.stx = 0;
    this.fx = f;
    this.gx = g;
    this.sty = 0;
    this.fy = f;
    this.gy = g;
    this.stmin = 0;
    this.stmax = stp + 4 * stp;
    return 'evaluate';
  }

  /** Takes φ(stp) and φ'(stp); returns whether to evaluate the new `stp` or stop. */
  step(f: number, g: number): LineSearchTask {
    const { gtol, xtol, stpmin, stpmax } = this.p;
    const stp = this.stp;
    const ftest = this.finit + stp * this.gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;
    if (this.brackt && (stp <= this.stmin || stp >= this.stmax)) return 'warning';
    if (this.brackt && this.stmax - this.stmin <= xtol * this.stmax) return 'warning';
    if (stp === stpmax && f <= ftest && g <= this.gtest) return 'warning';
    if (stp === stpmin && (f > ftest || g >= this.gtest)) return 'warning';
    if (f <= ftest && Math.abs(g) <= gtol * -this.ginit) return 'converged';

    if (this.stage === 1 && f <= this.fx && f > ftest) {
      // Use the modified function ψ(α) = φ(α) − φ(0) − c1·α·φ'(0) until a step with ψ <= 0 and φ' >= 0.
      const gt = this.gtest;
      const s = dcstep(
        this.stx,
        this.fx - this.stx * gt,
        this.gx - gt,
        this.sty,
        this.fy - this.sty * gt,
        this.gy - gt,
        stp,
        f - stp * gt,
        g - gt,
        this.brackt,
        this.stmin,
        this.stmax,
      );
      this.apply(s);
      this.fx = s.fx + this.stx * gt;
      this.fy = s.fy + this.sty * gt;
      this.gx = s.dx + gt;
      this.gy = s.dy + gt;
    } else {
      const s = dcstep(
        this.stx,
        this.fx,
        this.gx,
        this.sty,
        this.fy,
        this.gy,
        stp,
        f,
        g,
        this.brackt,
        this.stmin,
        this.stmax,
      );
      this.apply(s);
      this.fx = s.fx;
      this.fy = s.fy;
      this.gx = s.dx;
      this.gy = s.dy;
    }

    if (this.brackt) {
      // Bisect when the interval did not shrink enough over two steps.
      if (Math.abs(this.sty - this.stx) >= 0.66 * this.width1)
        this.stp = this.stx + 0.5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
      this.stmin = Math.min(this.stx, this.sty);
      this.stmax = Math.max(this.stx, this.sty);
    } else {
      this.stmin = this.stp + 1.1 * (this.stp - this.stx);
      this.stmax = this.stp + 4 * (this.stp - this.stx);
    }
    this.stp = Math.min(Math.max(this.stp, stpmin), stpmax);
    if (
      (this.brackt && (this.stp <= this.stmin || this.stp >= this.stmax)) ||
      (this.brackt && this.stmax - this.stmin <= xtol * this.stmax)
    ) {
      this.stp = this.stx;
    }
    return 'evaluate';
  }

  private apply(s: StepResult): void {
    this.stx = s.stx;
    this.sty = s.sty;
    this.stp = s.stp;
    this.brackt = s.brackt;
  }
}

interface StepResult {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  stp: number;
  brackt: boolean;
}

/** MINPACK-2 `dcstep`: one safeguarded step of the interval update (the four cases of Moré & Thuente §4). */
function dcstep(
  stx: number,
  fx: number,
  dx: number,
  sty: number,
  fy: number,
  dy: number,
  stp: number,
  fp: number,
  dp: number,
  brackt: boolean,
  stpmin: number,
  stpmax: number,
): StepResult {
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    // Case 1: higher function value; the minimum is bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    brackt = true;
  } else if (sgnd < 0) {
    // Case 2: lower value, derivatives of opposite sign; the minimum is bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // Case 3: lower value, same sign, derivative magnitude decreases.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else stpc = stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (brackt) {
    // Case 4: lower value, same sign, derivative does not decrease; cubic step towards sty.
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dy / s) * (dp / s));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }

  if (fp > fx) {
    sty = stp;
    fy = fp;
    dy = dp;
  } else {
    if (sgnd < 0) {
      sty = stx;
      fy = fx;
      dy = dx;
    }
    stx = stp;
    fx = fp;
    dx = dp;
  }
  return { stx, fx, dx, sty, fy, dy, stp: stpf, brackt };
}
