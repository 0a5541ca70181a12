import {
  BudgetExceededError,
  DataValidationError,
  InvalidParameterError,
  writeFilesAtomically,
} from '../../core/index.js';
import {
  checkCost,
  checkText,
  checkTime,
  PRIVACY_LEDGER_FORMAT,
  parseLedger,
  readText,
} from './ledger-file.js';

export { PRIVACY_LEDGER_FORMAT } from './ledger-file.js';

/** An (ε, δ) pair: a budget, a spend or what remains. */
export interface PrivacyCost {
  /** ε, ≥ 0. */
  epsilon: number;
  /** δ, in [0, 1). */
  delta: number;
}

/** One charge recorded in a ledger. */
export interface PrivacyLedgerEntry extends PrivacyCost {
  /** When it was charged (ISO 8601). */
  time: string;
  /** What kind of release: e.g. 'query', 'training', 'release'. */
  kind: string;
  /** Human description ("DP count of rows by sex", "DP-SGD logistic regression, 20 epochs"). */
  description: string;
  /** Mechanism that spent it: e.g. 'laplace', 'gaussian', 'dp-sgd (rdp accountant)'. */
  mechanism: string;
}

/** What a caller passes to {@link PrivacyLedger.charge}; `time` defaults to now. */
export type PrivacyCharge = Omit<PrivacyLedgerEntry, 'time'> & { time?: string };

/** Plain JSON-serialisable state of a ledger, for reports and `steward privacy ledger --json`. */
export interface PrivacyLedgerSummary {
  /** Path of the ledger file. */
  file: string;
  /** Dataset the budget protects. */
  dataset: string;
  /** Composition rule used to add spends: 'basic' (sums of ε and of δ). */
  composition: 'basic';
  /** Total budget. */
  budget: PrivacyCost;
  /** Composed spend of every entry. */
  spent: PrivacyCost;
  /** budget − spent, clamped at 0. */
  remaining: PrivacyCost;
  /** Every charge, oldest first. */
  entries: PrivacyLedgerEntry[];
}

/** Relative slack allowed when comparing a composed spend with the budget (absorbs 0.1 + 0.2 ≠ 0.3). */
export const LEDGER_RELATIVE_SLACK = 1e-12;

/** Basic composition (Dwork & Roth 2014, Thm. 3.16): k mechanisms with (ε_i, δ_i) give (Σε_i, Σδ_i). */
export function composeBasic(costs: readonly PrivacyCost[]): PrivacyCost {
  let epsilon = 0;
  let delta = 0;
  for (const c of costs) {
    epsilon += c.epsilon;
    delta += c.delta;
  }
  return { epsilon, delta };
}

/**
 * A persisted privacy budget for one dataset: every DP query or training run is charged to it and a
 * charge that would push the composed spend past the budget is refused with BudgetExceededError,
 * leaving the file untouched. Spends compose by basic composition (sum of ε, sum of δ), which is valid
 * for any mix of mechanisms; tighter accounting (RDP) belongs inside one training run, whose final
 * (ε, δ) is then charged as one entry. The file is rewritten atomically on each charge.
 */
export class PrivacyLedger {
  private constructor(
    /** Path of the ledger file. */
    readonly file: string,
    /** Dataset the budget protects. */
    readonly dataset: string,
    /** Total budget. */
    readonly budget: PrivacyCost,
    private entries: PrivacyLedgerEntry[],
  ) {}

  /** Creates a new, empty ledger and writes it; refuses to overwrite an existing file. */
  static async create(options: {
    file: string;
    dataset: string;
    budget: PrivacyCost;
  }): Promise<PrivacyLedger> {
    const owner = 'PrivacyLedger.create';
    checkText(owner, 'file', options.file);
    checkText(owner, 'dataset', options.dataset);
    checkCost(owner, 'budget.', options.budget ?? {}, 'open');
    if ((await readText(options.file)) !== undefined) {
      throw new InvalidParameterError(
        `The ledger file '${options.file}' already exists. Open it with PrivacyLedger.open, or choose another path.`,
      );
    }
    const budget = { epsilon: options.budget.epsilon, delta: options.budget.delta };
    const ledger = new PrivacyLedger(options.file, options.dataset, budget, []);
    await ledger.save();
    return ledger;
  }

