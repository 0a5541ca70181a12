import { basename } from 'node:path';
import { InvalidParameterError, Rng } from '../../core/index.js';
import { type ColumnBatch, PRESET_NAMES, presetSpec, readFileColumns } from '../../data/index.js';
import { takeBatchRows } from '../../explain/index.js';
import {
  checkScope,
  createKey,
  createServeApp,
  DEFAULT_BATCHER_OPTIONS,
  DEFAULT_MAX_BODY_BYTES,
  DecisionLog,
  defaultBurst,
  INPUT_POLICIES,
  type InputPolicy,
  type KeysFile,
  listen,
  loadServedModel,
  loadSignedServedModel,
  readKeysFile,
  signModelFile,
  writeSigningPair,
} from '../../serve/index.js';

/** Flags of `steward serve`, as commander parses them. */
export interface ServeFlags {
  model?: string;
  name?: string;
  host?: string;
  port?: string;
  keys?: string;
  insecureDev?: boolean;
  maxBody?: string;
  background?: string;
  log?: string;
  logInputs?: string;
  maxBatch?: string;
  maxDelayUs?: string;
  maxQueue?: string;
  timeoutMs?: string;
  publicKey?: string;
}

/** Flags of `steward keys create`. */
export interface KeysCreateFlags {
  file?: string;
  scope?: string;
  name?: string;
  rate?: string;
  burst?: string;
}

/** Most background rows kept for /v1/decide reasons (a seeded sample of larger files, as `steward explain`). */
const BACKGROUND_ROWS = 100;

function integerFlag(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new InvalidParameterError(
      `The '${flag}' flag must be an integer >= ${min}. Got '${value}' instead.`,
    );
  }
  return n;
}

/**
 * `steward serve`: serves a Steward ONNX model over the Open Inference Protocol (v2) and /v1/decide until
 * SIGINT or SIGTERM, then stops accepting, lets in-flight requests finish and resolves (exit code 0).
 */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  if (flags.model === undefined)
    throw new InvalidParameterError("'steward serve' needs '--model FILE.onnx'.");
  if (flags.keys === undefined && !flags.insecureDev) {
    throw new InvalidParameterError(
      "'steward serve' needs '--keys FILE' (create one with 'steward keys create --file FILE --scope predict'), or '--insecure-dev' to run without authentication on a development machine.",
    );
  }
  if (flags.keys !== undefined && flags.insecureDev) {
    throw new InvalidParameterError("Give either '--keys FILE' or '--insecure-dev', not both.");
  }
  const port = integerFlag('--port', flags.port, 8000, 0);
  if (port > 65535)
    throw new InvalidParameterError(`The '--port' flag must be at most 65535. Got ${port} instead.`);
  const maxBodyBytes = integerFlag('--max-body', flags.maxBody, DEFAULT_MAX_BODY_BYTES, 1);
  const d = DEFAULT_BATCHER_OPTIONS;
  const batching = {
    maxBatchSize: integerFlag('--max-batch', flags.maxBatch, d.maxBatchSize, 1),
    maxQueueDelayMicros: integerFlag('--max-delay-us', flags.maxDelayUs, d.maxQueueDelayMicros, 0),
    maxQueueRows: integerFlag('--max-queue', flags.maxQueue, d.maxQueueRows, 1),
    timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs, d.timeoutMs, 1),
  };
  const host = flags.host ?? '127.0.0.1';
  const logInputs = flags.logInputs ?? 'hash';
  if (!(INPUT_POLICIES as readonly string[]).includes(logInputs)) {
    throw new InvalidParameterError(
      `The '--log-inputs' flag must be one of ${INPUT_POLICIES.join(', ')}. Got '${logInputs}' instead.`,
    );
  }
  if (flags.logInputs !== undefined && flags.log === undefined) {
    throw new InvalidParameterError("'--log-inputs' needs '--log FILE'.");
  }
  const keys: KeysFile | undefined = flags.keys === undefined ? undefined : await readKeysFile(flags.keys);
  const name = flags.name ?? basename(flags.model).replace(/\.onnx$/i, '');
  const model =
    flags.publicKey === undefined
      ? await loadServedModel(flags.model, { name })
      : await loadSignedServedModel(flags.model, flags.publicKey, { name });
  let background: ColumnBatch | undefined;
  let log: DecisionLog | undefined;
  try {
    if (flags.background !== undefined) {
      // A bundled preset's own derived columns (German credit's sex, age_group), never SQL from the model file.
      const dataset = model.model.metadata['steward.dataset'];
      const derive =
        dataset !== undefined && (PRESET_NAMES as readonly string[]).includes(dataset)
          ? presetSpec(dataset).derive
          : undefined;
      const rows = await readFileColumns(
        flags.background,
        model.encoder.features.map((f) => ({ name: f.column, kind: f.kind })),
        { derive },
      );
      // KernelSHAP costs grow with the background: a seeded sample keeps /v1/decide near a second.
      background =
        rows.rows <= BACKGROUND_ROWS
          ? rows
          : takeBatchRows(rows, new Rng(0).sortedSample(rows.rows, BACKGROUND_ROWS));
    }
    if (flags.log !== undefined) {
      log = await DecisionLog.open(flags.log, { inputs: logInputs as InputPolicy });
    }
    const app = createServeApp({ models: [model], keys, maxBodyBytes, background, log, batching });
    const listener = await listen(app, { host, port });
    if (keys === undefined) {
      process.stderr.write(
        '\nsteward serve: WARNING: --insecure-dev: NO AUTHENTICATION. Anyone who can reach this port can call every route. Never use this outside a development machine.\n\n',
      );
    }
    // Handle SIGINT/SIGTERM before saying we listen: a script may signal as soon as it reads that line.
    const stopped = new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.stderr.write(`steward serve: ${signal}: finishing in-flight requests, then exiting.\n`);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // Together: the listener stops accepting and waits for in-flight requests while the batch
        // queues are scored at once (no delay wait); later infer requests on open connections get 503.
        void Promise.all([listener.close(), app.close()]).then(() => resolve());
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    // What was checked at start-up comes before "listening", the line scripts wait for.
    if (flags.publicKey !== undefined) {
      process.stdout.write(`steward serve: model signature verified with ${flags.publicKey}\n`);
    }
    if (log !== undefined) {
      process.stdout.write(`steward serve: decision log ${flags.log} (inputs: ${logInputs})\n`);
    }
    const where = `http://${host.includes(':') ? `[${host}]` : host}:${listener.port}`;
    process.stdout.write(`steward serve: model '${name}' listening on ${where}\n`);
    await stopped;
  } finally {
    await log?.close();
    await model.model.dispose();
  }
}

