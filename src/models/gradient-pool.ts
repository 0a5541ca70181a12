import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describeValue, InvalidParameterError, type Matrix, StewardError } from '../core/index.js';
import { createKernel, type GradientKernel, type GradientTask, parameterCount } from './gradient-kernels.js';
import type { CsrMatrix } from './sparse-rows.js';

/** The most threads a gradient pool uses. */
export const MAX_THREADS = 2;

/** Throws InvalidParameterError unless `threads` is an integer in [1, MAX_THREADS]. */
export function checkThreads(owner: string, threads: number): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new InvalidParameterError(
      `The 'threads' option of ${owner} must be 1 or ${MAX_THREADS}. Got ${describeValue(threads)} instead.`,
    );
  }
  return threads;
}

/** Training data for a gradient pool. */
export interface PoolData {
  /** Features. */
  readonly X: Matrix;
  /** The same features in CSR form; when given, the kernels read these and `X.data` is not shared. */
  readonly csr?: CsrMatrix;
  /** 0/1 labels. */
  readonly y: Uint8Array;
  /** Weight per row. */
  readonly weights: Float64Array;
}

/** What the worker receives once (as `workerData`): the task and SharedArrayBuffer-backed arrays. */
export interface WorkerInit {
  /** What to compute. */
  readonly task: GradientTask;
  /** Shared features, rows × cols (empty when `csr` is given). */
  readonly X: Float64Array;
  /** Shared CSR features, if any. */
  readonly csr?: CsrMatrix;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Shared labels. */
  readonly y: Uint8Array;
  /** Shared weights. */
  readonly weights: Float64Array;
  /** Shared row order. */
  readonly order: Uint32Array;
  /** Shared parameters. */
  readonly params: Float64Array;
  /** This worker's shared gradient output. */
  readonly grad: Float64Array;
}

/**
 * Data-parallel loss and gradient: rows order[from..to) are split into `threads` contiguous shards;
 * shard 0 runs on the calling thread, the others on worker threads that got the design matrix once
 * through a SharedArrayBuffer. Partial gradients are added in shard order, so a given `threads` gives
 * the same numbers bit for bit whether or not real workers run. Call `close()` when done.
 */
export class GradientPool {
  /** Parameters the next `evaluate` uses; write them in place. */
  readonly params: Float64Array;
  /** Row order the shards index into; write it in place (starts as 0..rows−1). */
  readonly order: Uint32Array;
  /** Number of shards. */
  readonly threads: number;
  private readonly kernels: GradientKernel[];
  private readonly grads: Float64Array[];
  private readonly workers: WorkerShard[];

  private constructor(task: GradientTask, data: PoolData, threads: number, workerUrl: URL | undefined) {
    const { X, csr, y, weights } = data;
    const shared = workerUrl !== undefined && threads > 1;
    const nParams = parameterCount(task, X.cols);
    this.threads = threads;
    this.params = shared ? sharedCopy(new Float64Array(nParams)) : new Float64Array(nParams);
    const order = new Uint32Array(X.rows);
    for (let i = 0; i < X.rows; i++) order[i] = i;
    this.order = shared ? sharedCopy(order) : order;
    const base = {
      X: csr ? new Float64Array(0) : shared ? sharedCopy(X.data) : X.data,
      csr: csr && shared ? sharedCsr(csr) : csr,
      rows: X.rows,
      cols: X.cols,
      y: shared ? sharedCopy(y) : y,
      weights: shared ? sharedCopy(weights) : weights,
      order: this.order,
      params: this.params,
    };
    const kernelCount = shared ? 1 : threads;
    this.kernels = Array.from({ length: kernelCount }, () => createKernel(task, base));
    this.grads = Array.from({ length: threads }, (_, k) =>
      shared && k > 0 ? sharedCopy(new Float64Array(nParams)) : new Float64Array(nParams),
    );
    this.workers = [];
    if (shared) {
      for (let k = 1; k < threads; k++) {
        const init: WorkerInit = { task, ...base, grad: this.grads[k] };
        this.workers.push(new WorkerShard(new Worker(workerUrl, { workerData: init })));
      }
    }
  }

  /** Opens a pool of `threads` (1 or 2) shards; workers start only when running from built JavaScript. */
  static async open(task: GradientTask, data: PoolData, threads = 1): Promise<GradientPool> {
    checkThreads('GradientPool', threads);
    const pool = new GradientPool(task, data, threads, threads > 1 ? workerFile() : undefined);
    try {
      await Promise.all(pool.workers.map((w) => w.online));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** True when shards beyond the first run on worker threads (false from TypeScript sources or threads = 1). */
  get usesWorkers(): boolean {
    return this.workers.length > 0;
  }

  /** Writes Σ s_i·∇ℓ_i over rows order[from..to) into `grad` and resolves to Σ s_i·ℓ_i. */
  async evaluate(from: number, to: number, grad: Float64Array): Promise<number> {
    const T = this.threads;
    const bounds = Array.from({ length: T + 1 }, (_, k) => from + Math.floor((k * (to - from)) / T));
    const pending = this.workers.map((w, k) => w.run(bounds[k + 1], bounds[k + 2]));
    const losses = [this.kernels[0].evaluate(bounds[0], bounds[1], this.grads[0])];
    if (pending.length > 0) losses.push(...(await Promise.all(pending)));
    else
      for (let k = 1; k < T; k++)
        losses.push(this.kernels[k].evaluate(bounds[k], bounds[k + 1], this.grads[k]));
    grad.set(this.grads[0]);
    let loss = losses[0];
    for (let k = 1; k < T; k++) {
      const g = this.grads[k];
      for (let j = 0; j < grad.length; j++) grad[j] += g[j];
      loss += losses[k];
    }
    return loss;
  }

  /** Terminates the worker threads; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** One worker thread with at most one request in flight. */
class WorkerShard {
  readonly online: Promise<void>;
  private pending: { resolve: (loss: number) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private closing = false;

  constructor(private readonly worker: Worker) {
    this.online = new Promise((resolve, reject) => {
      worker.once('online', () => resolve());
      worker.once('error', reject);
    });
    this.online.catch(() => undefined);
    worker.on('message', (message: { loss?: number; error?: string }) => {
      const p = this.pending;
      this.pending = undefined;
      if (message.error !== undefined) p?.reject(new StewardError('WORKER_FAILED', message.error));
      else p?.resolve(message.loss ?? Number.NaN);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closing)
        this.fail(new StewardError('WORKER_FAILED', `A gradient worker exited with code ${code}.`));
    });
  }

  run(from: number, to: number): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ from, to });
    });
  }

  async terminate(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure = error;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(error);
  }
}

/** The built worker next to this module, or undefined when running from TypeScript sources (vitest). */
function workerFile(): URL | undefined {
  const here = import.meta.url;
  if (!here.endsWith('.js')) return undefined;
  const name = 'gradient-worker.js';
  const url = new URL(name, here);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

function sharedCsr(csr: CsrMatrix): CsrMatrix {
  return {
    rows: csr.rows,
    cols: csr.cols,
    indptr: sharedCopy(csr.indptr),
    indices: sharedCopy(csr.indices),
    values: sharedCopy(csr.values),
  };
}

/** `a` itself when it already lives in a SharedArrayBuffer, else a SharedArrayBuffer-backed copy. */
function sharedCopy<T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as unknown as ArrayLike<number>);
  return out;
}
