// Times Steward's PII scanner: `node bench/pii.js` (build first). Prints one JSON line:
// - scanText throughput over the labelled set's texts (test/fixtures/pii/labelled.jsonl), as
//   cells per second and MB per second (median of 7 passes after a warm-up);
// - scanText on adversarial inputs (50,000-character runs that keep the regexes backtracking),
//   in ms, to show no pattern is super-linear;
// - scanPiiFile on a generated 20,000-row CSV with 4 text columns, wall time in seconds.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPiiFile, scanText } from '../dist/privacy/pii/index.js';

const texts = readFileSync(new URL('../test/fixtures/pii/labelled.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l).text);
const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);

function median(fn, passes = 7) {
  fn();
  const times = [];
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(passes / 2)];
}

const ms = median(() => {
  for (let r = 0; r < 10; r++) for (const t of texts) scanText(t);
});
const adversarial = {};
for (const [name, text] of Object.entries({
  word_chars: 'a'.repeat(50_000),
  dotted_labels: 'a.'.repeat(25_000),
  digits: '1'.repeat(50_000),
  digit_groups: '1234 '.repeat(10_000),
  capitalised: 'Mr. '.concat('Abc '.repeat(12_500)),
  email_like: 'a.b-c+'.repeat(8_000).concat('@'),
})) {
  adversarial[name] = Number(median(() => scanText(text), 3).toFixed(1));
}

const dir = mkdtempSync(join(tmpdir(), 'steward-pii-bench-'));
const lines = ['id,email,note,name,city'];
for (let i = 0; i < 20_000; i++) {
  lines.push(
    `${i},user${i}@example.com,"call (415) 555-${String(i % 10000).padStart(4, '0')} re order ${i}",Person ${i},City ${i % 50}`,
  );
}
const csv = join(dir, 'people.csv');
writeFileSync(csv, `${lines.join('\n')}\n`);
const t0 = performance.now();
await scanPiiFile(csv);
const fileSeconds = (performance.now() - t0) / 1000;

console.log(
  JSON.stringify({
    bench: 'pii',
    scanText: {
      cells: texts.length * 10,
      cellsPerSecond: Math.round((texts.length * 10) / (ms / 1000)),
      mbPerSecond: Number(((bytes * 10) / 1e6 / (ms / 1000)).toFixed(2)),
    },
    adversarialMs: adversarial,
    scanPiiFile: { rows: 20_000, textColumns: 4, seconds: Number(fileSeconds.toFixed(2)) },
  }),
);
