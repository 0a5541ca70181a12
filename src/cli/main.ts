import { Command, Option } from 'commander';
import { StewardError, stewardVersion } from '../core/index.js';
import type { DataFlags } from './flags.js';

/** Flags every data command shares. */
function withDataFlags(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'steward.config.json to read (flags override it)')
    .option('--dataset <name>', 'bundled dataset: adult, compas, compas-raw or german')
    .option('--data <file...>', 'CSV, Parquet or JSON file(s) instead of a bundled dataset')
    .option('--label <column>', 'label column (with --data)')
    .option('--positive <value>', 'positive (favourable) label value (with --data)')
    .option('--protected <columns>', 'protected attributes, comma-separated')
    .option('--features <columns>', 'feature columns, comma-separated (default: all but label and --ignore)')
    .option('--ignore <columns>', 'columns never used as features, comma-separated')
    .addOption(new Option('--missing <policy>', 'rows with blank/NA/NaN cells').choices(['drop', 'refuse']))
    .option('--json', 'machine-readable JSON on stdout');
}

/** Flags of the commands that train a model. */
function withModelFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--model <type>', 'model to train').choices(['logistic-regression', 'mlp']))
    .option('--C <value>', 'inverse L2 strength of logistic regression')
    .option('--hidden <sizes>', 'hidden layer sizes of the MLP, comma-separated')
    .option('--threads <n>', 'worker threads for training (1 or 2)')
    .option('--seed <n>', 'seed of the split and the model')
    .option('--test-fraction <f>', 'share of rows held out for evaluation')
    .addOption(
      new Option('--unknown <policy>', 'unseen categories at prediction time').choices(['ignore', 'error']),
    )
    .option('--dp-epsilon <e>', 'train with DP-SGD to this target ε (differential privacy)')
    .option('--dp-delta <d>', 'δ of DP-SGD (default: the largest power of ten below 1/rows)')
    .option('--dp-epochs <n>', 'epochs of DP-SGD (default 5)')
    .option('--ledger <file>', 'privacy budget ledger to charge the DP-SGD model to (refused if over budget)')
    .option('--budget-epsilon <e>', 'ε budget of a new --ledger file');
}

/** Lowercases the `--C` flag's key so commands see `c`. */
function dataFlags(opts: Record<string, unknown>): DataFlags & { json?: boolean } {
  const { C, ...rest } = opts;
  return { ...(rest as DataFlags), ...(C !== undefined ? { c: String(C) } : {}) };
}

