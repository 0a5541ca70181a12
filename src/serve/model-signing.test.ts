import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEncoder, fitEncoder } from '../data/index.js';
import { LogisticRegression } from '../models/index.js';
import { exportPipelineToOnnx } from '../models/onnx/index.js';
import {
  loadSignedServedModel,
  SIGNING_KEY_FILES,
  signatureFile,
  signModelFile,
  verifyModelFile,
  writeSigningPair,
} from './model-signing.js';
import { toyBatch } from './serve-fixture.test-suite.js';

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'steward-sign-'));
  const keys = await writeSigningPair(join(dir, 'keys'));
  const model = join(dir, 'm.onnx');
  await writeFile(model, Buffer.from('model bytes \u0000\u0001 not really onnx'));
  return { dir, keys, model };
}

describe('Ed25519 model signing', () => {
  it('writes a PEM pair with a 0600 private key and refuses to overwrite it', async () => {
    const { dir, keys } = await setup();
    expect(keys.privateKey).toBe(join(dir, 'keys', SIGNING_KEY_FILES.privateKey));
    expect((await stat(keys.privateKey)).mode & 0o777).toBe(0o600);
    expect(await readFile(keys.privateKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await readFile(keys.publicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await expect(writeSigningPair(join(dir, 'keys'))).rejects.toThrow(/already exists/);
  });

  it('a good signature verifies; a flipped byte, a missing .sig or another key refuses', async () => {
    const { dir, keys, model } = await setup();
    const sig = await signModelFile(model, keys.privateKey);
    expect(sig).toBe(signatureFile(model));
    // Ed25519 signatures are 64 bytes (RFC 8032, section 5.1.6).
    expect(Buffer.from((await readFile(sig, 'utf8')).trim(), 'base64')).toHaveLength(64);
    const bytes = await verifyModelFile(model, keys.publicKey);
    expect(Buffer.from(bytes).equals(await readFile(model))).toBe(true);

    const original = await readFile(model);
    const flipped = Buffer.from(original);
    flipped[3] ^= 0x01;
    await writeFile(model, flipped);
    await expect(verifyModelFile(model, keys.publicKey)).rejects.toThrow(/does not verify/);
    await writeFile(model, original);

    const other = await writeSigningPair(join(dir, 'other'));
    await expect(verifyModelFile(model, other.publicKey)).rejects.toThrow(/does not verify/);

    const unsigned = join(dir, 'unsigned.onnx');
    await writeFile(unsigned, original);
    await expect(verifyModelFile(unsigned, keys.publicKey)).rejects.toThrow(
      /no signature file.*unsigned\.onnx\.sig/,
    );
  });

  it('refuses a key that is not Ed25519, and a missing key file', async () => {
    const { dir, model } = await setup();
    const rsa = join(dir, 'rsa.pem');
    const pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await writeFile(rsa, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(signModelFile(model, rsa)).rejects.toThrow(/must be an Ed25519 key. Got rsa/);
    await expect(signModelFile(model, join(dir, 'nope.pem'))).rejects.toThrow(
      /private key file was not found/,
    );
  });
});

describe('loadSignedServedModel', () => {
  it('loads a signed Steward model from the verified bytes', async () => {
    const { dir, keys } = await setup();
    const { batch, y } = toyBatch(100, 1);
    const encoder = fitEncoder(batch, { numeric: ['age', 'income'], categorical: ['color'] });
    const lr = await new LogisticRegression({ C: 1 }).fit(applyEncoder(encoder, batch), y);
    const model = join(dir, 'toy.onnx');
    await writeFile(model, exportPipelineToOnnx({ encoder, network: lr.toDenseNetwork() }));
    await signModelFile(model, keys.privateKey);
    const served = await loadSignedServedModel(model, keys.publicKey, { name: 'toy' });
    expect(served.name).toBe('toy');
    await served.model.dispose();
  });
});
