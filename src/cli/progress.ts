import cliProgress from 'cli-progress';

/** Shows job steps on stderr: a progress bar on a terminal, one line per step otherwise. */
export class StepReporter {
  private bar: cliProgress.SingleBar | undefined;
  private readonly tty = process.stderr.isTTY === true;

  /** Creates a reporter; `quiet` silences it. */
  constructor(private readonly quiet = false) {}

  /** A new step starts. */
  step = (name: string, detail?: string): void => {
    this.stop();
    if (!this.quiet) process.stderr.write(`• ${name}${detail ? `: ${detail}` : ''}\n`);
  };

  /** Progress of the current step in [0, 1]; drawn as a bar on terminals only. */
  progress = (fraction: number): void => {
    if (this.quiet || !this.tty) return;
    if (this.bar === undefined) {
      this.bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: '  [{bar}] {percentage}%', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(100, 0);
    }
    this.bar.update(Math.round(fraction * 100));
  };

  /** Stops any bar in progress. */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
