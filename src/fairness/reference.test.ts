import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, sqlString } from '../data/index.js';
import { countCells } from './count-cells.js';
import { countCellsSql } from './count-cells-sql.js';
import { auditCounts } from './fairness-audit.js';
import { expectMatchesReference, referenceCases, relativeError } from './reference-cases.test-suite.js';

// Expected values: ../shared/reference/fairness/*.json, computed by AIF360 @34877916 and Fairlearn
// v0.12.0 (see that folder's README.md). Tolerance: 1e-9 relative; NaN and ±Infinity exactly.
const cases = referenceCases();
let engine: DataEngine;
const worst: Record<string, number> = {};

beforeAll(async () => {
  engine = await DataEngine.open();
});
afterAll(() => {
  engine.close();
  console.info(`largest relative error per reference case: ${JSON.stringify(worst)}`);
});

describe('fairness metrics against the AIF360 / Fairlearn reference cases', () => {
  it('finds all 8 reference cases', () => {
    expect(cases.map((c) => c.case).sort()).toHaveLength(8);
  });

  for (const ref of cases) {
    it(`${ref.case}: SQL engine on the CSV matches metrics and groups to 1e-9 relative`, async () => {
      const counts = await countCellsSql(engine, {
        from: { file: ref.csv },
        label: ref.label,
        positive: ref.positive,
        prediction: ref.prediction,
        score: ref.score,
        protected: ref.protected,
      });
      const audit = auditCounts(counts, { privileged: ref.privileged });
      expect(audit.rows).toBe(ref.rows);
      worst[ref.case] = expectMatchesReference(
        ref,
        audit.metrics as unknown as Record<string, unknown>,
        audit.groups as unknown as Record<string, unknown>[],
      );
      const labels = audit.datasetMetrics;
      for (const [k, v] of Object.entries(ref.aif360_label_metrics)) {
        expect(relativeError(labels[k as keyof typeof labels], v), `${ref.case} ${k}`).toBeLessThanOrEqual(
          1e-9,
        );
      }
    });

    it(`${ref.case}: the typed-array engine gives the same counts and audit as SQL`, async () => {
      const columns = [...ref.protected, ref.label, ref.prediction];
      const select = columns.map((c) => `trim(CAST("${c}" AS VARCHAR))`).join(', ');
      const read = await engine.columns(
        `SELECT ${select} FROM read_csv(${sqlString(ref.csv)}, header = true, all_varchar = true)`,
      );
      const text = read.values as string[][];
      const k = ref.protected.length;
      const counts = countCells({
        labels: text[k].map((v) => (v === ref.positive ? 1 : 0)),
        predictions: text[k + 1].map((v) => (v === ref.positive ? 1 : 0)),
        protected: Object.fromEntries(ref.protected.map((c, j) => [c, text[j]])),
      });
      const sql = await countCellsSql(engine, {
        from: { file: ref.csv },
        label: ref.label,
        positive: ref.positive,
        prediction: ref.prediction,
        protected: ref.protected,
      });
      expect(counts).toEqual(sql);
      const audit = auditCounts(counts, { privileged: ref.privileged });
      expectMatchesReference(
        ref,
        audit.metrics as unknown as Record<string, unknown>,
        audit.groups as unknown as Record<string, unknown>[],
      );
    });

    it(`${ref.case}: a labels-only audit matches aif360_label_metrics to 1e-9 relative`, async () => {
      const counts = await countCellsSql(engine, {
        from: { file: ref.csv },
        label: ref.label,
        positive: ref.positive,
        protected: ref.protected,
      });
      const audit = auditCounts(counts, { privileged: ref.privileged });
      const m = audit.metrics as unknown as Record<string, number>;
      const expected = {
        base_rate_privileged: ref.metrics.base_rate_privileged,
        base_rate_unprivileged: ref.metrics.base_rate_unprivileged,
        statistical_parity_difference: ref.aif360_label_metrics.label_statistical_parity_difference,
        disparate_impact: ref.aif360_label_metrics.label_disparate_impact,
      };
      expect(Object.keys(m)).toEqual(Object.keys(expected));
      for (const [key, v] of Object.entries(expected)) {
        expect(relativeError(m[key], v), `${ref.case} ${key}`).toBeLessThanOrEqual(1e-9);
      }
      ref.groups.forEach((g, i) => {
        expect(audit.groups[i].group).toEqual(g.group);
        expect(relativeError(audit.groups[i].base_rate, g.base_rate)).toBeLessThanOrEqual(1e-9);
      });
    });
  }
});
