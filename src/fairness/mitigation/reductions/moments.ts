import { checkNumber, DataValidationError, InvalidParameterError } from '../../../core/index.js';

/** Options shared by every parity constraint; defaults are Fairlearn's. */
export interface ParityConstraintOptions {
  /** Largest allowed |E[u | event, group] − E[u | event]| (Fairlearn's difference_bound). Default 0.01. */
  differenceBound?: number;
}

/** Names of the parity constraints the reductions support. */
export type ParityConstraintName =
  | 'demographic_parity'
  | 'equalized_odds'
  | 'true_positive_rate_parity'
  | 'error_rate_parity';

/** One constraint cell: the rows of `group` within `event`. */
export interface ConstraintCell {
  readonly event: string;
  readonly group: string;
}

/**
 * A parity constraint as a moment (Agarwal et al. 2018, §2): for every event e and group a,
 * γ(h)_{e,a} = E[u(h) | E = e, A = a] − E[u(h) | E = e], split into signed constraints
 * +γ ≤ bound and −γ ≤ bound. The utility u is h(x) except for error-rate parity, where it is 1[h(x) ≠ y].
 */
export abstract class ParityConstraint {
  /** The constraint's name. */
  abstract readonly name: ParityConstraintName;
  /** The options as given. */
  readonly options: Readonly<ParityConstraintOptions>;

  /** Stores the options; the bound is validated here. */
  constructor(options: ParityConstraintOptions = {}) {
    this.options = { ...options };
    checkNumber(this.constructor.name, 'differenceBound', this.differenceBound, (v) => v >= 0, '>= 0');
  }

  /** The bound on every signed constraint. */
  get differenceBound(): number {
    return this.options.differenceBound ?? 0.01;
  }

  /** Event of each row (undefined: the row is in no constraint). */
  protected abstract events(y: Uint8Array): (string | undefined)[];

  /** True when the utility is the error indicator 1[h ≠ y] instead of h. */
  protected get errorUtility(): boolean {
    return false;
  }

  /** Binds the constraint to training labels and group labels. */
  load(y: Uint8Array, groups: readonly string[]): LoadedMoment {
    if (groups.length !== y.length) {
      throw new InvalidParameterError(
        `The sensitive features given to ${this.constructor.name} must have one entry per row (${y.length}). Got ${groups.length} instead.`,
      );
    }
    return new LoadedMoment(this, y, groups, this.events(y), this.errorUtility);
  }
}

/** Demographic parity: P(h = 1 | A = a) = P(h = 1) for every group a (one event, 'all'). */
export class DemographicParity extends ParityConstraint {
  /** The constraint's name. */
  readonly name = 'demographic_parity' as const;
  /** Every row is in the event 'all'. */
  protected events(y: Uint8Array): (string | undefined)[] {
    return Array.from(y, () => 'all');
  }
}

/** Equalized odds: P(h = 1 | A = a, Y = y) = P(h = 1 | Y = y) for every group a and label y. */
export class EqualizedOdds extends ParityConstraint {
  /** The constraint's name. */
  readonly name = 'equalized_odds' as const;
  /** The event of a row is its label. */
  protected events(y: Uint8Array): (string | undefined)[] {
    return Array.from(y, (v) => `label=${v}`);
  }
}

/** True-positive-rate parity (equal opportunity): P(h = 1 | A = a, Y = 1) = P(h = 1 | Y = 1). */
export class TruePositiveRateParity extends ParityConstraint {
  /** The constraint's name. */
  readonly name = 'true_positive_rate_parity' as const;
  /** Only positive rows are in an event. */
  protected events(y: Uint8Array): (string | undefined)[] {
    return Array.from(y, (v) => (v === 1 ? 'label=1' : undefined));
  }
}

/** Error-rate parity: P(h ≠ y | A = a) = P(h ≠ y) for every group a. */
export class ErrorRateParity extends ParityConstraint {
  /** The constraint's name. */
  readonly name = 'error_rate_parity' as const;
  /** Every row is in the event 'all'. */
  protected events(y: Uint8Array): (string | undefined)[] {
    return Array.from(y, () => 'all');
  }
  /** The utility is the error indicator. */
  protected override get errorUtility(): boolean {
    return true;
  }
}

/**
 * A parity constraint bound to training data. Its 2K multipliers are ordered K '+' cells then the
 * same K '−' cells. Cost-sensitive weights follow Agarwal et al. (2018), Examples 3 and 4:
 * C_i = Δu_i · (Σ_a λ_{e_i,a} / p_{e_i} − λ_{e_i,a_i} / p_{e_i,a_i}) with λ = λ⁺ − λ⁻.
 */
export class LoadedMoment {
  /** Cells in order of first appearance (events, then groups). */
  readonly cells: readonly ConstraintCell[];
  /** Number of signed constraints (2 × cells). */
  readonly size: number;
  /** The bound on every signed constraint. */
  readonly bound: number;
  private readonly rowCell: Int32Array;
  private readonly rowEvent: Int32Array;
  private readonly cellEvent: Int32Array;
  private readonly pCell: Float64Array;
  private readonly pEvent: Float64Array;
  private readonly u0: Float64Array;
  private readonly du: Float64Array;
  private readonly nEvents: number;

