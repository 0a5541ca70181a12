import { InvalidParameterError } from '../core/index.js';
import { applyEncoder, displayPath, fitEncoder, openDataset, presetSpec } from '../data/index.js';
import {
  auditCounts,
  countCells,
  datasetMetrics,
  type MitigationFlag,
  type MitigationResult,
  mitigationFlags,
  mitigationSnapshot,
  Reweighing,
  type ReweighingWeights,
  reweighedCounts,
} from '../fairness/index.js';
import { checkSource, sqlCounts } from './audit-job.js';
import { createModel, encodeRows } from './train-pipeline.js';

/** Mitigation methods `steward mitigate --method` accepts. */
export const MITIGATION_METHODS = ['reweighing'] as const;

/** A mitigation method's name. */
export type MitigationMethod = (typeof MITIGATION_METHODS)[number];

/** Options of `mitigateJob`: what `steward mitigate` takes. */
export interface MitigateJobOptions {
  /** Method to run (see `MITIGATION_METHODS`). */
  method: string;
  /** CSV, Parquet or JSON file with the rows (or `db` and `table`). */
  data?: string;
  /** Database holding `table`: `duckdb:PATH` or a `postgres://` URL. */
  db?: string;
  /** Table or view in `db`. */
  table?: string;
  /** Label column. */
  label: string;
  /** Favourable label value, as written in the data. */
  positive: string;
  /** Protected columns, in order. */
  protected: string[];
  /** AIF360's privileged group: column → value (rows matching every pair). */
  privileged: Record<string, string>;
  /** Instance-weight column, multiplied into the counts. */
  weight?: string;
}

/** Label metrics (AIF360 `BinaryLabelDatasetMetric`) of the data before and after reweighing. */
export interface LabelParity {
  /** P(y = 1 | unprivileged) − P(y = 1 | privileged). */
  statistical_parity_difference: number;
  /** P(y = 1 | unprivileged) / P(y = 1 | privileged). */
  disparate_impact: number;
}

/** What `mitigateJob` returns for reweighing: the weights, the cells they came from, label parity and flags. */
export interface ReweighingJobResult {
  /** Always 'reweighing'. */
  method: 'reweighing';
  /** File (as displayed) or table the rows came from. */
  source?: string;
  /** Rows read. */
  rows: number;
  /** The privileged group. */
  privileged: Record<string, string>;
  /** The four weights, named as AIF360's. */
  weights: ReweighingWeights;
  /** Weighted row count of each (side × label) cell. */
  cells: ReweighingWeights;
  /** Label parity of the data, unweighted and reweighed (after: SPD 0, DI 1 up to rounding). */
  labelMetrics: { before: LabelParity; after: LabelParity };
  /** Seconds spent counting and fitting. */
  fitSeconds: number;
  /** Guard-rail flags (e.g. an empty cell). */
  flags: MitigationFlag[];
}

/** Checks `method` against `MITIGATION_METHODS`; an unknown one lists the available methods. */
export function checkMitigationMethod(method: string): MitigationMethod {
  if (!(MITIGATION_METHODS as readonly string[]).includes(method)) {
    throw new InvalidParameterError(
      `Unknown mitigation method '${method}'. The available methods are: ${MITIGATION_METHODS.join(', ')}.`,
    );
  }
  return method as MitigationMethod;
}

/**
 * Runs a mitigation on a dataset. For reweighing (Kamiran & Calders 2012) the counts come from one
 * GROUP BY in the engine (no rows in JavaScript), then w(g, y) = P(g)·P(y)/P(g, y).
 */
