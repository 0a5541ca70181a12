import { InvalidParameterError } from '../../core/index.js';
import {
  checkDelta,
  checkNoiseMultiplier,
  checkOrders,
  checkSampleRate,
  checkSteps,
} from './check-options.js';
import { computeRdp, type EpsilonAtOrder, OPACUS_DEFAULT_ORDERS, rdpToEpsilon } from './rdp.js';

/** One run of identical Sampled-Gaussian steps in an accountant's history. */
export interface SgmHistoryEntry {
  /** Noise multiplier σ of these steps. */
  noiseMultiplier: number;
  /** Poisson sampling rate q of these steps. */
  sampleRate: number;
  /** How many consecutive steps used this (σ, q). */
  steps: number;
}

/**
 * The RDP accountant of the Sampled Gaussian Mechanism (Opacus `RDPAccountant`): records each step,
 * composes by adding RDP over the history (RDP composition, Mironov 2017, Prop. 1) and converts with
 * the improved bound of Balle et al. 2020 (see {@link rdpToEpsilon}).
 */
export class RdpAccountant {
  /** The RDP orders the accountant evaluates. */
  readonly orders: readonly number[];
  private readonly entries: SgmHistoryEntry[] = [];

  /** Creates an empty accountant; `orders` defaults to {@link OPACUS_DEFAULT_ORDERS}. */
  constructor(options: { orders?: readonly number[] } = {}) {
    this.orders = checkOrders('RdpAccountant', options.orders ?? OPACUS_DEFAULT_ORDERS);
  }

  /** Records `steps` (default 1) steps with noise σ and rate q; merges with the last entry when both are equal. */
  step(options: { noiseMultiplier: number; sampleRate: number; steps?: number }): void {
    const owner = 'RdpAccountant.step';
    const noiseMultiplier = checkNoiseMultiplier(owner, options.noiseMultiplier);
    const sampleRate = checkSampleRate(owner, options.sampleRate);
    const steps = checkSteps(owner, options.steps ?? 1);
    const last = this.entries.at(-1);
    if (last && last.noiseMultiplier === noiseMultiplier && last.sampleRate === sampleRate) {
      last.steps += steps;
    } else {
      this.entries.push({ noiseMultiplier, sampleRate, steps });
    }
  }

  /** The compacted history, oldest first (copies; editing them does not change the accountant). */
  get history(): SgmHistoryEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Total number of steps recorded. */
  get totalSteps(): number {
    return this.entries.reduce((n, e) => n + e.steps, 0);
  }

  /** Total RDP per order: the sum of every history entry's RDP, in history order (as Opacus sums). */
  rdp(): Float64Array {
    const total = new Float64Array(this.orders.length);
    for (const e of this.entries) {
      const r = computeRdp(e.sampleRate, e.noiseMultiplier, e.steps, this.orders);
      for (let k = 0; k < total.length; k++) total[k] += r[k];
    }
    return total;
  }

  /**
   * ε at δ for everything recorded so far, with the order α that gives it (Opacus `get_privacy_spent`;
   * Opacus's `get_epsilon` returns the `epsilon` field alone). Before any step: ε = 0 at orders[0].
   */
  getEpsilon(delta: number): EpsilonAtOrder {
    checkDelta('RdpAccountant.getEpsilon', delta);
    if (this.entries.length === 0) return { epsilon: 0, alpha: this.orders[0] };
    return rdpToEpsilon(this.orders, this.rdp(), delta);
  }

  /** Forgets every recorded step. */
  reset(): void {
    this.entries.length = 0;
  }
}

/** Rebuilds an accountant from a saved `history` (validating every entry). */
export function restoreRdpAccountant(
  entries: readonly SgmHistoryEntry[],
  orders?: readonly number[],
): RdpAccountant {
  if (!Array.isArray(entries)) {
    throw new InvalidParameterError(
      "The 'history' option of restoreRdpAccountant must be an array of steps.",
    );
  }
  const acc = new RdpAccountant({ orders });
  for (const e of entries) acc.step(e);
  return acc;
}