/** `steward keys create`: prints a new API key once (stdout) and stores only its SHA-256 in the keys file. */
export async function keysCreateCommand(flags: KeysCreateFlags): Promise<void> {
  if (flags.file === undefined) throw new InvalidParameterError("'steward keys create' needs '--file FILE'.");
  if (flags.scope === undefined) {
    throw new InvalidParameterError("'steward keys create' needs '--scope predict' or '--scope admin'.");
  }
  if (flags.burst !== undefined && flags.rate === undefined) {
    throw new InvalidParameterError("'--burst' needs '--rate N' (requests per second).");
  }
  let rate: number | undefined;
  if (flags.rate !== undefined) {
    rate = Number(flags.rate);
    if (flags.rate.trim() === '' || !Number.isFinite(rate) || rate <= 0) {
      throw new InvalidParameterError(`The '--rate' flag must be a number > 0. Got '${flags.rate}' instead.`);
    }
  }
  const burst = flags.burst === undefined ? undefined : integerFlag('--burst', flags.burst, 1, 1);
  const { key, stored } = await createKey(flags.file, checkScope(flags.scope), flags.name ?? '', {
    rate,
    burst,
  });
  process.stdout.write(`${key}\n`);
  const limited =
    stored.rate === undefined
      ? 'no rate limit'
      : `rate ${stored.rate}/s, burst ${stored.burst ?? defaultBurst(stored.rate)}`;
  process.stderr.write(
    `steward keys: key ${stored.id} (scope ${stored.scope}, ${limited}) added to ${flags.file}. It is shown only now: only its hash is stored.\n`,
  );
}

/** Flags of `steward keys sign-model`. */
export interface KeysSignModelFlags {
  model?: string;
  privateKey?: string;
}

/** `steward keys sign-model`: writes FILE.onnx.sig, the base64 Ed25519 signature of the model's bytes. */
export async function keysSignModelCommand(flags: KeysSignModelFlags): Promise<void> {
  if (flags.model === undefined) {
    throw new InvalidParameterError("'steward keys sign-model' needs '--model FILE.onnx'.");
  }
  if (flags.privateKey === undefined) {
    throw new InvalidParameterError(
      "'steward keys sign-model' needs '--private-key FILE' (create one with 'steward keys signing-pair --out DIR').",
    );
  }
  const out = await signModelFile(flags.model, flags.privateKey);
  process.stdout.write(`${out}\n`);
  process.stderr.write(
    `steward keys: signed ${flags.model}; serve it with '--public-key' to verify at load.\n`,
  );
}

/** `steward keys signing-pair`: writes a new Ed25519 PEM pair into a folder (private key mode 0600). */
export async function keysSigningPairCommand(flags: { out?: string }): Promise<void> {
  if (flags.out === undefined)
    throw new InvalidParameterError("'steward keys signing-pair' needs '--out DIR'.");
  const { privateKey, publicKey } = await writeSigningPair(flags.out);
  process.stdout.write(`${privateKey}\n${publicKey}\n`);
  process.stderr.write(
    `steward keys: Ed25519 pair written; keep ${privateKey} secret (mode 0600), give ${publicKey} to 'steward serve --public-key'.\n`,
  );
}
