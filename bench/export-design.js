// Writes the Adult training design matrix (the one bench/train.js uses) as CSV for the Python
// anchor: node bench/export-design.js OUT.csv (last column y).
import { writeFileSync } from 'node:fs';
import { loadDesign } from './adult-design.js';

const out = process.argv[2] ?? 'bench/results/adult-design.csv';
const { X, y } = await loadDesign();
const lines = [];
for (let i = 0; i < X.rows; i++) {
  const row = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
  lines.push(`${row.join(',')},${y[i]}`);
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(JSON.stringify({ wrote: out, rows: X.rows, cols: X.cols }));
