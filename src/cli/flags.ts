import { InvalidParameterError } from '../core/index.js';
import { loadRunConfig, parseRunConfig, type RunConfig, type RunConfigInput } from '../jobs/index.js';

/** Data and model flags shared by run, train and inspect. */
export interface DataFlags {
  config?: string;
  dataset?: string;
  data?: string[];
  label?: string;
  positive?: string;
  protected?: string;
  features?: string;
  ignore?: string;
  missing?: string;
  unknown?: string;
  model?: string;
  c?: string;
  hidden?: string;
  threads?: string;
  seed?: string;
  testFraction?: string;
  out?: string;
  dpEpsilon?: string;
  dpDelta?: string;
  dpEpochs?: string;
  ledger?: string;
  budgetEpsilon?: string;
}

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new InvalidParameterError(`The '--${flag}' flag must be a number. Got '${value}' instead.`);
  }
  return n;
}

/**
 * Builds a validated run configuration from CLI flags: a config file (if given) is read first and
 * flags override it; the result goes through the same zod schema as the file.
 */
export async function configFromFlags(flags: DataFlags): Promise<RunConfig> {
  const base: RunConfigInput = flags.config ? await loadRunConfig(flags.config) : {};
  const input: Record<string, unknown> = { ...base };
  if (flags.dataset && flags.data) {
    throw new InvalidParameterError(
      "Use either '--dataset NAME' (a bundled preset) or '--data FILE', not both.",
    );
  }
  if (flags.dataset) input.dataset = flags.dataset;
  if (flags.data) {
    const missing = (['label', 'positive', 'protected'] as const).filter((k) => flags[k] === undefined);
    if (missing.length > 0) {
      throw new InvalidParameterError(
        `'--data' needs ${missing.map((m) => `'--${m}'`).join(', ')} too: the label column, its positive value and the protected attributes.`,
      );
    }
    input.dataset = {
      path: flags.data.length === 1 ? flags.data[0] : flags.data,
      label: flags.label,
      positiveLabel: flags.positive,
      protectedAttributes: list(flags.protected),
      ...(flags.features ? { features: list(flags.features) } : {}),
      ...(flags.ignore ? { ignore: list(flags.ignore) } : {}),
    };
  } else if (flags.protected) {
    input.protectedAttributes = list(flags.protected);
  }
  if (flags.missing) input.missing = flags.missing;
  if (flags.unknown) input.unknownCategories = flags.unknown;
  if (flags.seed !== undefined) input.seed = num('seed', flags.seed);
  if (flags.testFraction !== undefined) {
    input.split = { ...(base.split ?? {}), testFraction: num('test-fraction', flags.testFraction) };
  }
  if (flags.model || flags.c || flags.hidden || flags.threads) {
    const previous = (base.model ?? {}) as Record<string, unknown>;
    const type = flags.model ?? (previous.type as string | undefined) ?? 'logistic-regression';
    const model: Record<string, unknown> = type === previous.type ? { ...previous } : {};
    model.type = type;
    if (flags.c !== undefined) model.C = num('C', flags.c);
    if (flags.hidden !== undefined) model.hiddenLayerSizes = list(flags.hidden)?.map((h) => num('hidden', h));
    if (flags.threads !== undefined) model.threads = num('threads', flags.threads);
    input.model = model;
  }
  if (flags.dpEpsilon || flags.dpDelta || flags.dpEpochs || flags.ledger || flags.budgetEpsilon) {
    const dp: Record<string, unknown> = { ...((base.dp ?? {}) as Record<string, unknown>) };
    if (flags.dpEpsilon !== undefined) dp.epsilon = num('dp-epsilon', flags.dpEpsilon);
    if (dp.epsilon === undefined) {
      throw new InvalidParameterError(
        "'--dp-delta', '--dp-epochs', '--ledger' and '--budget-epsilon' set up DP-SGD training: give '--dp-epsilon E' too.",
      );
    }
    if (flags.dpDelta !== undefined) dp.delta = num('dp-delta', flags.dpDelta);
    if (flags.dpEpochs !== undefined) dp.epochs = num('dp-epochs', flags.dpEpochs);
    if (flags.ledger !== undefined) dp.ledger = flags.ledger;
    if (flags.budgetEpsilon !== undefined)
      dp.budget = { epsilon: num('budget-epsilon', flags.budgetEpsilon) };
    input.dp = dp;
  }
  if (flags.out) input.outDir = flags.out;
  return parseRunConfig(
    input,
    flags.config ? `'${flags.config}' and the command-line flags` : 'the command-line flags',
  );
}
