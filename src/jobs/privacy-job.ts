import { existsSync } from 'node:fs';
import {
  type BinaryClassifier,
  BudgetExceededError,
  DataValidationError,
  type Matrix,
  Rng,
  take,
  takeRows,
} from '../core/index.js';
import {
  composeBasic,
  type DpSgdAccuracyCurve,
  defaultDpSgdDelta,
  dpSgdAccuracyCurve,
  lossThresholdAttack,
  type MembershipAuditResult,
  type PiiFileScan,
  type PrivacyCost,
  PrivacyLedger,
  type PrivacyLedgerEntry,
  scanPiiFile,
} from '../privacy/index.js';
import type { PrivacyConfig } from './config.js';
import { defaultDpLearningRate } from './dp-training.js';

/** The privacy settings of a run that has them. */
export type PrivacySettings = Exclude<PrivacyConfig, false>;

/** What the privacy analysis works on: the run's encoded split, its model and its input files. */
export interface PrivacyRunInput {
  /** Dataset name (the ledger's key). */
  dataset: string;
  /** The input files (scanned for PII). */
  files: readonly string[];
  /** Seed of the run (member sampling and DP-SGD's lots when not secure). */
  seed: number;
  /** The run's fitted model and its name. */
  model: BinaryClassifier;
  modelName: string;
  /** Hidden layers of the DP-SGD models ([] for logistic regression, like the run's model). */
  hiddenLayerSizes: readonly number[];
  /** Encoded training rows (members) and held-out rows (non-members). */
  train: { X: Matrix; y: Uint8Array };
  test: { X: Matrix; y: Uint8Array };
}

/** A membership attack on one named model. */
export type NamedMembershipAudit = MembershipAuditResult & { model: string };

/** The privacy analysis of a run, plain JSON. */
export interface PrivacyRunResult {
  /** DP-SGD accuracy per target ε and the same trainer without privacy (absent when turned off). */
  dpSgd?: DpSgdAccuracyCurve;
  /** Loss-threshold membership attacks on the run's model and each DP-SGD model. */
  membership: NamedMembershipAudit[];
  /** PII scans of the input files. */
  pii: PiiFileScan[];
  /** The budget, what is spent and every charge (this run's, plus earlier ones with a ledger file). */
  ledger: { file?: string; budget: PrivacyCost; spent: PrivacyCost; entries: PrivacyLedgerEntry[] };
  /** Things a reader must know (a file that could not be scanned, ...). */
  warnings: string[];
}

/** The budget, each DP-SGD model's δ and what the run's models cost at most (Σ target ε, Σ δ). */
export interface PrivacyPlan {
  budget: PrivacyCost;
  delta: number;
  cost: PrivacyCost;
}

/**
 * Resolves the defaults for n training rows: budget δ = the largest power of ten below 1/n (so the total
 * stays below 1/n, the usual ceiling), each DP-SGD model's δ a tenth of it; the cost is by basic composition.
 */
export function privacyPlan(settings: PrivacySettings, trainRows: number): PrivacyPlan {
  const budget = {
    epsilon: settings.budget.epsilon,
    delta: settings.budget.delta ?? defaultDpSgdDelta(trainRows),
  };
  if (settings.dpSgd === false) return { budget, delta: 0, cost: { epsilon: 0, delta: 0 } };
  const delta = settings.dpSgd.delta ?? Number((budget.delta / 10).toPrecision(12));
  return {
    budget,
    delta,
    cost: composeBasic(settings.dpSgd.epsilons.map((epsilon) => ({ epsilon, delta }))),
  };
}

/**
 * Refuses, before anything is trained, a run whose DP-SGD models could exceed the privacy budget:
 * the ledger file's remaining budget when `ledger` is set, else the configured budget.
 */
export async function checkPrivacyBudget(
  settings: PrivacySettings,
  dataset: string,
  trainRows: number,
): Promise<void> {
  const plan = privacyPlan(settings, trainRows);
  const cost = plan.cost;
  if (cost.epsilon === 0) return;
  // A missing ledger file is created by the run; a broken one is an error naming the file.
  const ledger =
    settings.ledger && existsSync(settings.ledger) ? await PrivacyLedger.open(settings.ledger) : undefined;
  const spent = ledger ? ledger.spent() : { epsilon: 0, delta: 0 };
  const budget = ledger ? ledger.budget : plan.budget;
  if (ledger && ledger.dataset !== dataset) {
    throw new DataValidationError(
      `The privacy ledger belongs to dataset '${ledger.dataset}', not '${dataset}'. Use one ledger file per dataset.`,
      { file: settings.ledger },
    );
  }
  if (ledger ? !ledger.canAfford(cost) : cost.epsilon > budget.epsilon || cost.delta > budget.delta) {
    throw new BudgetExceededError(
      `The privacy budget of dataset '${dataset}' (ε=${budget.epsilon}, δ=${budget.delta}${settings.ledger ? `, ledger '${settings.ledger}'` : ''}) cannot pay for this run's DP-SGD models (ε=${cost.epsilon}, δ=${cost.delta} for target ε ${settings.dpSgd === false ? '' : settings.dpSgd.epsilons.join(', ')}): ε=${spent.epsilon}, δ=${spent.delta} is already spent. Nothing was trained; lower 'privacy.dpSgd.epsilons', raise 'privacy.budget' or set "dpSgd": false.`,
    );
  }
}