export async function mitigateJob(options: MitigateJobOptions): Promise<ReweighingJobResult> {
  if (checkMitigationMethod(options.method) !== 'reweighing') {
    throw new InvalidParameterError(
      `'--data' computes reweighing weights only. Got --method '${options.method}' instead.`,
    );
  }
  checkSource({ ...options, prediction: undefined, model: undefined });
  const t0 = performance.now();
  const counts = await sqlCounts({ ...options, prediction: undefined, score: undefined });
  const source = options.data !== undefined ? displayPath(options.data) : options.table;
  const reweighing = new Reweighing({ privileged: options.privileged }).fitCounts(counts, source);
  const fitSeconds = (performance.now() - t0) / 1000;
  const { weights, cells, flags } = reweighing.result;
  const parity = (c: typeof counts): LabelParity => {
    const d = datasetMetrics(c, options.privileged);
    return {
      statistical_parity_difference: d.label_statistical_parity_difference,
      disparate_impact: d.label_disparate_impact,
    };
  };
  return {
    method: 'reweighing',
    source,
    rows: counts.cells.reduce((s, c) => s + c.rows, 0),
    privileged: options.privileged,
    weights,
    cells,
    labelMetrics: {
      before: parity(counts),
      after: parity(reweighedCounts(counts, options.privileged, weights)),
    },
    fitSeconds,
    flags: [...flags],
  };
}

/** Options of `evaluateReweighing`: the mitigation.md protocol on a bundled dataset. */
export interface EvaluateReweighingOptions {
  /** Bundled dataset; only 'adult' has a protocol so far. */
  dataset: string;
  /** Seed of the split and the model; default 0. */
  seed?: number;
  /** Accuracy loss above which the result is flagged; default 0.05. */
  maxAccuracyLoss?: number;
}

/**
 * Reweighing end to end on the protocol of ../shared/reference/fairness/mitigation.md: Adult
 * (adult.data only, '?' rows dropped, fnlwgt dropped), one-hot + standardised features, 70/30
 * stratified split, LogisticRegression(C=1, maxIter=1000) fitted without and with the reweighing
 * weights of the training rows, both audited on the test rows (protected sex, Male privileged).
 */
export async function evaluateReweighing(options: EvaluateReweighingOptions): Promise<MitigationResult> {
  if (options.dataset !== 'adult') {
    throw new InvalidParameterError(
      `'--evaluate' has a protocol for the bundled dataset 'adult' only. Got '${options.dataset}' instead.`,
    );
  }
  const seed = options.seed ?? 0;
  const preset = presetSpec('adult');
  const paths = Array.isArray(preset.path) ? preset.path : [preset.path];
  const spec = { ...preset, path: paths[0], protectedAttributes: ['sex'], missing: 'drop' as const };
  const privileged = { sex: 'Male' };
  const ds = await openDataset(spec);
  try {
    await ds.split({ testFraction: 0.3, seed, stratifyBy: [spec.label] });
    const { numeric, categorical } = ds.featureColumns();
    const train = await ds.read([...numeric, ...categorical], 'train');
    const encoder = fitEncoder(train, { numeric, categorical, unknown: 'ignore', source: ds.source });
    const X = applyEncoder(encoder, train, ds.source);
    const y = await ds.labels('train');
    const Xtest = await encodeRows(ds, encoder, 'test');
    const yTest = await ds.labels('test');
    const sexTrain = (await ds.read(['sex'], 'train')).columns.sex as string[];
    const sexTest = (await ds.read(['sex'], 'test')).columns.sex as string[];
    const audit = async (sampleWeight?: Float64Array) => {
      const model = createModel({ type: 'logistic-regression', C: 1, maxIter: 1000, threads: 1 }, seed);
      await model.fit(X, y, sampleWeight ? { sampleWeight } : {});
      const predictions = await model.predict(Xtest);
      const counts = countCells({ labels: yTest, predictions, protected: { sex: sexTest } });
      return mitigationSnapshot(auditCounts(counts, { privileged }));
    };
    const before = await audit();
    const t0 = performance.now();
    const reweighing = new Reweighing({ privileged });
    const weights = reweighing.fitTransform({ labels: y, protected: { sex: sexTrain } });
    const after = await audit(weights);
    const fitSeconds = (performance.now() - t0) / 1000;
    return {
      method: 'reweighing',
      options: { dataset: 'adult', privileged, seed, testFraction: 0.3, weights: reweighing.weights },
      before,
      after,
      fitSeconds,
      flags: [
        ...reweighing.result.flags,
        ...mitigationFlags(before, after, { maxAccuracyLoss: options.maxAccuracyLoss }),
      ],
    };
  } finally {
    ds.close();
  }
}
