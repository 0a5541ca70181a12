// Does DP-SGD lower membership leakage? The memorisation audit of bench/membership.js (loss threshold,
// Yeom et al. 2018; LiRA online, Carlini et al. 2022) run against the SAME MLP [64] trained without
// privacy and with DP-SGD at ε = 8, 3, 1 (Abadi et al. 2016), same epochs, lot size and step size.
// Optional cases: ε = 30, and 'clip' (σ = 0, C = 1: clipping without noise, to separate the two effects).
// Protocol: bench/membership.js's seeded Adult pool (4,000 rows of adult.data, 2,000 members / 2,000
// non-members, encoder fitted on the pool); the target trains on the members with seed 1; LiRA's K shadow
// models are trained by the SAME procedure as the target (DP-SGD at the same target ε for a DP target),
// each on about half of the pool. δ = 1e-5 for both the DP-SGD accountant and the audit's bounds (95%
// Clopper–Pearson). DP-SGD runs with `secureNoise: false`: lots and noise come from the seed, so every
// figure is reproducible bit for bit (and such a model is NOT private against anyone who knows the seed;
// the bench measures the algorithm, which is what the guarantee is about).
// Sanity check: a DP model's held-out ε lower bound (a valid bound at its confidence) above the ε the
// accountant spent would mean a bug in the accountant, the trainer or the audit: the bench then exits 1.
// Build first (`npm run build`), then:
//   node bench/privacy-dp-membership.js [--shadows 16] [--cases mlp,dp0,8,3,1] (also: clip, 30) [--json]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DpSgdClassifier } from '../dist/privacy/index.js';
import { auditOnAdult, loadAdultPool, MODELS } from './membership.js';

const POOL = 4000;
const DELTA = 1e-5;
/** Shared by every trainer: the overfitting setting of bench/membership.js (150 epochs, batch 100, Adam 0.003). */
const EPOCHS = 150;
const BATCH = 100;
const LEARNING_RATE = 0.003;
const HIDDEN = [64];

/** A DP-SGD MLP [64] trainer with the given privacy options (targetEpsilon or noiseMultiplier, maxGradNorm). */
function dpSgdTrainer(privacy) {
  return (X, y, seed) =>
    new DpSgdClassifier({
      hiddenLayerSizes: HIDDEN,
      epochs: EPOCHS,
      batchSize: BATCH,
      learningRate: LEARNING_RATE,
      delta: DELTA,
      secureNoise: false,
      seed,
      ...privacy,
    }).fit(X, y);
}

/** The audited trainers, keyed by their --cases name. */
const CASES = {
  mlp: { name: 'MLPClassifier [64] (Adam, no privacy)', epsilon: Infinity, train: MODELS.mlp.train },
  dp0: {
    name: 'DpSgdClassifier [64], σ = 0, no clipping',
    epsilon: Infinity,
    train: dpSgdTrainer({ noiseMultiplier: 0, maxGradNorm: Number.MAX_VALUE }),
  },
  clip: {
    name: 'DpSgdClassifier [64], σ = 0, C = 1 (clipping only)',
    epsilon: Infinity,
    train: dpSgdTrainer({ noiseMultiplier: 0, maxGradNorm: 1 }),
  },
  ...Object.fromEntries(
    [30, 8, 3, 1].map((e) => [
      String(e),
      {
        name: `DpSgdClassifier [64], ε = ${e}, C = 1`,
        epsilon: e,
        train: dpSgdTrainer({ targetEpsilon: e, maxGradNorm: 1 }),
      },
    ]),
  ),
};

/** Wraps a trainer so that the first model it trains (the target: auditOnAdult trains it first) is kept. */
function keepingTarget(train) {
  const kept = { target: undefined };
  const wrapped = async (X, y, seed) => {
    const model = await train(X, y, seed);
    if (kept.target === undefined) kept.target = model;
    return model;
  };
  return { kept, wrapped };
}

const fmt = (v, digits = 3) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : v === Infinity ? '∞' : String(v);

/** Prints the audit rows as a Markdown table. */
function printTable(rows) {
  console.log(
    '| model | ε target | ε spent (σ) | train acc | test acc | attack | AUC | TPR@1%FPR | TPR@0.1%FPR | advantage | ε lb (max) | ε lb (held-out) | s |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const spent = r.sigma === undefined ? '—' : `${fmt(r.epsilonSpent, 2)} (σ = ${fmt(r.sigma, 3)})`;
    console.log(
      `| ${r.model} | ${fmt(r.epsilonTarget, 0)} | ${spent} | ${fmt(r.trainAcc)} | ${fmt(r.testAcc)} | ${r.attack} | ${fmt(r.auc)} | ${fmt(r.tprAt1PctFpr)} | ${fmt(r.tprAt01PctFpr)} | ${fmt(r.advantage)} | ${fmt(r.epsilonLowerBound, 2)} | ${fmt(r.epsilonLowerBoundHeldOut, 2)} | ${fmt(r.seconds, 1)} |`,
    );
  }
}

async function main() {
  const { values: args } = parseArgs({
    strict: false,
    options: {
      shadows: { type: 'string', default: '16' },
      cases: { type: 'string', default: 'mlp,dp0,8,3,1' },
      json: { type: 'boolean', default: false },
    },
  });
  const shadows = Number(args.shadows);
  const started = performance.now();
  const data = await loadAdultPool(POOL);
  const rows = [];
  const problems = [];
  for (const key of args.cases.split(',')) {
    const c = CASES[key];
    if (c === undefined) throw new Error(`Unknown case '${key}'; use ${Object.keys(CASES).join(', ')}.`);
    const { kept, wrapped } = keepingTarget(c.train);
    const results = await auditOnAdult(
      data,
      { name: c.name, train: wrapped },
      { shadows, variants: ['online'] },
    );
    const target = kept.target;
    const sigma = target.noiseMultiplier;
    const epsilonSpent = sigma === undefined ? undefined : target.epsilon;
    for (const r of results) {
      const row = { ...r, epsilonTarget: c.epsilon, epsilonSpent, sigma, roc: undefined };
      rows.push(row);
      if (Number.isFinite(c.epsilon)) {
        if (r.epsilonLowerBoundHeldOut > epsilonSpent) {
          problems.push(
            `BUG: ${c.name}, ${r.attack}: held-out ε lower bound ${r.epsilonLowerBoundHeldOut} > ε spent ${epsilonSpent}`,
          );
        } else if (r.epsilonLowerBound > epsilonSpent) {
          problems.push(
            `note: ${c.name}, ${r.attack}: the max-over-thresholds ε lower bound ${r.epsilonLowerBound} > ε spent ${epsilonSpent} (that maximum is not a valid bound; check the held-out one)`,
          );
        }
      }
    }
  }
  console.log(
    `Adult pool: ${POOL} of ${data.totalRows} rows (${POOL / 2} members, ${POOL / 2} non-members); MLP [64], ${EPOCHS} epochs, batch ${BATCH}, Adam ${LEARNING_RATE}; LiRA online, K = ${shadows} shadows trained like the target; δ = ${DELTA}, 95% Clopper–Pearson; DP-SGD secureNoise false (seeded). Total ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
  printTable(rows);
  if (args.json) for (const r of rows) console.log(JSON.stringify(r));
  for (const p of problems) console.log(p);
  if (problems.some((p) => p.startsWith('BUG'))) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
