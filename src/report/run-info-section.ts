import { formatDuration } from './format.js';
import type { ReportSection, SectionOptions } from './model.js';

/** How a report was produced: the report's input contract for `runInfoSection`. */
export interface RunInfo {
  /** The command line as typed (e.g. "steward run --config steward.json"). */
  command: string;
  /** Steward version. */
  version: string;
  /** Seed of every random choice in the run. */
  seed: number;
  /** Wall-clock duration of the run in seconds. */
  durationSeconds: number;
  /** Node.js version (`process.version`). */
  node: string;
  /** Platform and architecture (e.g. "linux x64"). */
  platform: string;
  /** Paths of every file the run wrote. */
  outputs: string[];
}

/** The run section: command, version, seed, duration, runtime and the files written, for reproducing a run. */
export function runInfoSection(info: RunInfo, options: SectionOptions = {}): ReportSection {
  return {
    id: options.id ?? 'run',
    title: options.title ?? 'Run details',
    summary: `Produced by Steward ${info.version} in ${formatDuration(info.durationSeconds)} with seed ${info.seed}; rerunning the same command with the same data and seed reproduces these results.`,
    blocks: [
      {
        kind: 'keyValue',
        items: [
          ['Command', info.command],
          ['Steward version', info.version],
          ['Seed', String(info.seed)],
          ['Duration', formatDuration(info.durationSeconds)],
          ['Node.js', info.node],
          ['Platform', info.platform],
        ],
      },
      info.outputs.length > 0
        ? {
            kind: 'table',
            caption: 'Files written',
            columns: ['Path'],
            rows: info.outputs.map((path) => [path]),
          }
        : { kind: 'paragraph', text: 'The run wrote no files.' },
    ],
  };
}
