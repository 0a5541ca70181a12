import type { Matrix } from '../core/index.js';
import { InvalidParameterError, takeRows } from '../core/index.js';
import { applyEncoder, displayPath, fitEncoder, openDataset, presetSpec } from '../data/index.js';
import {
  auditCounts,
  CalibratedEqOddsPostprocessing,
  CorrelationRemover,
  countCells,
  DemographicParity,
  DisparateImpactRemover,
  datasetMetrics,
  EqOddsPostprocessing,
  EqualizedOdds,
  ExponentiatedGradient,
  type MitigationFlag,
  type MitigationResult,
  type MitigationSnapshot,
  mitigationFlags,
  mitigationSnapshot,
  RejectOptionClassification,
  Reweighing,
  type ReweighingWeights,
  resampleCells,
  reweighedCounts,
  ThresholdOptimizer,
} from '../fairness/index.js';
import { checkSource, sqlCounts } from './audit-job.js';
import { createModel, encodeRows } from './train-pipeline.js';

/** Mitigation methods `steward mitigate --method` accepts (all but reweighing need `--dataset --evaluate`). */
export const MITIGATION_METHODS = [
  'reweighing',
  'resampling',
  'disparate-impact-remover',
  'correlation-remover',
  'exponentiated-gradient-dp',
  'exponentiated-gradient-eo',
  'reject-option',
  'threshold-optimizer-dp',
  'threshold-optimizer-eo',
  'eq-odds',
  'calibrated-eq-odds',
] as const;

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

/** Bundled datasets with a mitigation protocol (../shared/reference/fairness/mitigation.md). */
export const EVALUATION_DATASETS = ['adult', 'compas'] as const;

/** Options of `evaluateMitigations`. */
export interface EvaluateMitigationsOptions {
  /** Bundled dataset with a protocol: 'adult' (sex, Male privileged) or 'compas' (race, Caucasian privileged). */
  dataset: string;
  /** Methods to run, in order; default every method of `MITIGATION_METHODS`. */
  methods?: readonly string[];
  /** Seed of the split, the model and the randomised post-processors; default 0. */
  seed?: number;
  /** Accuracy loss above which a result is flagged; default 0.05. */
  maxAccuracyLoss?: number;
  /**
   * An explicit test side (1-based data rows of the dataset's file) instead of the seeded split, e.g.
   * the reference protocol's own split, to compare with its figures on identical rows.
   */
  testRows?: readonly number[];
}

/** Every evaluated method on one protocol run: the baseline once, then one result per method. */
export interface MitigationTable {
  /** The dataset's name. */
  dataset: string;
  /** Protected column and privileged group. */
  privileged: Record<string, string>;
  /** Seed of the split and the models. */
  seed: number;
  /** Training and test rows. */
  rows: { train: number; test: number };
  /** The baseline LogisticRegression's numbers on the test rows. */
  baseline: MitigationSnapshot;
  /** Seconds fitting the baseline model. */
  baselineFitSeconds: number;
  /** One result per method, in the order asked (each `before` is the baseline). */
  results: MitigationResult[];
}

/** The encoded protocol data: features, labels, groups and the baseline's scores, train and test. */
interface ProtocolData {
  readonly X: Matrix;
  readonly y: Uint8Array;
  readonly Xtest: Matrix;
  readonly yTest: Uint8Array;
  readonly groups: string[];
  readonly groupsTest: string[];
  readonly privTrain: Uint8Array;
  readonly privTest: Uint8Array;
  /** Encoded column indices of the numeric features (repaired by the disparate impact remover). */
  readonly numericColumns: number[];
  /** Encoded column indices of everything but the protected column's one-hot indicators. */
  readonly nonSensitiveColumns: number[];
}

/** The columns `keep` of a matrix, as a new matrix. */
function selectColumns(X: Matrix, keep: readonly number[]): Matrix {
  const out = new Float64Array(X.rows * keep.length);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < keep.length; k++) out[i * keep.length + k] = X.data[i * X.cols + keep[k]];
  }
  return { data: out, rows: X.rows, cols: keep.length };
}

/** The dataset spec, protected column and privileged value of a protocol of mitigation.md. */
function protocolSpec(dataset: string) {
  if (dataset === 'adult') {
    // adult.data only, rows with '?' dropped (30162), fnlwgt dropped by the preset.
    const preset = presetSpec('adult');
    const paths = Array.isArray(preset.path) ? preset.path : [preset.path];
    return {
      spec: { ...preset, path: paths[0], protectedAttributes: ['sex'], missing: 'drop' as const },
      column: 'sex',
      privileged: 'Male',
    };
  }
  if (dataset === 'compas') {
    // ProPublica filter, African-American vs Caucasian rows only (5278); favourable = no recidivism.
    const preset = presetSpec('compas');
    return {
      spec: {
        ...preset,
        where: `(${preset.where}) AND race IN ('African-American', 'Caucasian')`,
        protectedAttributes: ['race'],
        missing: 'drop' as const,
      },
      column: 'race',
      privileged: 'Caucasian',
    };
  }
  throw new InvalidParameterError(
    `'--evaluate' has a protocol for the bundled datasets 'adult' and 'compas' only. Got '${dataset}' instead.`,
  );
}

