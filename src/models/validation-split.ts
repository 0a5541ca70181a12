import { DataValidationError, type Rng } from '../core/index.js';

/** Row indices of a training/validation split. */
export interface TrainValidationSplit {
  /** Training rows, ascending. */
  readonly train: Uint32Array;
  /** Validation rows, ascending. */
  readonly validation: Uint32Array;
}

/**
 * A stratified hold-out split (as scikit-learn's `train_test_split(stratify=y)` used by MLP early
 * stopping): round(fraction · n_c) rows of each class c, drawn with `rng`, go to validation.
 */
export function stratifiedSplit(
  owner: string,
  y: Uint8Array,
  fraction: number,
  rng: Rng,
): TrainValidationSplit {
  const isValidation = new Uint8Array(y.length);
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) members.push(i);
    rng.shuffle(members);
    const take = Math.round(fraction * members.length);
    for (let k = 0; k < take; k++) isValidation[members[k]] = 1;
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < y.length; i++) (isValidation[i] ? validation : train).push(i);
  if (validation.length === 0 || train.length === 0) {
    throw new DataValidationError(
      `${owner} early stopping needs rows on both sides of the validation split; ${y.length} rows give ` +
        `${validation.length} validation rows. Pass more rows, a different 'validationFraction' or 'earlyStopping: false'.`,
    );
  }
  return { train: Uint32Array.from(train), validation: Uint32Array.from(validation) };
}
