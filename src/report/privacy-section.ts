import type { ReportBlock, ReportSection, SectionOptions, TableCell } from './model.js';
import { membershipRocChart, privacyAccuracyChart } from './privacy-charts.js';

/** One charge of a privacy budget ledger. */
export interface PrivacyLedgerRow {
  /** ISO 8601 time of the charge. */
  time: string;
  /** What kind of release (e.g. 'dp-sgd', 'count'). */
  kind: string;
  /** What was released. */
  description: string;
  /** ε charged. */
  epsilon: number;
  /** δ charged. */
  delta: number;
}

/** A privacy budget ledger as the report reads it. */
export interface PrivacyLedgerView {
  /** Where the ledger lives (a file path), when persisted. */
  file?: string;
  /** The total budget. */
  budget: { epsilon: number; delta: number };
  /** What is spent so far (basic composition: sums). */
  spent: { epsilon: number; delta: number };
  /** Every charge, oldest first. */
  entries: readonly PrivacyLedgerRow[];
}

/** One DP-SGD training run of the accuracy-vs-ε curve. */
export interface DpSgdRunView {
  /** Target ε of the run. */
  targetEpsilon: number;
  /** ε actually spent (RDP accountant at `delta`). */
  epsilon: number;
  /** Test accuracy. */
  accuracy: number;
  /** Noise multiplier σ chosen for the target. */
  noiseMultiplier: number;
  /** Passes over the training rows. */
  epochs: number;
  /** Seconds spent training. */
  fitSeconds: number;
}

/** The DP-SGD accuracy-vs-ε experiment. */
export interface DpSgdCurveView {
  /** The model trained (e.g. 'logistic regression'). */
  model: string;
  /** δ of every run. */
  delta: number;
  /** The same model trained without privacy (same epochs and batches). */
  baseline: { accuracy: number; fitSeconds: number };
  /** One run per target ε. */
  runs: readonly DpSgdRunView[];
}

/** One membership-inference attack on one target model. */
export interface MembershipAttackView {
  /** Attack name (e.g. 'loss threshold'). */
  attack: string;
  /** Target model (e.g. 'logistic regression', 'DP-SGD ε = 1'). */
  model: string;
  /** ROC AUC of the attack. */
  auc: number;
  /** TPR at 1% and 0.1% FPR. */
  tprAt1PctFpr: number;
  tprAt01PctFpr: number;
  /** Membership advantage max(TPR − FPR). */
  advantage: number;
  /** Empirical ε lower bound from the attack (Clopper-Pearson). */
  epsilonLowerBound: number;
  /** Points of the ROC curve (downsampled). */
  roc: { fpr: readonly number[]; tpr: readonly number[] };
}

/** The PII scan of one input file, column by column. */
export interface PiiScanView {
  /** The file scanned. */
  file: string;
  /** Rows scanned. */
  rows: number;
  /** Rows in the file, when more than were scanned. */
  totalRows?: number;
  /** Text columns with what was found. */
  columns: readonly {
    column: string;
    pii: boolean;
    entities: Readonly<Record<string, { cells: number; share: number }>>;
    samples: readonly string[];
  }[];
}

/** Input contract of `privacySection`: every part optional, plain JSON. */
export interface PrivacySectionInput {
  ledger?: PrivacyLedgerView;
  dpSgd?: DpSgdCurveView;
  membership?: readonly MembershipAttackView[];
  pii?: readonly PiiScanView[];
  /** Warnings of the analysis itself (e.g. a file the PII scan skipped). */
  warnings?: readonly string[];
}

/**
 * The privacy section: the budget ledger, the DP-SGD accuracy-vs-ε curve, membership-inference attacks
 * (table and log-log ROC) and the PII scan of the input data.
 */
