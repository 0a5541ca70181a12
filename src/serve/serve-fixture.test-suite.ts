import { Rng } from '../core/index.js';
import { applyEncoder, type ColumnBatch, fitEncoder } from '../data/index.js';
import { LogisticRegression } from '../models/index.js';
import { exportPipelineToOnnx, OnnxClassifier } from '../models/onnx/index.js';
import { hashKey, type KeysFile } from './api-keys.js';
import { type ServedModel, servedModel } from './served-model.js';

const COLORS = ['red', 'green', 'blue'];

/** A toy applicant table: age and income (numbers), colour (category), label depending on all three. */
export function toyBatch(rows: number, seed: number): { batch: ColumnBatch; y: Uint8Array } {
  const rng = new Rng(seed);
  const age = Float64Array.from({ length: rows }, () => 20 + Math.floor(rng.next() * 50));
  const income = Float64Array.from({ length: rows }, () => 1000 + rng.next() * 4000);
  const color = Array.from({ length: rows }, () => COLORS[Math.floor(rng.next() * COLORS.length)]);
  const y = Uint8Array.from({ length: rows }, (_, i) =>
    0.04 * (age[i] - 45) + 0.001 * (income[i] - 3000) + (color[i] === 'red' ? -0.8 : 0.4) + rng.normal() > 0
      ? 1
      : 0,
  );
  return { batch: { rows, columns: { age, income, color } }, y };
}

/** A served logistic-regression pipeline trained on `toyBatch(200, 1)`, exported to ONNX and reloaded. */
export async function toyServedModel(): Promise<ServedModel> {
  const { batch, y } = toyBatch(200, 1);
  const encoder = fitEncoder(batch, { numeric: ['age', 'income'], categorical: ['color'], unknown: 'error' });
  const lr = await new LogisticRegression({ C: 1 }).fit(applyEncoder(encoder, batch), y);
  const bytes = exportPipelineToOnnx({
    encoder,
    network: lr.toDenseNetwork(),
    metadata: { 'steward.threshold': '0.4', 'steward.positive_label': 'good' },
  });
  return servedModel(await OnnxClassifier.load(bytes), { name: 'toy' });
}

/** Fixed test keys (never used outside tests) and the keys file holding only their hashes. */
export const PREDICT_KEY = 'stw_test-predict-key';
/** An admin key for tests. */
export const ADMIN_KEY = 'stw_test-admin-key';
/** The keys file of the two test keys. */
export const TEST_KEYS: KeysFile = {
  keys: [
    { id: 'k_p', name: 'p', scope: 'predict', sha256: hashKey(PREDICT_KEY), created: '2026-01-01T00:00:00Z' },
    { id: 'k_a', name: 'a', scope: 'admin', sha256: hashKey(ADMIN_KEY), created: '2026-01-01T00:00:00Z' },
  ],
};
