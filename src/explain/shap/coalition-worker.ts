/**
 * Worker-thread entry of `scoreUnitsInParallel`: posts `{ ready: true }`, claims and scores chunks of the
 * units in `workerData` (SharedArrayBuffer-backed) with `drainUnits` until none is left, then posts
 * `{ units }` (how many it scored) or `{ error }` and exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { drainUnits } from './coalition-assembly.js';
import type { CoalitionWorkerInit } from './coalition-pool.js';

const init = workerData as CoalitionWorkerInit;
parentPort?.postMessage({ ready: true });
try {
  const units = drainUnits(init.job, init.next, init.out, init.chunk);
  parentPort?.postMessage({ units });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
