import { runJob } from '../../jobs/index.js';
import { configFromFlags, type DataFlags } from '../flags.js';
import { fmt, formatMetrics } from '../format.js';
import { StepReporter } from '../progress.js';

/** `steward run`: the main job. */
export async function runCommand(flags: DataFlags & { json?: boolean }): Promise<void> {
  const config = await configFromFlags(flags);
  const reporter = new StepReporter();
  try {
    const result = await runJob(config, { onStep: reporter.step, onProgress: reporter.progress });
    reporter.stop();
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ outputs: result.outputs, metrics: result.evaluation.metrics, onnxMaxAbsDiff: result.evaluation.onnxMaxAbsDiff, rows: result.profile.split, durationSeconds: result.durationSeconds, steps: result.steps })}\n`,
      );
      return;
    }
    const e = result.evaluation;
    process.stdout.write(
      [
        `${e.model} on ${result.profile.name}: ${fmt(result.profile.split?.train ?? 0)} training rows, ${fmt(result.profile.split?.test ?? 0)} held out`,
        formatMetrics(e.metrics),
        `ONNX export reproduces the model to ${e.onnxMaxAbsDiff?.toExponential(1)} (max |Δp|).`,
        `Wrote ${result.outputs.html}, ${result.outputs.json} and ${result.outputs.model} in ${fmt(result.durationSeconds)} s.`,
        '',
      ].join('\n'),
    );
  } finally {
    reporter.stop();
  }
}
