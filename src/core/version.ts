import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Steward's version, read once from the package's package.json. */
export function stewardVersion(): string {
  if (cached === undefined) {
    const here = dirname(fileURLToPath(import.meta.url));
    try {
      const pkg = JSON.parse(readFileSync(resolve(here, '..', '..', 'package.json'), 'utf8')) as {
        version?: string;
      };
      cached = pkg.version ?? '0.0.0';
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}
