import { trainJob } from '../../jobs/index.js';
import { configFromFlags, type DataFlags } from '../flags.js';
import { fmt, formatMetrics } from '../format.js';
import { StepReporter } from '../progress.js';

/** `steward train`: fit the pipeline and export it to ONNX. */
export async function trainCommand(flags: DataFlags & { json?: boolean }): Promise<void> {
  const { out, ...rest } = flags;
  const config = await configFromFlags(rest);
  const reporter = new StepReporter();
  try {
    const result = await trainJob(config, out as string, {
      onStep: reporter.step,
      onProgress: reporter.progress,
    });
    reporter.stop();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    process.stdout.write(
      `${result.modelName}: trained on ${fmt(result.rows.train)} rows in ${fmt(result.trainingSeconds)} s; held-out metrics on ${fmt(result.rows.test)} rows:\n${formatMetrics(result.metrics)}\n${result.dp ? `Differential privacy: ε = ${fmt(result.dp.epsilon)} at δ = ${result.dp.delta} (noise multiplier ${fmt(result.dp.noiseMultiplier)}, ${fmt(result.dp.steps)} steps)${result.dp.ledger ? `, charged to ${result.dp.ledger}` : ''}.\n` : ''}Wrote ${result.model}.\n`,
    );
  } finally {
    reporter.stop();
  }
}