/** Runs a command, printing StewardErrors as one clear line and exiting non-zero. */
async function execute(task: () => Promise<void>): Promise<void> {
  try {
    await task();
    process.exitCode = 0;
  } catch (error) {
    if (error instanceof StewardError) {
      process.stderr.write(`steward: error [${error.code}]: ${error.message}\n`);
      process.exitCode = error.code === 'INVALID_PARAMETER' ? 2 : 1;
    } else {
      process.stderr.write(
        `steward: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  }
}

/** Builds the `steward` command line (commands load their code only when run). */
export function buildProgram(): Command {
  const program = new Command('steward')
    .description('Steward: engineer AI systems that scale, stay affordable and can be trusted.')
    .version(stewardVersion())
    .showHelpAfterError();

  withModelFlags(withDataFlags(program.command('run')))
    .description('the main job: load, split, train, evaluate, export ONNX and write out/report.html')
    .option('--out <dir>', 'output folder (default: out)')
    .action((opts) => execute(async () => (await import('./commands/run.js')).runCommand(dataFlags(opts))));

  withModelFlags(withDataFlags(program.command('train')))
    .description('train the pipeline (encoders + model) and export it as one ONNX file')
    .requiredOption('--out <file>', 'where to write the .onnx model')
    .action((opts) =>
      execute(async () => (await import('./commands/train.js')).trainCommand(dataFlags(opts))),
    );

  program
    .command('predict')
    .description('score a CSV, Parquet or JSON file with a Steward ONNX model')
    .requiredOption('--model <file>', 'the .onnx model (exported by steward run or train)')
    .requiredOption('--data <file>', 'the rows to score')
    .option('--out <file>', 'write predictions to a .csv or .json file')
    .option('--threshold <p>', 'decision threshold (default: the model’s)')
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts) => execute(async () => (await import('./commands/predict.js')).predictCommand(opts)));

  withDataFlags(program.command('inspect'))
    .description('summarise a dataset: column kinds, missing values, label balance by protected group')
    .action((opts) =>
      execute(async () => (await import('./commands/inspect.js')).inspectCommand(dataFlags(opts))),
    );

  program
    .command('audit')
    .description('fairness audit: AIF360 and Fairlearn metrics of predictions (or labels) by protected group')
    .option('--data <file>', 'CSV, Parquet or JSON file with the rows')
    .option('--db <url>', 'database holding --table: duckdb:PATH or postgres://user@host:port/db')
    .option('--table <name>', 'table or view to audit (with --db)')
    .option('--label <column>', 'label column')
    .option('--positive <value>', 'favourable label value, as written in the data')
    .option(
      '--prediction <column>',
      'prediction column, in the label’s values (omit: audit the labels alone)',
    )
    .option('--score <column>', 'score column (probability of the favourable label), checked to be in [0, 1]')
    .option('--protected <columns>', 'protected columns, comma-separated')
    .option('--privileged <pairs>', 'privileged group (AIF360): COL=VALUE[,COL=VALUE...]')
    .option('--weight <column>', 'instance-weight column')
    .option('--model <file>', 'score the rows with this Steward ONNX model first')
    .option('--zero-division <rule>', 'value of x/0: reference (AIF360/Fairlearn, default), nan or zero')
    .option('--intervals <n>', 'bootstrap confidence intervals from n replicates (default: none)')
    .option('--confidence <level>', 'confidence level of the intervals (default 0.95)')
    .option('--seed <n>', 'seed of the bootstrap (default 0)')
    .option('--reference-shares <file>', 'CSV of expected group shares (columns + share): representativeness')
    .option(
      '--dp-epsilon <e>',
      'release the counts with ε-differential privacy first (discrete Laplace), so the audit can be published',
    )
    .option('--report <file>', 'also write a self-contained HTML report of the audit')
    .option('--json', 'machine-readable JSON on stdout')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/audit.js')).auditCommand(opts)));

  program
    .command('mitigate')
    .description('bias mitigation: run a method on a dataset and print its result')
    .option(
      '--method <name>',
      'mitigation method: reweighing, resampling, disparate-impact-remover, correlation-remover, exponentiated-gradient-dp, exponentiated-gradient-eo, reject-option, threshold-optimizer-dp, threshold-optimizer-eo, eq-odds, calibrated-eq-odds, or all (with --evaluate)',
    )
    .option('--data <file>', 'CSV, Parquet or JSON file with the rows')
    .option('--db <url>', 'database holding --table: duckdb:PATH or postgres://user@host:port/db')
    .option('--table <name>', 'table or view to read (with --db)')
    .option('--label <column>', 'label column')
    .option('--positive <value>', 'favourable label value, as written in the data')
    .option('--protected <columns>', 'protected columns, comma-separated')
    .option('--privileged <pairs>', 'privileged group (AIF360): COL=VALUE[,COL=VALUE...]')
    .option('--weight <column>', 'instance-weight column')
    .option(
      '--dataset <name>',
      'bundled dataset for --evaluate: adult or compas (the protocol of mitigation.md)',
    )
    .option('--evaluate', 'train LogisticRegression without and with the method; print before/after metrics')
    .option('--report <file>', 'with --method all --evaluate: write an HTML report of the method table')
    .option('--seed <n>', 'seed of the split and the model with --evaluate (default 0)')
    .option('--max-accuracy-loss <x>', 'flag the result when accuracy drops by more (default 0.05)')
    .option(
      '--test-rows <file>',
      'with --evaluate: JSON {"rows": [...]} of 1-based data rows forming the test side (e.g. a reference split)',
    )
    .option('--json', 'machine-readable JSON on stdout')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/mitigate.js')).mitigateCommand(opts)));

  program
    .command('explain')
    .description(
      'why a Steward ONNX model decided as it did on one row (SHAP, reasons, counterfactuals), or --global',
    )
    .requiredOption('--model <file>', 'the .onnx model (exported by steward run or train)')
    .requiredOption(
      '--data <file>',
      'CSV, Parquet or JSON file: the rows, and the population they are compared with',
    )
    .option('--row <n>', '1-based data row to explain')
    .option('--global', 'what the model relies on overall: mean |SHAP| per column')
    .option('--background <n>', 'background rows sampled from the file (default 100)')
    .option('--rows <n>', 'with --global: rows explained (default 200)')
    .addOption(new Option('--reference <kind>', 'reasons measured against').choices(['all', 'near-cutoff']))
    .option(
      '--immutable <columns>',
      'columns counterfactuals may not change (default: the protected attributes)',
    )
    .option('--count <n>', 'counterfactuals wanted (default 4)')
    .option('--seed <n>', 'seed of the samples and the search (default 0)')
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts) => execute(async () => (await import('./commands/explain.js')).explainCommand(opts)));

  const privacy = program
    .command('privacy')
    .description(
      'differential privacy: ε of DP-SGD (RDP accountant, as Opacus), noise for a target ε, budget ledgers',
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  privacy
    .command('epsilon')
    .description('ε spent by the Sampled Gaussian Mechanism (DP-SGD) after T steps, at δ')
    .option('--noise-multiplier <sigma>', 'noise standard deviation over the clipping norm (>= 0)')
    .option('--sample-rate <q>', 'Poisson sampling rate, batch size / dataset size, in (0, 1]')
    .option('--steps <n>', 'number of steps (integer >= 1)')
    .option('--delta <d>', 'target δ in (0, 1)')
    .option('--json', 'machine-readable JSON on stdout: {"epsilon", "alpha"}')
    .action((opts) =>
      execute(async () => (await import('./commands/privacy.js')).privacyEpsilonCommand(opts)),
    );
  privacy
    .command('noise')
    .description('the noise multiplier that keeps ε at most a target (Opacus get_noise_multiplier)')
    .option('--epsilon <e>', 'target ε (> 0)')
    .option('--delta <d>', 'target δ in (0, 1)')
    .option('--sample-rate <q>', 'Poisson sampling rate in (0, 1]')
    .option('--steps <n>', 'number of steps (integer >= 1)')
    .option('--json', 'machine-readable JSON on stdout: {"noise_multiplier"}')
    .action((opts) => execute(async () => (await import('./commands/privacy.js')).privacyNoiseCommand(opts)));
  privacy
    .command('ledger')
    .description('show a privacy budget ledger: budget, spent and remaining (ε, δ) and every charge')
    .option('--file <file>', 'the ledger JSON file')
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts) =>
      execute(async () => (await import('./commands/privacy.js')).privacyLedgerCommand(opts)),
    );

  const pii = program
    .command('pii')
    .description('personal data (PII): find it in the text columns of a file, or write a redacted copy')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  pii
    .command('scan')
    .description(
      'which text columns hold PII (email, phone, card, IBAN, SSN, IP, URL, date, crypto, person) and how much',
    )
    .argument('<file>', 'CSV, Parquet or JSON file')
    .option('--entities <list>', 'entity types to look for, comma-separated (default: all)')
    .option('--threshold <share>', 'a column holds PII when this share of its cells does (default 0.1)')
    .option('--min-score <s>', 'drop matches scoring below s (default 0.4)')
    .option('--json', 'machine-readable JSON on stdout')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((file, opts) =>
      execute(async () => (await import('./commands/pii.js')).piiScanCommand(file, opts)),
    );
  pii
    .command('redact')
    .description(
      'write a CSV copy with the PII in its text columns replaced, removed, masked, hashed or encrypted',
    )
    .argument('<file>', 'CSV, Parquet or JSON file')
    .option('--out <file>', 'the redacted CSV to write (never the input)')
    .option('--operator <name>', 'replace (default), redact, mask, hash or encrypt')
    .option(
      '--key-file <file>',
      'with encrypt: file holding the 32-byte key (hex or base64); else STEWARD_PII_KEY',
    )
    .option('--salt <s>', 'with hash: the salt (default: random for this run)')
    .option('--columns <list>', 'text columns to redact, comma-separated (default: all text columns)')
    .option('--entities <list>', 'entity types to redact, comma-separated (default: all)')
    .option('--min-score <s>', 'leave matches scoring below s (default 0.4)')
    .option('--json', 'machine-readable JSON on stdout')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((file, opts) =>
      execute(async () => (await import('./commands/pii.js')).piiRedactCommand(file, opts)),
    );

  program
    .command('serve')
    .description('serve a Steward ONNX model: Open Inference Protocol (v2) REST, /v1/decide, API keys')
    .option('--model <file>', 'the .onnx model (exported by steward train or run)')
    .option('--name <name>', 'model name in the URLs (default: the file name without .onnx)')
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--port <n>', 'port (default 8000; 0: any free port)')
    .option('--keys <file>', 'API keys file (steward keys create)')
    .option('--insecure-dev', 'no authentication (development only)')
    .option('--max-body <bytes>', 'largest request body (default 67108864, 64 MiB)')
    .option('--background <file>', 'CSV, Parquet or JSON rows: reference population for /v1/decide reasons')
    .option('--log <file>', 'hash-chained decision log (DuckDB file; default: no log)')
    .option('--log-inputs <policy>', 'what the log keeps of inputs: full, hash or none (default hash)')
    .option('--max-batch <n>', 'dynamic batching: most rows per ONNX call (default 64)')
    .option('--max-delay-us <n>', 'dynamic batching: longest wait of the oldest request, µs (default 500)')
    .option('--max-queue <n>', 'most queued rows before 429 (default 4096)')
    .option('--timeout-ms <n>', 'an infer request not answered in this time gets 504 (default 10000)')
    .option('--public-key <file>', 'refuse to start unless FILE.onnx.sig verifies with this Ed25519 key')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/serve.js')).serveCommand(opts)));
  const keysCommand = program
    .command('keys')
    .description('API keys and model signing keys of steward serve')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  keysCommand
    .command('create')
    .description('create an API key: printed once on stdout, only its SHA-256 stored in the file')
    .option('--file <file>', 'the keys file (created if missing)')
    .option('--scope <scope>', 'predict or admin')
    .option('--name <name>', 'a label for the key')
    .option('--rate <n>', 'rate limit: requests per second (default: unlimited)')
    .option('--burst <n>', 'rate limit: most requests at once (default: ceil(rate))')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/serve.js')).keysCreateCommand(opts)));
  keysCommand
    .command('sign-model')
    .description('sign a model file with Ed25519: writes FILE.onnx.sig (base64)')
    .option('--model <file>', 'the .onnx model to sign')
    .option('--private-key <file>', 'Ed25519 private key, PEM (steward keys signing-pair)')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/serve.js')).keysSignModelCommand(opts)));
  keysCommand
    .command('signing-pair')
    .description('write a new Ed25519 PEM key pair for model signing (private key mode 0600)')
    .option('--out <dir>', 'folder for steward-signing.key and steward-signing.pub')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) =>
      execute(async () => (await import('./commands/serve.js')).keysSigningPairCommand(opts)),
    );
  const logCommand = program
    .command('log')
    .description('the decision log of steward serve')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  logCommand
    .command('verify')
    .description('recompute the hash chain: exit 0 when intact, 1 naming the first bad entry')
    .option('--log <file>', 'the decision log (steward serve --log)')
    .option('--json', 'machine-readable JSON on stdout')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/log.js')).logVerifyCommand(opts)));
  logCommand
    .command('export')
    .description('write every entry, as stored, to a JSON Lines file (atomically)')
    .option('--log <file>', 'the decision log (steward serve --log)')
    .option('--out <file>', 'the .jsonl file to write')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/log.js')).logExportCommand(opts)));

  program
    .command('monitor')
    .description('drift report: data, prediction and fairness drift of a current sample against a reference')
    .option('--model <file>', 'the .onnx model (exported by steward train or run)')
    .option('--reference <file>', 'reference sample (training or audit data): CSV, Parquet or JSON')
    .option('--current <file>', 'current sample (recent traffic)')
    .option('--protected <a,b>', "protected attributes (default: the model's steward.protected_attributes)")
    .option(
      '--test <name>',
      'one drift test for all columns: ks, chisquare, z, wasserstein, jensenshannon, psi',
    )
    .option('--tolerance <x>', "largest tolerated change of a group's rate (default 0.05)")
    .option('--json', 'machine-readable JSON on stdout')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((opts) => execute(async () => (await import('./commands/monitor.js')).monitorCommand(opts)));

  return program;
}

/** Entry point of the `steward` binary. */
export async function main(argv = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
