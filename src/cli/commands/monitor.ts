import { InvalidParameterError } from '../../core/index.js';
import {
  DRIFT_TESTS,
  type DriftTest,
  formatMonitorReport,
  monitorFiles,
  monitorReportJson,
} from '../../serve/monitoring/index.js';

/** Flags of `steward monitor`. */
export interface MonitorFlags {
  model?: string;
  reference?: string;
  current?: string;
  protected?: string;
  test?: string;
  tolerance?: string;
  json?: boolean;
}

/**
 * `steward monitor`: the drift report of a current sample against a reference sample through a model.
 * Exits 0 whether or not drift is found (it is a report); bad input exits 1 or 2.
 */
export async function monitorCommand(flags: MonitorFlags): Promise<void> {
  for (const name of ['model', 'reference', 'current'] as const)
    if (flags[name] === undefined)
      throw new InvalidParameterError(`'steward monitor' needs '--${name} FILE'.`);
  if (flags.test !== undefined && !(DRIFT_TESTS as readonly string[]).includes(flags.test))
    throw new InvalidParameterError(
      `The '--test' option must be one of ${DRIFT_TESTS.join(', ')}. Got '${flags.test}' instead.`,
    );
  const tolerance = flags.tolerance === undefined ? undefined : Number(flags.tolerance);
  if (tolerance !== undefined && !(tolerance >= 0 && tolerance <= 1))
    throw new InvalidParameterError(
      `The '--tolerance' option must be in [0, 1]. Got '${flags.tolerance}' instead.`,
    );
  const report = await monitorFiles({
    model: flags.model as string,
    reference: flags.reference as string,
    current: flags.current as string,
    protectedAttributes: flags.protected?.split(',').map((s) => s.trim()),
    test: flags.test as DriftTest | undefined,
    tolerance,
  });
  process.stdout.write(
    flags.json ? `${JSON.stringify(monitorReportJson(report), null, 2)}\n` : formatMonitorReport(report),
  );
}
