import { InvalidParameterError } from '../../core/index.js';
import { explainGlobalJob, explainRowJob } from '../../jobs/index.js';
import { fmt } from '../format.js';

/** Flags of `steward explain`, as commander parses them. */
export interface ExplainFlags {
  model: string;
  data: string;
  row?: string;
  global?: boolean;
  background?: string;
  rows?: string;
  reference?: 'all' | 'near-cutoff';
  immutable?: string;
  count?: string;
  seed?: string;
  json?: boolean;
}

function whole(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new InvalidParameterError(
      `The '--${flag}' flag must be a whole number >= ${min}. Got '${value}' instead.`,
    );
  }
  return n;
}

/** `steward explain`: why a Steward ONNX model decided as it did on one row, or what it relies on overall. */
export async function explainCommand(flags: ExplainFlags): Promise<void> {
  if ((flags.row === undefined) === (flags.global !== true)) {
    throw new InvalidParameterError(
      "Give either '--row N' (explain one decision) or '--global' (what the model relies on overall).",
    );
  }
  const options = {
    model: flags.model,
    data: flags.data,
    background: whole('background', flags.background, 1),
    globalRows: whole('rows', flags.rows, 1),
    count: whole('count', flags.count, 1),
    seed: whole('seed', flags.seed, 0),
    ...(flags.reference ? { reference: flags.reference } : {}),
    ...(flags.immutable !== undefined
      ? {
          immutable: flags.immutable
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
        }
      : {}),
  };
  if (flags.global) {
    const g = await explainGlobalJob(options);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(g)}\n`);
      return;
    }
    const width = Math.max(...g.importance.map((f) => f.feature.length));
    process.stdout.write(
      `Mean |SHAP| over ${fmt(g.rows)} rows (${g.method}, ${g.output}, ${fmt(g.background_rows)} background rows):\n${g.importance
        .map((f) => `  ${f.feature.padEnd(width)}  ${fmt(f.mean_abs_shap)}`)
        .join('\n')}\n`,
    );
    return;
  }
  const r = await explainRowJob({ ...options, row: whole('row', flags.row, 1) });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const shap = Object.entries(r.shap).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const lines = [
    `Row ${r.row}: P(${r.positive_label ?? 'favourable'}) = ${fmt(r.probability)}, threshold ${r.threshold}: ${r.prediction === 1 ? 'favourable' : 'unfavourable'}.`,
    `SHAP (${r.method}, ${r.output}): base ${fmt(r.base_value)}${shap
      .slice(0, 8)
      .map(([f, v]) => `\n  ${v >= 0 ? '+' : ''}${fmt(v)}  ${f} = ${r.values[f]}`)
      .join('')}`,
    ...(r.reasons.length > 0
      ? ['Principal reasons:', ...r.reasons.map((x, i) => `  ${i + 1}. ${x.text}`)]
      : []),
    r.counterfactual_search.found
      ? `Counterfactuals:${r.counterfactuals
          .map(
            (c, i) =>
              `\n  ${i + 1}. ${c.changes.map((d) => `${d.feature}: ${d.from} → ${d.to}`).join('; ')} (P = ${fmt(c.probability)})`,
          )
          .join('')}`
      : `Counterfactuals: none (${r.counterfactual_search.reason}).`,
    ...r.warnings.map((w) => `Warning: ${w}`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
