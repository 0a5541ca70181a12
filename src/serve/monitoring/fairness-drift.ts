import { InvalidParameterError } from '../../core/index.js';

/** Decisions of one sample, with the protected attributes of each row and, when known, the true labels. */
export interface FairnessSample {
  /** 0/1 decision per row (1 = favourable, the positive label). */
  predictions: Uint8Array;
  /** Group value per row, by protected attribute. */
  groups: Readonly<Record<string, readonly string[]>>;
  /** 0/1 true label per row, when labels have arrived. */
  labels?: Uint8Array;
}

/** Rates of one group in one sample. */
export interface GroupRates {
  /** Rows in the group. */
  rows: number;
  /** Share of favourable decisions, P(ŷ = 1 | group). */
  selectionRate: number;
  /** True-positive rate P(ŷ = 1 | y = 1, group), when labels are known. */
  tpr?: number;
  /** False-positive rate P(ŷ = 1 | y = 0, group), when labels are known. */
  fpr?: number;
}

/** One group's rates in the reference and the current sample. */
export interface GroupDrift {
  /** Protected attribute. */
  attribute: string;
  /** Group value. */
  group: string;
  /** Rates in the reference (the audit's baseline). */
  reference: GroupRates;
  /** Rates in the current sample. */
  current: GroupRates;
  /** current − reference selection rate. */
  selectionRateChange: number;
}

/** Disparate impact of one attribute: min/max selection rate across its groups. */
export interface DisparateImpact {
  /** Protected attribute. */
  attribute: string;
  /** In the reference sample (null when no group was selected). */
  reference: number | null;
  /** In the current sample (null when no group was selected). */
  current: number | null;
}

/** An alarm raised by fairness monitoring. */
export interface FairnessAlert {
  /** What moved. */
  code: 'disparate_impact' | 'selection_rate' | 'tpr' | 'fpr';
  /** Protected attribute. */
  attribute: string;
  /** Group, for per-group alerts. */
  group?: string;
  /** A sentence for people. */
  message: string;
}

/** The fairness-drift report. */
export interface FairnessDrift {
  /** Per attribute and group, sorted by attribute then group. */
  groups: GroupDrift[];
  /** Per attribute. */
  disparateImpact: DisparateImpact[];
  /** Alerts, empty when nothing moved. */
  alerts: FairnessAlert[];
}

/** Options of `fairnessDrift`. */
export interface FairnessDriftOptions {
  /** Largest tolerated absolute change of a group's rate (default 0.05). */
  tolerance?: number;
  /** Band the disparate impact must stay inside (default the four-fifths band [0.8, 1.25]). */
  band?: readonly [number, number];
}

const share = (num: number, den: number) => (den === 0 ? Number.NaN : num / den);

function ratesOf(sample: FairnessSample, attribute: string): Map<string, GroupRates> {
  const values = sample.groups[attribute];
  if (values === undefined || values.length !== sample.predictions.length)
    throw new InvalidParameterError(`The protected attribute '${attribute}' has no value for every row.`);
  const acc = new Map<string, number[]>(); // rows, selected, pos, tp, neg, fp
  values.forEach((g, i) => {
    const a = acc.get(g) ?? [0, 0, 0, 0, 0, 0];
    const y = sample.predictions[i];
    a[0]++;
    a[1] += y;
    if (sample.labels) {
      if (sample.labels[i] === 1) {
        a[2]++;
        a[3] += y;
      } else {
        a[4]++;
        a[5] += y;
      }
    }
    acc.set(g, a);
  });
  const out = new Map<string, GroupRates>();
  for (const [g, a] of acc)
    out.set(g, {
      rows: a[0],
      selectionRate: a[1] / a[0],
      ...(sample.labels ? { tpr: share(a[3], a[2]), fpr: share(a[5], a[4]) } : {}),
    });
  return out;
}

/** Disparate impact min(rate)/max(rate) over groups with rows (Feldman et al. 2015); null when max is 0. */
function disparateImpact(rates: Iterable<GroupRates>): number | null {
  const r = [...rates].filter((g) => g.rows > 0).map((g) => g.selectionRate);
  const max = Math.max(...r);
  return r.length === 0 || max === 0 ? null : Math.min(...r) / max;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Fairness drift (demographic parity and equalized odds, Hardt et al. 2016, watched over time): per
 * protected group, the selection rate (and with labels TPR and FPR) in the current sample against the
 * reference. Alerts when an attribute's disparate impact leaves the four-fifths band (EEOC 1978,
 * 29 CFR 1607.4(D)) or a group's rate moves by more than the tolerance (absolute).
 */
export function fairnessDrift(
  reference: FairnessSample,
  current: FairnessSample,
  attributes: readonly string[],
  options: FairnessDriftOptions = {},
): FairnessDrift {
  const tolerance = options.tolerance ?? 0.05;
  const [lo, hi] = options.band ?? [0.8, 1.25];
  if (!(tolerance >= 0))
    throw new InvalidParameterError(
      `The 'tolerance' option of fairnessDrift must be >= 0. Got ${tolerance} instead.`,
    );
  const groups: GroupDrift[] = [];
  const di: DisparateImpact[] = [];
  const alerts: FairnessAlert[] = [];
  for (const attribute of attributes) {
    const ref = ratesOf(reference, attribute);
    const cur = ratesOf(current, attribute);
    const entry = {
      attribute,
      reference: disparateImpact(ref.values()),
      current: disparateImpact(cur.values()),
    };
    di.push(entry);
    if (entry.current !== null && (entry.current < lo || entry.current > hi))
      alerts.push({
        code: 'disparate_impact',
        attribute,
        message: `Disparate impact on '${attribute}' is ${entry.current.toFixed(3)}, outside [${lo}, ${hi}] (reference ${entry.reference === null ? 'n/a' : entry.reference.toFixed(3)}).`,
      });
    const names = [...new Set([...ref.keys(), ...cur.keys()])].sort();
    for (const group of names) {
      const r = ref.get(group) ?? { rows: 0, selectionRate: Number.NaN };
      const c = cur.get(group) ?? { rows: 0, selectionRate: Number.NaN };
      const change = c.selectionRate - r.selectionRate;
      groups.push({ attribute, group, reference: r, current: c, selectionRateChange: change });
      const moved = (code: 'selection_rate' | 'tpr' | 'fpr', a?: number, b?: number) => {
        if (a === undefined || b === undefined || !(Math.abs(b - a) > tolerance)) return;
        alerts.push({
          code,
          attribute,
          group,
          message: `${code === 'selection_rate' ? 'Selection rate' : code.toUpperCase()} of ${attribute}=${group} moved from ${pct(a)} to ${pct(b)} (tolerance ±${pct(tolerance)}).`,
        });
      };
      moved('selection_rate', r.selectionRate, c.selectionRate);
      moved('tpr', r.tpr, c.tpr);
      moved('fpr', r.fpr, c.fpr);
    }
  }
  return { groups, disparateImpact: di, alerts };
}
