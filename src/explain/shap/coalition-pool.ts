import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StewardError } from '../../core/index.js';
import { drainUnits, type NetworkUnits } from './coalition-assembly.js';

/** Units claimed at a time by each thread (small enough to balance two threads, large enough to be cheap). */
const UNITS_PER_CLAIM = 2048;

/** What the coalition worker receives as `workerData`: the job and shared counter and output. */
export interface CoalitionWorkerInit {
  /** The units to score, over SharedArrayBuffer-backed matrices. */
  readonly job: NetworkUnits;
  /** Shared next-unit counter (Int32Array of length 1). */
  readonly next: Int32Array;
  /** Shared output: the mean probability of each unit. */
  readonly out: Float64Array;
  /** Units per claim. */
  readonly chunk: number;
}

/** The built coalition worker next to this module, or undefined when running from TypeScript sources (vitest). */
export function coalitionWorkerFile(): URL | undefined {
  const here = import.meta.url;
  if (!here.endsWith('.js')) return undefined;
  const url = new URL('./coalition-worker.js', here);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * The mean probability of each unit of `job` (see `drainUnits`), computed by this thread and one worker
 * thread started for this call from `url`, both claiming chunks of units from a shared counter (X and B are
 * shared through SharedArrayBuffer copies); `workerUnits` says how many the worker scored. With
 * `waitForWorker` (tests), this thread starts only once the worker is ready to claim. The worker is
 * terminated before this resolves or rejects.
 */
export async function scoreUnitsInParallel(
  url: URL,
  job: NetworkUnits,
  waitForWorker = false,
): Promise<{ means: Float64Array; workerUnits: number }> {
  const init: CoalitionWorkerInit = {
    job: { ...job, X: sharedCopy(job.X), B: sharedCopy(job.B), units: sharedCopy(job.units) },
    next: new Int32Array(new SharedArrayBuffer(4)),
    out: new Float64Array(new SharedArrayBuffer(8 * job.units.length)),
    chunk: UNITS_PER_CLAIM,
  };
  const worker = new Worker(url, { workerData: init });
  try {
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const done = new Promise<number>((resolve, reject) => {
      worker.on('message', (message: { ready?: boolean; units?: number; error?: string }) => {
        if (message.ready === true) ready();
        else if (message.units !== undefined) resolve(message.units);
        else reject(new StewardError('WORKER_FAILED', message.error ?? 'A coalition worker failed.'));
      });
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(
          new StewardError('WORKER_FAILED', `A coalition worker exited with code ${code} before answering.`),
        ),
      );
    });
    done.catch(() => undefined);
    if (waitForWorker) await Promise.race([started, done]);
    drainUnits(init.job, init.next, init.out, init.chunk);
    const workerUnits = await done;
    return { means: init.out, workerUnits };
  } finally {
    await worker.terminate();
  }
}

/** `a` itself when it already lives in a SharedArrayBuffer, else a SharedArrayBuffer-backed copy. */
function sharedCopy<T extends Float64Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as unknown as ArrayLike<number>);
  return out;
}
