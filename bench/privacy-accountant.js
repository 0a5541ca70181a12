// Times Steward's RDP accountant (Opacus's algorithm) on the figures issue 5 asks for:
//   node bench/privacy-accountant.js [--calls N]
// - epsilonForSgm for steps = 100,000 with the 151 default orders (goal: < 1 ms per call), for the
//   DP-SGD settings of the reference cases (MNIST tutorial σ = 1.1, q = 256/60000; Opacus's unit test
//   σ = 1.5, q = 0.04; Abadi et al. σ = 4, q = 0.01) and two small-σ worst cases (σ = 0.5 and 0.8),
//   whose fractional-order series runs longest. The cost does not depend on steps (RDP × steps).
// - noiseMultiplierFor (Opacus get_noise_multiplier, tolerance 0.01), which calls epsilonForSgm once
//   per bisection step.
// - prvEpsilon (Opacus PRVAccountant) on the MNIST tutorial case (T = 14062), timed over 3 calls.
// Each figure: a warm-up, then the median over 7 batches (PRV: 3) of the mean time per call. Prints one JSON line.
import { epsilonForSgm, noiseMultiplierFor, prvEpsilon } from '../dist/privacy/index.js';

const args = process.argv.slice(2);
const i = args.indexOf('--calls');
const calls = i < 0 ? 200 : Number(args[i + 1]);

function perCallMs(fn, n, batchCount = 7, warmup = Math.max(5, n / 10)) {
  for (let k = 0; k < warmup; k++) fn();
  const batches = [];
  for (let b = 0; b < batchCount; b++) {
    const t0 = performance.now();
    for (let k = 0; k < n; k++) fn();
    batches.push((performance.now() - t0) / n);
  }
  batches.sort((a, b) => a - b);
  return Number(batches[batchCount >> 1].toPrecision(3));
}

const STEPS = 100_000;
const settings = [
  { id: 'mnist_tutorial', noiseMultiplier: 1.1, sampleRate: 256 / 60000 },
  { id: 'opacus_unit_test', noiseMultiplier: 1.5, sampleRate: 0.04 },
  { id: 'abadi_2016', noiseMultiplier: 4, sampleRate: 0.01 },
  { id: 'small_sigma_0.8', noiseMultiplier: 0.8, sampleRate: 0.1 },
  { id: 'small_sigma_0.5', noiseMultiplier: 0.5, sampleRate: 0.004 },
];

const epsilon = {};
for (const s of settings) {
  const opts = { noiseMultiplier: s.noiseMultiplier, sampleRate: s.sampleRate, steps: STEPS, delta: 1e-5 };
  epsilon[s.id] = {
    ms_per_call: perCallMs(() => epsilonForSgm(opts), calls),
    epsilon: epsilonForSgm(opts).epsilon,
  };
}

const inverseOpts = { targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: 2250 };
const inverse = {
  ms_per_call: perCallMs(() => noiseMultiplierFor(inverseOpts), Math.max(5, Math.round(calls / 20))),
  noise_multiplier: noiseMultiplierFor(inverseOpts),
  case: 'ε = 8, δ = 1e-5, q = 0.04, 2250 steps (Opacus test: 1.416015625)',
};

const prvOpts = { noiseMultiplier: 1.1, sampleRate: 256 / 60000, steps: 14062, delta: 1e-5 };
const prv = {
  ms_per_call: perCallMs(() => prvEpsilon(prvOpts), 1, 3, 1),
  epsilon: prvEpsilon(prvOpts).epsilon,
  case: 'MNIST tutorial: σ = 1.1, q = 256/60000, 14062 steps (Opacus: 2.391743703391286)',
};

console.log(
  JSON.stringify({
    bench: 'privacy-accountant',
    node: process.version,
    steps: STEPS,
    orders: 151,
    epsilonForSgm: epsilon,
    noiseMultiplierFor: inverse,
    prvEpsilon: prv,
  }),
);
