import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { fromJsonNumber } from './audit-json.js';

/** Folder of the shared reference files (`STEWARD_SHARED` or ../shared from the working directory). */
export const REFERENCE_DIR = join(
  process.env.STEWARD_SHARED ?? resolve(process.cwd(), '../shared'),
  'reference',
  'fairness',
);

/** One reference case: AIF360 @34877916 and Fairlearn v0.12.0 values (see the folder's README.md). */
export interface ReferenceCase {
  case: string;
  data: string;
  label: string;
  positive: string;
  prediction: string;
  score: string;
  protected: string[];
  privileged: Record<string, string>;
  rows: number;
  metrics: Record<string, number | string>;
  groups: ({ group: Record<string, string> } & Record<string, unknown>)[];
  aif360_label_metrics: Record<string, number | string>;
}

/** Every case in the reference folder, with the path of its CSV. */
export function referenceCases(): (ReferenceCase & { csv: string })[] {
  return readdirSync(REFERENCE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const ref = JSON.parse(readFileSync(join(REFERENCE_DIR, f), 'utf8')) as ReferenceCase;
      return { ...ref, csv: join(REFERENCE_DIR, ref.data) };
    });
}

/**
 * The CLI flags that describe a reference case: label, favourable value, (prediction and score),
 * protected columns, privileged group and `--json`; callers add the command and the data source.
 */
export function referenceCaseFlags(ref: ReferenceCase, withPrediction = true): string[] {
  return [
    '--label',
    ref.label,
    '--positive',
    ref.positive,
    ...(withPrediction ? ['--prediction', ref.prediction, '--score', ref.score] : []),
    '--protected',
    ref.protected.join(','),
    '--privileged',
    Object.entries(ref.privileged)
      .map(([c, v]) => `${c}=${v}`)
      .join(','),
    '--json',
  ];
}

/** Relative tolerance every reference value must meet: |a − b| <= 1e-9 · max(|a|, |b|). */
export const RELATIVE_TOLERANCE = 1e-9;

/**
 * Relative error of `actual` against a reference value (a JSON number or "NaN"/"±Infinity"); 0 for
 * equal non-finite values, Infinity when only one side is finite or NaN.
 */
export function relativeError(actual: unknown, expected: unknown): number {
  const a = typeof actual === 'number' ? actual : fromJsonNumber(actual);
  const e = typeof expected === 'number' ? expected : fromJsonNumber(expected);
  if (Number.isNaN(e) || Number.isNaN(a))
    return Number.isNaN(e) && Number.isNaN(a) ? 0 : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e ? 0 : Number.POSITIVE_INFINITY;
  if (a === e) return 0;
  return Math.abs(a - e) / Math.max(Math.abs(a), Math.abs(e));
}

/**
 * Asserts that metrics and groups equal the reference's keys exactly and every value to 1e-9
 * relative (non-finite values exactly); returns the largest relative error seen.
 */
export function expectMatchesReference(
  ref: ReferenceCase,
  metrics: Record<string, unknown>,
  groups: readonly Record<string, unknown>[],
): number {
  let worst = 0;
  const check = (where: string, actual: unknown, expected: unknown) => {
    const err = relativeError(actual, expected);
    expect(
      err,
      `${ref.case} ${where}: got ${String(actual)}, reference ${String(expected)}`,
    ).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    worst = Math.max(worst, err);
  };
  expect(Object.keys(metrics)).toEqual(Object.keys(ref.metrics));
  for (const [k, v] of Object.entries(ref.metrics)) check(`metrics.${k}`, metrics[k], v);
  expect(groups.map((g) => g.group)).toEqual(ref.groups.map((g) => g.group));
  ref.groups.forEach((g, i) => {
    expect(Object.keys(groups[i])).toEqual(Object.keys(g));
    for (const [k, v] of Object.entries(g)) if (k !== 'group') check(`groups[${i}].${k}`, groups[i][k], v);
  });
  return worst;
}
