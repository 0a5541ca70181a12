/**
 * Worker-thread entry of `GradientPool`: builds the kernel once over the shared arrays in
 * `workerData`, then answers each `{ from, to }` message with the shard's loss, its gradient written
 * to the shared `grad` buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKernel } from './gradient-kernels.js';
import type { WorkerInit } from './gradient-pool.js';

const init = workerData as WorkerInit;
const kernel = createKernel(init.task, init);
parentPort?.on('message', (message: { from: number; to: number }) => {
  try {
    const loss = kernel.evaluate(message.from, message.to, init.grad);
    parentPort?.postMessage({ loss });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
