import { inspectJob } from '../../jobs/index.js';
import { configFromFlags, type DataFlags } from '../flags.js';
import { formatProfile } from '../format.js';

/** `steward inspect`: a data summary by group. */
export async function inspectCommand(flags: DataFlags & { json?: boolean }): Promise<void> {
  const profile = await inspectJob(await configFromFlags(flags));
  process.stdout.write(flags.json ? `${JSON.stringify(profile)}\n` : `${formatProfile(profile)}\n`);
}