  /** Loads and validates a ledger file; errors name the file and the offending field. */
  static async open(file: string): Promise<PrivacyLedger> {
    checkText('PrivacyLedger.open', 'file', file);
    const text = await readText(file);
    if (text === undefined) {
      throw new DataValidationError('The privacy ledger file does not exist; create it first.', { file });
    }
    const parsed = parseLedger(file, text);
    return new PrivacyLedger(file, parsed.dataset, parsed.budget, parsed.entries);
  }

  /** Opens the ledger at `file` if it exists (its budget must equal `budget`), or creates it. */
  static async openOrCreate(options: {
    file: string;
    dataset: string;
    budget: PrivacyCost;
  }): Promise<PrivacyLedger> {
    if ((await readText(options.file)) === undefined) return PrivacyLedger.create(options);
    const ledger = await PrivacyLedger.open(options.file);
    const b = options.budget;
    if (
      ledger.budget.epsilon !== b?.epsilon ||
      ledger.budget.delta !== b?.delta ||
      ledger.dataset !== options.dataset
    ) {
      throw new InvalidParameterError(
        `The ledger file '${options.file}' holds dataset '${ledger.dataset}' with budget ε=${ledger.budget.epsilon}, δ=${ledger.budget.delta}, not dataset '${options.dataset}' with ε=${b?.epsilon}, δ=${b?.delta}. A budget is never changed silently; use another file.`,
      );
    }
    return ledger;
  }

  /** Every charge so far, oldest first (copies). */
  get history(): PrivacyLedgerEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Composed spend of every entry (basic composition). */
  spent(): PrivacyCost {
    return composeBasic(this.entries);
  }

  /** What is left of the budget: budget − spent, clamped at 0. */
  remaining(): PrivacyCost {
    const s = this.spent();
    return {
      epsilon: Math.max(0, this.budget.epsilon - s.epsilon),
      delta: Math.max(0, this.budget.delta - s.delta),
    };
  }

  /** Whether `cost` can still be charged without exceeding the budget. */
  canAfford(cost: PrivacyCost): boolean {
    const after = composeBasic([...this.entries, cost]);
    return withinBudget(after.epsilon, this.budget.epsilon) && withinBudget(after.delta, this.budget.delta);
  }

  /**
   * Records a spend and saves the file atomically. Re-reads the file first so that charges made by
   * another process since `open` count; throws BudgetExceededError (writing nothing) when the composed
   * spend would exceed the budget.
   */
  async charge(charge: PrivacyCharge): Promise<PrivacyLedgerEntry> {
    const owner = 'PrivacyLedger.charge';
    checkCost(owner, '', charge, 'open');
    const entry: PrivacyLedgerEntry = {
      time: charge.time === undefined ? new Date().toISOString() : checkTime(owner, charge.time),
      kind: checkText(owner, 'kind', charge.kind),
      description: checkText(owner, 'description', charge.description),
      epsilon: charge.epsilon,
      delta: charge.delta,
      mechanism: checkText(owner, 'mechanism', charge.mechanism),
    };
    const onDisk = await readText(this.file);
    if (onDisk !== undefined) this.entries = parseLedger(this.file, onDisk).entries;
    if (!this.canAfford(entry)) {
      const s = this.spent();
      const r = this.remaining();
      throw new BudgetExceededError(
        `The privacy budget of dataset '${this.dataset}' (ε=${this.budget.epsilon}, δ=${this.budget.delta}, ledger '${this.file}') cannot pay for '${entry.description}' (ε=${entry.epsilon}, δ=${entry.delta}): ε=${s.epsilon}, δ=${s.delta} is already spent and only ε=${r.epsilon}, δ=${r.delta} remains. Nothing was recorded; lower the cost or use a new dataset budget.`,
      );
    }
    this.entries.push(entry);
    await this.save();
    return { ...entry };
  }

  /** Plain JSON-serialisable summary for reports. */
  summary(): PrivacyLedgerSummary {
    return {
      file: this.file,
      dataset: this.dataset,
      composition: 'basic',
      budget: { ...this.budget },
      spent: this.spent(),
      remaining: this.remaining(),
      entries: this.history,
    };
  }

  /** Writes the ledger atomically (a reader never sees a half-written file). */
  async save(): Promise<void> {
    const doc = {
      format: PRIVACY_LEDGER_FORMAT,
      version: 1,
      dataset: this.dataset,
      composition: 'basic',
      budget: this.budget,
      entries: this.entries,
    };
    await writeFilesAtomically([{ path: this.file, contents: `${JSON.stringify(doc, null, 2)}\n` }]);
  }
}

function withinBudget(value: number, budget: number): boolean {
  return value <= budget * (1 + LEDGER_RELATIVE_SLACK);
}