/**
 * The privacy analysis of `steward run`: DP-SGD at each target ε (charged to the ledger), a
 * loss-threshold membership attack (Yeom et al. 2018) on the run's model, on each DP-SGD model and on
 * the same trainer without privacy (members: a seeded sample of training rows; non-members: as many
 * held-out rows), and a PII scan of the input files.
 */
export async function runPrivacyAnalysis(
  settings: PrivacySettings,
  input: PrivacyRunInput,
): Promise<PrivacyRunResult> {
  const warnings: string[] = [];
  const rows =
    settings.membership === false
      ? 0
      : Math.min(settings.membership.rows, input.train.X.rows, input.test.X.rows);
  const rng = new Rng(input.seed);
  const memberRows = rng.sortedSample(input.train.X.rows, rows);
  const nonMemberRows = rng.sortedSample(input.test.X.rows, rows);
  const members = { X: takeRows(input.train.X, memberRows), y: take(input.train.y, memberRows) };
  const nonMembers = { X: takeRows(input.test.X, nonMemberRows), y: take(input.test.y, nonMemberRows) };
  const membership: NamedMembershipAudit[] = [];
  const attack = async (model: BinaryClassifier, name: string) => {
    if (rows === 0) return;
    const { audit } = await lossThresholdAttack({ model, members, nonMembers });
    membership.push({ ...audit, model: name });
  };
  await attack(input.model, input.modelName);

  const charges: PrivacyLedgerEntry[] = [];
  const plan = privacyPlan(settings, input.train.X.rows);
  const ledger = settings.ledger
    ? await PrivacyLedger.openOrCreate({ file: settings.ledger, dataset: input.dataset, budget: plan.budget })
    : undefined;
  let dpSgd: DpSgdAccuracyCurve | undefined;
  if (settings.dpSgd !== false) {
    const d = settings.dpSgd;
    const delta = plan.delta;
    const layers =
      input.hiddenLayerSizes.length === 0
        ? 'logistic regression'
        : `MLP [${input.hiddenLayerSizes.join(', ')}]`;
    dpSgd = await dpSgdAccuracyCurve({
      Xtrain: input.train.X,
      ytrain: input.train.y,
      Xtest: input.test.X,
      ytest: input.test.y,
      epsilons: d.epsilons,
      delta,
      epochs: d.epochs,
      batchSize: d.batchSize,
      maxGradNorm: d.maxGradNorm,
      learningRate: d.learningRate ?? defaultDpLearningRate(input.hiddenLayerSizes),
      hiddenLayerSizes: input.hiddenLayerSizes,
      seed: input.seed,
      onModel: async (model, point) => {
        const name =
          point.epsilon === null
            ? `${layers}, same trainer without privacy`
            : `${layers}, DP-SGD ε=${point.epsilon}`;
        await attack(model, name);
        if (point.epsilon === null || point.epsilonSpent === null) return;
        const charge = {
          kind: 'training',
          description: `DP-SGD ${layers}, target ε=${point.epsilon}, ${point.epochs} epochs`,
          epsilon: point.epsilonSpent,
          delta,
          mechanism: 'dp-sgd (rdp accountant)',
        };
        charges.push(ledger ? await ledger.charge(charge) : { ...charge, time: new Date().toISOString() });
      },
    });
  }

  const pii: PiiFileScan[] = [];
  if (settings.pii !== false) {
    for (const file of input.files) {
      try {
        pii.push(await scanPiiFile(file, { maxRows: settings.pii.maxRows }));
      } catch (error) {
        if (!(error instanceof DataValidationError)) throw error;
        warnings.push(`The PII scan skipped '${file}': ${error.message}`);
      }
    }
  }
  const summary = ledger?.summary();
  return {
    ...(dpSgd ? { dpSgd } : {}),
    membership,
    pii,
    ledger: summary
      ? { file: summary.file, budget: summary.budget, spent: summary.spent, entries: summary.entries }
      : { budget: plan.budget, spent: composeBasic(charges), entries: charges },
    warnings,
  };
}
