import { InvalidParameterError } from '../../core/index.js';
import {
  epsilonForSgm,
  noiseMultiplierFor,
  PrivacyLedger,
  type PrivacyLedgerSummary,
} from '../../privacy/index.js';
import { fmt } from '../format.js';

/** Flags of `steward privacy epsilon`, as commander parses them. */
export interface PrivacyEpsilonFlags {
  noiseMultiplier?: string;
  sampleRate?: string;
  steps?: string;
  delta?: string;
  json?: boolean;
}

/** Flags of `steward privacy noise`. */
export interface PrivacyNoiseFlags {
  epsilon?: string;
  delta?: string;
  sampleRate?: string;
  steps?: string;
  json?: boolean;
}

/** Flags of `steward privacy ledger`. */
export interface PrivacyLedgerFlags {
  file?: string;
  json?: boolean;
}

/** Parses a numeric flag, checking it against `ok`; errors name the flag and the accepted range. */
function numberFlag(
  command: string,
  flag: string,
  raw: string | undefined,
  ok: (v: number) => boolean,
  range: string,
): number {
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!ok(value)) {
    const got = raw === undefined ? 'nothing' : `'${raw}'`;
    throw new InvalidParameterError(
      `The '--${flag}' option of 'steward privacy ${command}' must be ${range}. Got ${got} instead.`,
    );
  }
  return value;
}

const sampleRateFlag = (cmd: string, raw?: string) =>
  numberFlag(cmd, 'sample-rate', raw, (v) => v > 0 && v <= 1, 'a number in (0, 1]');
const deltaFlag = (cmd: string, raw?: string) =>
  numberFlag(cmd, 'delta', raw, (v) => v > 0 && v < 1, 'a number in (0, 1)');
const stepsFlag = (cmd: string, raw?: string) =>
  numberFlag(cmd, 'steps', raw, (v) => Number.isSafeInteger(v) && v >= 1, 'an integer >= 1');

/** JSON cannot hold Infinity: non-finite numbers are written as the strings "Infinity" / "NaN" (the reference files' convention). */
function jsonNumber(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

/** `steward privacy epsilon`: ε of the Sampled Gaussian Mechanism (Opacus RDP accountant, default orders). */
export async function privacyEpsilonCommand(flags: PrivacyEpsilonFlags): Promise<void> {
  const cmd = 'epsilon';
  const noiseMultiplier = numberFlag(
    cmd,
    'noise-multiplier',
    flags.noiseMultiplier,
    (v) => Number.isFinite(v) && v >= 0,
    'a finite number >= 0',
  );
  const sampleRate = sampleRateFlag(cmd, flags.sampleRate);
  const steps = stepsFlag(cmd, flags.steps);
  const delta = deltaFlag(cmd, flags.delta);
  const r = epsilonForSgm({ noiseMultiplier, sampleRate, steps, delta });
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ epsilon: jsonNumber(r.epsilon), alpha: jsonNumber(r.alpha) })}\n`,
    );
    return;
  }
  process.stdout.write(
    `ε = ${fmt(r.epsilon)} at δ = ${delta} (best RDP order α = ${r.alpha}) for σ = ${noiseMultiplier}, q = ${sampleRate}, ${steps} steps (RDP accountant, as Opacus)\n`,
  );
}

/** `steward privacy noise`: the noise multiplier reaching a target ε (Opacus get_noise_multiplier, tolerance 0.01). */
export async function privacyNoiseCommand(flags: PrivacyNoiseFlags): Promise<void> {
  const cmd = 'noise';
  const targetEpsilon = numberFlag(
    cmd,
    'epsilon',
    flags.epsilon,
    (v) => Number.isFinite(v) && v > 0,
    'a finite number > 0',
  );
  const delta = deltaFlag(cmd, flags.delta);
  const sampleRate = sampleRateFlag(cmd, flags.sampleRate);
  const steps = stepsFlag(cmd, flags.steps);
  const sigma = noiseMultiplierFor({ targetEpsilon, delta, sampleRate, steps });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ noise_multiplier: sigma })}\n`);
    return;
  }
  process.stdout.write(
    `noise multiplier σ = ${sigma} keeps ε <= ${targetEpsilon} at δ = ${delta} for q = ${sampleRate}, ${steps} steps (RDP accountant, as Opacus)\n`,
  );
}

/** `steward privacy ledger`: a privacy ledger's budget, spend and remaining budget. */
export async function privacyLedgerCommand(flags: PrivacyLedgerFlags): Promise<void> {
  if (flags.file === undefined || flags.file.trim() === '') {
    throw new InvalidParameterError("'steward privacy ledger' needs '--file FILE': the ledger's JSON file.");
  }
  const summary = (await PrivacyLedger.open(flags.file)).summary();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatLedger(summary));
}

/** Human-readable ledger summary. */
function formatLedger(s: PrivacyLedgerSummary): string {
  const pair = (c: { epsilon: number; delta: number }) => `ε = ${fmt(c.epsilon)}, δ = ${c.delta}`;
  const lines = [
    `privacy ledger of dataset '${s.dataset}' (${s.file}), basic composition`,
    `  budget:    ${pair(s.budget)}`,
    `  spent:     ${pair(s.spent)} in ${s.entries.length} charge(s)`,
    `  remaining: ${pair(s.remaining)}`,
  ];
  for (const e of s.entries) {
    lines.push(`  - ${e.time}  ${e.kind}  ${e.mechanism}  ${pair(e)}  ${e.description}`);
  }
  return `${lines.join('\n')}\n`;
}
