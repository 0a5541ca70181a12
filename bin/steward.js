#!/usr/bin/env node
// Launcher of the `steward` command: runs the compiled CLI from dist/ (built by `npm install`'s prepare step).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'steward: the CLI is not built yet. Run `npm install` (or `npm run build`) in the Steward checkout.\n',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