  /** Indexes the cells; throws when a group has no rows in some event (its rate would be undefined). */
  constructor(
    constraint: ParityConstraint,
    y: Uint8Array,
    groups: readonly string[],
    events: readonly (string | undefined)[],
    errorUtility: boolean,
  ) {
    const n = y.length;
    this.bound = constraint.differenceBound;
    const eventIds = new Map<string, number>();
    const groupIds = new Map<string, number>();
    for (const e of events) if (e !== undefined && !eventIds.has(e)) eventIds.set(e, eventIds.size);
    for (const g of groups) if (!groupIds.has(g)) groupIds.set(g, groupIds.size);
    if (groupIds.size < 2) {
      throw new DataValidationError(
        `${constraint.constructor.name} needs at least two groups in the sensitive features. Got ${groupIds.size}.`,
      );
    }
    const nG = groupIds.size;
    this.nEvents = eventIds.size;
    const counts = new Float64Array(this.nEvents * nG);
    const eventCounts = new Float64Array(this.nEvents);
    this.rowCell = new Int32Array(n).fill(-1);
    this.rowEvent = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const e = events[i];
      if (e === undefined) continue;
      const ei = eventIds.get(e) as number;
      const c = ei * nG + (groupIds.get(groups[i]) as number);
      this.rowEvent[i] = ei;
      this.rowCell[i] = c;
      counts[c]++;
      eventCounts[ei]++;
    }
    const eventNames = [...eventIds.keys()];
    const groupNames = [...groupIds.keys()];
    const cells: ConstraintCell[] = [];
    for (let ei = 0; ei < this.nEvents; ei++) {
      for (let gi = 0; gi < nG; gi++) {
        if (counts[ei * nG + gi] === 0) {
          throw new DataValidationError(
            `${constraint.constructor.name} cannot constrain group '${groupNames[gi]}': it has no rows with ${eventNames[ei]}, so its rate is undefined. Drop or merge that group, or choose another constraint.`,
          );
        }
        cells.push({ event: eventNames[ei], group: groupNames[gi] });
      }
    }
    this.cells = cells;
    this.size = 2 * cells.length;
    this.cellEvent = Int32Array.from(cells, (_, k) => Math.floor(k / nG));
    this.pCell = Float64Array.from(counts, (c) => c / n);
    this.pEvent = Float64Array.from(eventCounts, (c) => c / n);
    this.u0 = Float64Array.from(y, (v) => (errorUtility ? v : 0));
    this.du = Float64Array.from(y, (v) => (errorUtility ? 1 - 2 * v : 1));
  }

  /** Signed constraint values γ (length 2K: +γ then −γ) of 0/1 predictions (or expected predictions). */
  gamma(pred: ArrayLike<number>): Float64Array {
    const K = this.cells.length;
    const cellSum = new Float64Array(K);
    const eventSum = new Float64Array(this.nEvents);
    for (let i = 0; i < pred.length; i++) {
      const c = this.rowCell[i];
      if (c < 0) continue;
      const u = this.u0[i] + pred[i] * this.du[i];
      cellSum[c] += u;
      eventSum[this.rowEvent[i]] += u;
    }
    const n = pred.length;
    const out = new Float64Array(2 * K);
    for (let k = 0; k < K; k++) {
      const e = this.cellEvent[k];
      const g = cellSum[k] / (n * this.pCell[k]) - eventSum[e] / (n * this.pEvent[e]);
      out[k] = g;
      out[K + k] = -g;
    }
    return out;
  }

  /** Per-row cost difference C_i⁰ − C_i¹ of the constraint term λ·γ (times n). */
  signedWeights(lambda: ArrayLike<number>): Float64Array {
    const K = this.cells.length;
    const eventTerm = new Float64Array(this.nEvents);
    const cellTerm = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const s = lambda[k] - lambda[K + k];
      cellTerm[k] = s / this.pCell[k];
      eventTerm[this.cellEvent[k]] += s;
    }
    for (let e = 0; e < this.nEvents; e++) eventTerm[e] /= this.pEvent[e];
    const out = new Float64Array(this.rowCell.length);
    for (let i = 0; i < out.length; i++) {
      const c = this.rowCell[i];
      if (c >= 0) out[i] = this.du[i] * (eventTerm[this.rowEvent[i]] - cellTerm[c]);
    }
    return out;
  }

  /** λ with λ⁺ and λ⁻ of each cell netted (λ⁺ − λ⁻ kept on one side): never lowers the Lagrangian. */
  projectLambda(lambda: ArrayLike<number>): Float64Array {
    const K = this.cells.length;
    const out = new Float64Array(2 * K);
    for (let k = 0; k < K; k++) {
      const s = lambda[k] - lambda[K + k];
      if (s > 0) out[k] = s;
      else out[K + k] = -s;
    }
    return out;
  }

  /** Human-readable label of signed constraint j, e.g. "+ all / female". */
  label(j: number): string {
    const K = this.cells.length;
    const cell = this.cells[j % K];
    return `${j < K ? '+' : '-'} ${cell.event} / ${cell.group}`;
  }
}

/** Error rate (1/n) Σ |h_i − y_i| of predictions (0/1 or expected). */
export function errorRate(pred: ArrayLike<number>, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i] - pred[i]);
  return s / y.length;
}

/** Builds a constraint from its name. */
export function parityConstraint(
  name: ParityConstraintName,
  options: ParityConstraintOptions = {},
): ParityConstraint {
  switch (name) {
    case 'demographic_parity':
      return new DemographicParity(options);
    case 'equalized_odds':
      return new EqualizedOdds(options);
    case 'true_positive_rate_parity':
      return new TruePositiveRateParity(options);
    case 'error_rate_parity':
      return new ErrorRateParity(options);
    default:
      throw new InvalidParameterError(
        `The constraint name must be 'demographic_parity', 'equalized_odds', 'true_positive_rate_parity' or 'error_rate_parity'. Got '${String(name)}' instead.`,
      );
  }
}
