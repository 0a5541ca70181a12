import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, steward, tempDir } from './cli-helpers.js';

/** Starts `steward serve --insecure-dev --port 0`; resolves with its stdout once it listens, or its exit. */
function serveUntilListening(
  args: string[],
): Promise<{ listening: boolean; stdout: string; code: number | null }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'steward.js'), 'serve', ...args], {
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stdout = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      stdout += String(d);
      if (/listening on http/.test(stdout)) {
        child.once('exit', (code) => resolve({ listening: true, stdout, code }));
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => {
      if (!/listening on http/.test(stdout)) resolve({ listening: false, stdout, code });
    });
  });
}

describe('steward keys create --rate/--burst (end to end)', () => {
  it('stores a per-key rate limit and refuses bad limits', () => {
    const keysFile = join(tempDir(), 'keys.json');
    const created = steward([
      'keys',
      'create',
      '--file',
      keysFile,
      '--scope',
      'predict',
      '--rate',
      '5',
      '--burst',
      '10',
    ]);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/rate 5\/s, burst 10/);
    const plain = steward(['keys', 'create', '--file', keysFile, '--scope', 'admin', '--rate', '2.5']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/rate 2.5\/s, burst 3/);
    const stored = JSON.parse(readFileSync(keysFile, 'utf8')).keys;
    expect(stored[0]).toMatchObject({ scope: 'predict', rate: 5, burst: 10 });
    expect(stored[1]).toMatchObject({ scope: 'admin', rate: 2.5 });
    expect(stored[1]).not.toHaveProperty('burst');
    const noRate = steward(['keys', 'create', '--file', keysFile, '--scope', 'predict', '--burst', '3']);
    expect(noRate.status).toBe(2);
    expect(noRate.stderr).toMatch(/'--burst' needs '--rate N'/);
    const badRate = steward(['keys', 'create', '--file', keysFile, '--scope', 'predict', '--rate', '0']);
    expect(badRate.status).toBe(2);
    expect(badRate.stderr).toMatch(/'--rate' flag must be a number > 0. Got '0'/);
    expect(JSON.parse(readFileSync(keysFile, 'utf8')).keys).toHaveLength(2);
  });
});

describe('steward keys signing-pair, keys sign-model and serve --public-key (end to end)', () => {
  it('starts with a good signature; refuses a flipped byte or a missing signature with exit 1', async () => {
    const dir = tempDir();
    const model = join(dir, 'german.onnx');
    const trained = steward(['train', '--dataset', 'german', '--out', model]);
    expect(trained.status, trained.stderr).toBe(0);
    const pair = steward(['keys', 'signing-pair', '--out', join(dir, 'sign')]);
    expect(pair.status, pair.stderr).toBe(0);
    const [privateKey, publicKey] = pair.stdout.trim().split('\n');
    expect(statSync(privateKey).mode & 0o777).toBe(0o600);
    const signed = steward(['keys', 'sign-model', '--model', model, '--private-key', privateKey]);
    expect(signed.status, signed.stderr).toBe(0);
    expect(signed.stdout.trim()).toBe(`${model}.sig`);

    const flags = ['--model', model, '--port', '0', '--insecure-dev', '--public-key', publicKey];
    const good = await serveUntilListening(flags);
    expect(good.listening).toBe(true);
    expect(good.stdout).toMatch(/model signature verified/);
    expect(good.code).toBe(0);

    const bytes = readFileSync(model);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(model, bytes);
    const tampered = steward(['serve', ...flags]);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/signature of model .*german\.onnx does not verify/);

    const unsigned = steward(['serve', ...flags.slice(0, 1), join(dir, 'nope.onnx'), ...flags.slice(2)]);
    expect(unsigned.status).toBe(1);
    writeFileSync(join(dir, 'copy.onnx'), bytes);
    const noSig = steward([
      'serve',
      '--model',
      join(dir, 'copy.onnx'),
      '--insecure-dev',
      '--public-key',
      publicKey,
    ]);
    expect(noSig.status).toBe(1);
    expect(noSig.stderr).toMatch(/has no signature file.*copy\.onnx\.sig/);
  });
});
