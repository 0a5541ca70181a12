import { barChart } from './bar-chart.js';
import type { ReportBlock, ReportSection, SectionOptions, TableCell } from './model.js';
import { shapWaterfallChart } from './shap-waterfall-chart.js';

/** One feature's global importance. */
export interface FeatureImportanceView {
  /** Original column. */
  feature: string;
  /** Mean |SHAP| over the explained rows (in the explanation's output space). */
  meanAbs: number;
}

/** A counterfactual as the report shows it. */
export interface CounterfactualView {
  /** P(favourable) of the changed row. */
  probability: number;
  /** What changed. */
  changes: readonly { feature: string; from: string; to: string }[];
}

/** One unfavourable decision explained: SHAP waterfall, reason codes and counterfactuals. */
export interface DecisionExplanationView {
  /** 1-based row of the held-out data. */
  row: number;
  /** P(favourable) and the decision threshold. */
  probability: number;
  threshold: number;
  /** The SHAP explanation of the row. */
  baseValue: number;
  contributions: readonly { feature: string; value: string; contribution: number }[];
  /** The principal reasons (at most four). */
  reasons: readonly { feature: string; text: string }[];
  /** Counterfactuals found, or why none was. */
  counterfactuals: { found: boolean; reason?: string; items: readonly CounterfactualView[] };
}

/** Input contract of `explainSection`: plain JSON. */
export interface ExplainSectionInput {
  /** The space SHAP values add up in, and how they were computed. */
  output: 'probability' | 'log-odds';
  method: string;
  /** Rows explained for the global view, and background rows. */
  rows: number;
  backgroundRows: number;
  /** Global importance by mean |SHAP|, any order. */
  importance: readonly FeatureImportanceView[];
  /** Permutation importance (drop in accuracy when a column is shuffled), when computed. */
  permutation?: readonly { feature: string; mean: number; std: number }[];
  /** A denied example, when the held-out rows have one. */
  example?: DecisionExplanationView;
  /** Things a reader must know. */
  warnings?: readonly string[];
}

/**
 * The explanations section: global importance (mean |SHAP| chart, permutation importance table) and one
 * unfavourable decision explained three ways: a SHAP waterfall, its principal reasons and counterfactuals.
 */
export function explainSection(input: ExplainSectionInput, options: SectionOptions = {}): ReportSection {
  const outputName = input.output === 'log-odds' ? 'log-odds of the favourable label' : 'P(favourable label)';
  const ranked = [...input.importance].sort(
    (a, b) => b.meanAbs - a.meanAbs || a.feature.localeCompare(b.feature),
  );
  const blocks: ReportBlock[] = [
    {
      kind: 'chart',
      caption: `Global importance: mean |SHAP value| over ${input.rows.toLocaleString('en-US')} held-out rows (${input.method}, ${outputName}, against ${input.backgroundRows.toLocaleString('en-US')} background rows). Each bar is an original column; one-hot columns are grouped.`,
      svg: barChart({
        bars: ranked.map((r) => ({ name: r.feature, value: r.meanAbs })),
        valueAxisName: `mean |SHAP| (${input.output})`,
        format: 'metric',
      }),
    },
  ];
  if (input.permutation && input.permutation.length > 0) {
    blocks.push({
      kind: 'table',
      caption:
        'Permutation importance: drop in held-out accuracy when one column is shuffled (mean ± std over 5 shuffles).',
      columns: ['feature', 'importance', 'std'],
      rows: [...input.permutation]
        .sort((a, b) => b.mean - a.mean || a.feature.localeCompare(b.feature))
        .map((p) => [p.feature, p.mean, p.std]),
      numberFormat: ['auto', 'metric', 'metric'],
    });
  }
  const e = input.example;
  if (e) {
    blocks.push(
      {
        kind: 'paragraph',
        text: `Held-out row ${e.row} was refused: P(favourable) = ${e.probability.toFixed(3)} below the threshold ${e.threshold}. The waterfall shows how each column moved the score from the average; the reasons are the principal ones a notice of adverse action would state; the counterfactuals are the smallest changes found that would have changed the decision.`,
      },
      {
        kind: 'chart',
        caption: `Why row ${e.row} was refused: SHAP contributions (${outputName}), largest first; red raises the score, blue lowers it.`,
        svg: shapWaterfallChart({
          baseValue: e.baseValue,
          outputName,
          steps: e.contributions.map((c) => ({
            label: `${c.feature} = ${c.value}`,
            contribution: c.contribution,
          })),
        }),
      },
      {
        kind: 'table',
        caption: 'Principal reasons (at most four, ranked by how much each lowered the score).',
        columns: ['#', 'reason'],
        rows: e.reasons.map((r, i): TableCell[] => [i + 1, r.text]),
        numberFormat: ['count', 'auto'],
      },
    );
    if (e.counterfactuals.found) {
      blocks.push({
        kind: 'table',
        caption:
          'Counterfactuals: changes that would have given a favourable decision (immutable columns never change).',
        columns: ['#', 'changes', 'P(favourable)'],
        rows: e.counterfactuals.items.map((c, i): TableCell[] => [
          i + 1,
          c.changes.map((d) => `${d.feature}: ${d.from} → ${d.to}`).join('; '),
          c.probability,
        ]),
        numberFormat: ['count', 'auto', 'metric'],
      });
    } else {
      blocks.push({
        kind: 'paragraph',
        text: `No counterfactual: ${e.counterfactuals.reason ?? 'no counterfactual within the constraints'}.`,
      });
    }
  }
  if (input.warnings && input.warnings.length > 0)
    blocks.push({ kind: 'warnings', items: [...input.warnings] });
  const top = ranked.slice(0, 3).map((r) => r.feature);
  return {
    id: options.id ?? 'explain',
    title: options.title ?? 'Explanations',
    summary: `The model leans most on ${top.join(', ')}${e ? `; one refused applicant (row ${e.row}) is explained with ${e.reasons.length} reason${e.reasons.length === 1 ? '' : 's'} and ${e.counterfactuals.found ? `${e.counterfactuals.items.length} counterfactual${e.counterfactuals.items.length === 1 ? '' : 's'}` : 'no counterfactual within the constraints'}` : ''}.`,
    blocks,
  };
}
