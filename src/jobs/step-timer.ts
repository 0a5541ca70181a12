/** Times named steps of a job and reports each start to an optional listener. */
export class StepTimer {
  private readonly started = performance.now();
  private readonly records: { step: string; seconds: number }[] = [];

  /** Creates a timer; `onStep` is told when each step starts. */
  constructor(private readonly onStep?: (step: string, detail?: string) => void) {}

  /** Runs `fn` as the step `name` and records its wall time. */
  async time<T>(name: string, fn: () => Promise<T>, detail?: string): Promise<T> {
    this.onStep?.(name, detail);
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.records.push({ step: name, seconds: (performance.now() - t0) / 1000 });
    }
  }

  /** The steps timed so far. */
  steps(): { step: string; seconds: number }[] {
    return [...this.records];
  }

  /** Seconds since the timer was created. */
  total(): number {
    return (performance.now() - this.started) / 1000;
  }
}