/**
 * Runs bias mitigations end to end on the protocol of ../shared/reference/fairness/mitigation.md:
 * the bundled dataset, one-hot + standardised features, a 70/30 stratified split, and
 * LogisticRegression(C=1, maxIter=1000) as the baseline, all done once. Then each method:
 * pre-processing (reweighing weights, disparate impact removal at repair level 1 of the numeric
 * features, correlation removal with alpha 1) refits the model; post-processing (reject option with
 * SPD within ±0.05, threshold optimizer for demographic parity or equalized odds, equalized odds,
 * calibrated equalized odds 'weighted') is fitted on the baseline's training scores and applied to
 * its test scores. Every result is audited on the test rows and carries the guard-rail flags.
 */
export async function evaluateMitigations(options: EvaluateMitigationsOptions): Promise<MitigationTable> {
  const { spec, column, privileged: privValue } = protocolSpec(options.dataset);
  const methods = (options.methods ?? MITIGATION_METHODS).map(checkMitigationMethod);
  const seed = options.seed ?? 0;
  const privileged = { [column]: privValue };
  const ds = await openDataset(spec);
  try {
    await ds.split({ testFraction: 0.3, seed, stratifyBy: [spec.label], testRows: options.testRows });
    const { numeric, categorical } = ds.featureColumns();
    const train = await ds.read([...numeric, ...categorical], 'train');
    const encoder = fitEncoder(train, { numeric, categorical, unknown: 'ignore', source: ds.source });
    const groups = ((await ds.read([column], 'train')).columns[column] as (string | number)[]).map(String);
    const groupsTest = ((await ds.read([column], 'test')).columns[column] as (string | number)[]).map(String);
    const data: ProtocolData = {
      X: applyEncoder(encoder, train, ds.source),
      y: await ds.labels('train'),
      Xtest: await encodeRows(ds, encoder, 'test'),
      yTest: await ds.labels('test'),
      groups,
      groupsTest,
      privTrain: Uint8Array.from(groups, (g) => (g === privValue ? 1 : 0)),
      privTest: Uint8Array.from(groupsTest, (g) => (g === privValue ? 1 : 0)),
      numericColumns: numeric.map((_, j) => j),
      nonSensitiveColumns: encoder.features.flatMap((f, j) => {
        const width = f.kind === 'numeric' ? 1 : f.categories.length;
        const start = encoder.features
          .slice(0, j)
          .reduce((n, g) => n + (g.kind === 'numeric' ? 1 : g.categories.length), 0);
        return f.column === column ? [] : Array.from({ length: width }, (_, k) => start + k);
      }),
    };
    const audit = (predictions: Uint8Array) =>
      mitigationSnapshot(
        auditCounts(
          countCells({ labels: data.yTest, predictions, protected: { [column]: data.groupsTest } }),
          { privileged },
        ),
      );
    // Expected confusion counts of randomised decisions: each row counted as ŷ = 1 with weight q and ŷ = 0 with 1 − q.
    const auditExpected = (probabilities: Float64Array) => {
      const n = probabilities.length;
      const labels = new Uint8Array(2 * n);
      labels.set(data.yTest);
      labels.set(data.yTest, n);
      const predictions = new Uint8Array(2 * n).fill(1, 0, n);
      const weights = new Float64Array(2 * n);
      weights.set(probabilities);
      for (let i = 0; i < n; i++) weights[n + i] = 1 - probabilities[i];
      const groups = [...data.groupsTest, ...data.groupsTest];
      return mitigationSnapshot(
        auditCounts(countCells({ labels, predictions, weights, protected: { [column]: groups } }), {
          privileged,
        }),
      );
    };
    const newModel = () =>
      createModel({ type: 'logistic-regression', C: 1, maxIter: 1000, threads: 1 }, seed);
    const fitModel = async (X: Matrix, sampleWeight?: Float64Array, y = data.y) => {
      const model = newModel();
      await model.fit(X, y, sampleWeight ? { sampleWeight } : {});
      return model;
    };
    const t0 = performance.now();
    const base = await fitModel(data.X);
    const baselineFitSeconds = (performance.now() - t0) / 1000;
    const scores = await base.predictProba(data.X);
    const scoresTest = await base.predictProba(data.Xtest);
    const baseline = audit(await base.predict(data.Xtest));
    const results: MitigationResult[] = [];
    for (const method of methods) {
      const t = performance.now();
      let predictions: Uint8Array;
      let probabilities: Float64Array | undefined;
      let extra: Record<string, unknown> = {};
      const flags: MitigationFlag[] = [];
      switch (method) {
        case 'reweighing': {
          const reweighing = new Reweighing({ privileged });
          const weights = reweighing.fitTransform({ labels: data.y, protected: { [column]: data.groups } });
          predictions = await (await fitModel(data.X, weights)).predict(data.Xtest);
          extra = { weights: reweighing.weights };
          flags.push(...reweighing.result.flags);
          break;
        }
        case 'resampling': {
          // Kamiran & Calders 2012, uniform sampling: every group × label cell resized to its expected size.
          const sample = resampleCells({ labels: data.y, groups: data.groups, seed });
          const y = Uint8Array.from(sample.indices, (i) => data.y[i]);
          predictions = await (await fitModel(takeRows(data.X, sample.indices), undefined, y)).predict(
            data.Xtest,
          );
          extra = { mode: sample.mode, cells: sample.cells };
          break;
        }
        case 'exponentiated-gradient-dp':
        case 'exponentiated-gradient-eo': {
          const dp = method === 'exponentiated-gradient-dp';
          const eg = await new ExponentiatedGradient({
            estimator: newModel,
            constraints: dp ? new DemographicParity() : new EqualizedOdds(),
            seed,
          }).fit(data.X, data.y, data.groups);
          predictions = await eg.predict(data.Xtest, seed);
          probabilities = await eg.predictProba(data.Xtest);
          extra = { constraint: dp ? 'demographic_parity' : 'equalized_odds', eps: 0.01, maxIter: 50 };
          break;
        }
        case 'disparate-impact-remover':
        case 'correlation-remover': {
          // The correlation remover drops the sensitive indicators from its output, as Fairlearn's does.
          const cr = method === 'correlation-remover';
          const remover = cr
            ? new CorrelationRemover({ alpha: 1 })
            : new DisparateImpactRemover({ repairLevel: 1, features: data.numericColumns });
          const pick = (X: Matrix) => (cr ? selectColumns(X, data.nonSensitiveColumns) : X);
          const X = remover.fitTransform(pick(data.X), data.groups);
          const model = await fitModel(X);
          predictions = await model.predict(remover.transform(pick(data.Xtest), data.groupsTest));
          extra = cr ? { alpha: 1, sensitiveColumnsDropped: true } : { repairLevel: 1, features: 'numeric' };
          break;
        }
        case 'reject-option': {
          const roc = new RejectOptionClassification({
            metric: 'statistical_parity_difference',
            metricLower: -0.05,
            metricUpper: 0.05,
          }).fit(scores, data.y, data.privTrain);
          predictions = roc.predict(scoresTest, data.privTest);
          extra = { metric: 'statistical_parity_difference', metricLower: -0.05, metricUpper: 0.05 };
          break;
        }
        case 'threshold-optimizer-dp':
        case 'threshold-optimizer-eo': {
          const constraint = method === 'threshold-optimizer-dp' ? 'demographic_parity' : 'equalized_odds';
          const to = new ThresholdOptimizer({ constraint }).fit(scores, data.y, data.groups);
          predictions = to.predict(scoresTest, data.groupsTest, seed);
          probabilities = to.predictProba(scoresTest, data.groupsTest);
          extra = { constraint };
          break;
        }
        case 'eq-odds': {
          const eo = new EqOddsPostprocessing().fit(scores, data.y, data.privTrain);
          predictions = eo.predict(scoresTest, data.privTest, seed);
          probabilities = eo.predictProba(scoresTest, data.privTest);
          break;
        }
        case 'calibrated-eq-odds': {
          const ceo = new CalibratedEqOddsPostprocessing({ costConstraint: 'weighted' }).fit(
            scores,
            data.y,
            data.privTrain,
          );
          predictions = ceo.predict(scoresTest, data.privTest, seed);
          probabilities = ceo.predictProba(scoresTest, data.privTest);
          extra = { costConstraint: 'weighted' };
          break;
        }
      }
      const fitSeconds = (performance.now() - t) / 1000;
      const after = audit(predictions);
      const expected = probabilities ? auditExpected(probabilities) : undefined;
      flags.push(
        ...mitigationFlags(baseline, expected ?? after, { maxAccuracyLoss: options.maxAccuracyLoss }),
      );
      results.push({
        method,
        options: { dataset: options.dataset, privileged, seed, testFraction: 0.3, ...extra },
        before: baseline,
        after,
        ...(expected ? { expected } : {}),
        fitSeconds,
        flags,
      });
    }
    return {
      dataset: options.dataset,
      privileged,
      seed,
      rows: { train: data.X.rows, test: data.Xtest.rows },
      baseline,
      baselineFitSeconds,
      results,
    };
  } finally {
    ds.close();
  }
}

/** Options of `evaluateReweighing`. */
export interface EvaluateReweighingOptions {
  /** Bundled dataset with a protocol ('adult' or 'compas'). */
  dataset: string;
  /** Seed of the split and the model; default 0. */
  seed?: number;
  /** Accuracy loss above which the result is flagged; default 0.05. */
  maxAccuracyLoss?: number;
}

/** Reweighing alone on the protocol of `evaluateMitigations` (its weights are in `options.weights`). */
export async function evaluateReweighing(options: EvaluateReweighingOptions): Promise<MitigationResult> {
  const table = await evaluateMitigations({ ...options, methods: ['reweighing'] });
  return table.results[0];
}
