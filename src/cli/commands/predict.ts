import { InvalidParameterError } from '../../core/index.js';
import { formatPredictions, predictJob } from '../../jobs/index.js';

/** `steward predict`: score a file with an ONNX model. */
export async function predictCommand(flags: {
  model: string;
  data: string;
  out?: string;
  threshold?: string;
  json?: boolean;
}): Promise<void> {
  const threshold = flags.threshold === undefined ? undefined : Number(flags.threshold);
  if (threshold !== undefined && !(threshold > 0 && threshold < 1)) {
    throw new InvalidParameterError(
      `The '--threshold' flag must be a number in (0, 1). Got '${flags.threshold}' instead.`,
    );
  }
  const result = await predictJob({ model: flags.model, data: flags.data, out: flags.out, threshold });
  let positives = 0;
  for (const p of result.predictions) positives += p;
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        rows: result.rows,
        threshold: result.threshold,
        positiveLabel: result.positiveLabel ?? null,
        positives,
        out: result.out ?? null,
        predictions: Array.from(result.probabilities, (p, i) => ({
          row: i + 1,
          probability: p,
          prediction: result.predictions[i],
        })),
      })}\n`,
    );
    return;
  }
  if (result.out) {
    process.stdout.write(
      `Scored ${result.rows} rows (${positives} predicted ${result.positiveLabel ?? 'positive'}); wrote ${result.out}.\n`,
    );
  } else {
    process.stdout.write(formatPredictions(result));
  }
}
