// Adds lockfile entries for optional platform packages (other OS/CPU builds of native binaries) that
// npm left out because they do not install on this machine; without them `npm ci` refuses the lockfile
// ("Missing: ... from lock file", npm/cli#4828, #8320). The registry mirror here does not serve other
// platforms' builds, so their version comes from the parent's exact optionalDependencies pin and
// os/cpu/libc from the package name (`...-linux-arm64-musl`); no URL or integrity is recorded (they are
// never downloaded on a machine that does not match). Run after changing dependencies:
//   node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${path}/node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (platform === undefined || !/^\d+\.\d+\.\d+/.test(range)) {
      throw new Error(
        `Cannot infer the platform of optional dependency ${name}@${range}; add its lockfile entry by hand.`,
      );
    }
    packages[key] = {
      version: range,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform entries`);

/** os, cpu and libc of a platform package from its name, e.g. `@biomejs/cli-linux-x64-musl`. */
function platformOf(name) {
  const m = /-(android|darwin|linux|win32|freebsd)-(arm64|x64|arm|ia32)(?:-(musl|gnu))?$/.exec(name);
  return m
    ? { os: m[1], cpu: m[2], libc: m[3] === 'musl' ? 'musl' : m[3] === 'gnu' ? 'glibc' : undefined }
    : undefined;
}