export function privacySection(input: PrivacySectionInput, options: SectionOptions = {}): ReportSection {
  const blocks: ReportBlock[] = [];
  const warnings: string[] = [];
  const summary: string[] = [];
  if (input.dpSgd) {
    const d = input.dpSgd;
    blocks.push(
      {
        kind: 'table',
        caption: `DP-SGD (${d.model}) at δ = ${d.delta}: test accuracy per privacy budget, next to the same trainer without privacy. The noise comes from a cryptographically secure source, so these figures move slightly between runs; the guarantee covers the model's weights, not the encoder's means and category lists.`,
        columns: ['target ε', 'ε spent', 'noise σ', 'epochs', 'accuracy', 'Δ accuracy', 'fit s'],
        rows: [
          ['none', null, null, null, d.baseline.accuracy, 0, d.baseline.fitSeconds],
          ...d.runs.map((r): TableCell[] => [
            r.targetEpsilon,
            r.epsilon,
            r.noiseMultiplier,
            r.epochs,
            r.accuracy,
            r.accuracy - d.baseline.accuracy,
            r.fitSeconds,
          ]),
        ],
        numberFormat: ['auto', 'metric', 'metric', 'count', 'metric', 'metric', 'seconds'],
      },
      {
        kind: 'chart',
        caption:
          'Test accuracy against the privacy budget ε (log scale); the dashed line is the model trained without privacy.',
        svg: privacyAccuracyChart({ points: d.runs, baselineAccuracy: d.baseline.accuracy }),
      },
    );
    const best = d.runs.reduce<DpSgdRunView | undefined>(
      (a, r) => (a && a.epsilon <= r.epsilon ? a : r),
      undefined,
    );
    if (best)
      summary.push(
        `DP-SGD at ε = ${fmt(best.epsilon)} keeps ${fmt(best.accuracy)} accuracy (without privacy ${fmt(d.baseline.accuracy)}).`,
      );
  }
  if (input.membership && input.membership.length > 0) {
    const attacks = input.membership;
    blocks.push(
      {
        kind: 'table',
        caption:
          'Membership inference: how well an attacker tells training rows from held-out rows. AUC 0.5 and advantage 0 mean no leak; the ε lower bound is what the attack proves (95% Clopper-Pearson, threshold chosen on a held-out half of the rows).',
        columns: [
          'attack',
          'target model',
          'AUC',
          'TPR @ 1% FPR',
          'TPR @ 0.1% FPR',
          'advantage',
          'ε lower bound',
        ],
        rows: attacks.map((a) => [
          a.attack,
          a.model,
          a.auc,
          a.tprAt1PctFpr,
          a.tprAt01PctFpr,
          a.advantage,
          a.epsilonLowerBound,
        ]),
        numberFormat: ['auto', 'auto', 'metric', 'metric', 'metric', 'metric', 'metric'],
      },
      {
        kind: 'chart',
        caption:
          'Membership-inference ROC curves on log-log axes (the low false-positive region is where an attack is dangerous); the dashed diagonal is guessing.',
        svg: membershipRocChart(
          attacks.map((a) => ({ name: `${a.attack}, ${a.model}`, ...a.roc, auc: a.auc })),
        ),
      },
    );
    const worst = attacks.reduce((a, b) => (b.auc > a.auc ? b : a));
    summary.push(
      `The strongest membership attack reaches AUC ${fmt(worst.auc)} (${worst.attack}, ${worst.model}).`,
    );
    for (const a of attacks) {
      if (a.auc >= 0.6)
        warnings.push(
          `${a.attack} on ${a.model}: AUC ${fmt(a.auc)}; the model leaks which rows it was trained on.`,
        );
    }
  }
  if (input.ledger) {
    const l = input.ledger;
    blocks.push(
      {
        kind: 'keyValue',
        items: [
          ['Budget ε', l.budget.epsilon],
          ['Budget δ', l.budget.delta],
          ['Spent ε', l.spent.epsilon],
          ['Spent δ', l.spent.delta],
          ['Remaining ε', Math.max(0, l.budget.epsilon - l.spent.epsilon)],
          ...(l.file ? [['Ledger file', l.file] as [string, string]] : []),
        ],
      },
      {
        kind: 'table',
        caption: 'Privacy budget ledger (basic composition: ε and δ add up).',
        columns: ['time', 'kind', 'release', 'ε', 'δ'],
        rows: l.entries.map((e) => [e.time, e.kind, e.description, e.epsilon, e.delta]),
        numberFormat: ['auto', 'auto', 'auto', 'metric', 'auto'],
      },
    );
    summary.push(`${fmt(l.spent.epsilon)} of the ε budget ${fmt(l.budget.epsilon)} is spent.`);
  }
  if (input.pii && input.pii.length > 0) {
    const flagged = input.pii.flatMap((p) =>
      p.columns.filter((c) => c.pii).map((c) => ({ file: p.file, ...c })),
    );
    for (const p of input.pii) {
      const scanned =
        p.totalRows !== undefined && p.totalRows > p.rows
          ? `the first ${p.rows.toLocaleString('en-US')} of ${p.totalRows.toLocaleString('en-US')} rows`
          : `${p.rows.toLocaleString('en-US')} rows`;
      blocks.push({
        kind: 'table',
        caption: `PII scan of ${p.file} (${scanned}): what each text column holds; samples are masked.`,
        columns: ['column', 'PII', 'entities (share of cells)', 'masked samples'],
        rows: p.columns.map((c) => [
          c.column,
          c.pii ? 'yes' : 'no',
          Object.entries(c.entities)
            .map(([e, v]) => `${e} ${(100 * v.share).toFixed(1)}%`)
            .join(', ') || 'none',
          c.samples.join(' · '),
        ]),
      });
    }
    summary.push(
      flagged.length === 0
        ? 'No input column holds PII.'
        : `${flagged.length} input column${flagged.length === 1 ? '' : 's'} hold${flagged.length === 1 ? 's' : ''} PII.`,
    );
    for (const c of flagged) {
      warnings.push(
        `Column '${c.column}' of ${c.file} holds personal data (${Object.keys(c.entities).join(', ') || 'by its name'}); redact it with 'steward pii redact' before sharing the data.`,
      );
    }
  }
  warnings.push(...(input.warnings ?? []));
  if (warnings.length > 0) blocks.push({ kind: 'warnings', items: warnings });
  if (blocks.length === 0) blocks.push({ kind: 'paragraph', text: 'No privacy analysis was run.' });
  return {
    id: options.id ?? 'privacy',
    title: options.title ?? 'Privacy',
    summary: summary.join(' ') || 'No privacy analysis was run.',
    blocks,
  };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(3))) : String(v);
}
