import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Folder of the shared reference files (`STEWARD_SHARED` or ../shared from the working directory). */
export const sharedRoot = process.env.STEWARD_SHARED ?? resolve(process.cwd(), '../shared');

/** One `kind: "epsilon"` case of ../shared/reference/privacy/rdp.json (Opacus compute_rdp + get_privacy_spent). */
export interface EpsilonCase {
  id: string;
  kind: 'epsilon';
  noise_multiplier: number;
  sample_rate: number;
  steps: number;
  delta: number;
  epsilon: number | 'Infinity';
  best_alpha: number;
  best_alpha_at_boundary: boolean;
  rdp?: Record<string, number>;
}

/** One `kind: "inverse"` case (Opacus get_noise_multiplier). */
export interface InverseCase {
  id: string;
  kind: 'inverse';
  target_epsilon: number;
  delta: number;
  sample_rate: number;
  steps: number;
  epsilon_tolerance: number;
  noise_multiplier: number;
  epsilon_at_noise_multiplier: number;
  best_alpha_at_noise_multiplier: number;
}

/** Reads ../shared/reference/privacy/rdp.json. */
export function privacyReference(): Array<EpsilonCase | InverseCase> {
  const path = resolve(sharedRoot, 'reference/privacy/rdp.json');
  return JSON.parse(readFileSync(path, 'utf8')) as Array<EpsilonCase | InverseCase>;
}

/** |a − b| / |b| (0 when both are equal, including both infinite). */
export function relativeError(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.abs(b);
}
