// Prints vitest's totals as "N passed, N failed" (a failed step before vitest counts as one failure).
import { existsSync, readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
if (!existsSync(file)) {
  console.log('npm test stopped before the test runner (lint, format, typecheck or build failed)');
  console.log(`0 passed, ${Number(status) === 0 ? 0 : 1} failed`);
} else {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const failed =
    r.numFailedTests +
    (r.numRuntimeErrorTestSuites ?? 0) +
    (Number(status) !== 0 && r.numFailedTests === 0 ? 1 : 0);
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
