/** What a one-hot encoder does with a category not seen during `fit`. */
export type UnknownCategoryPolicy = 'ignore' | 'error';

/** A standardised numeric feature: `(x - mean) / scale` (scale is the population std, 1 when the std is 0). */
export interface NumericFeatureSpec {
  /** Feature kind. */
  readonly kind: 'numeric';
  /** Source column. */
  readonly column: string;
  /** Mean over the training rows. */
  readonly mean: number;
  /** Population standard deviation over the training rows (1 when it is 0). */
  readonly scale: number;
}

/** A one-hot encoded categorical feature: one output per category, in the listed order. */
export interface CategoricalFeatureSpec {
  /** Feature kind. */
  readonly kind: 'categorical';
  /** Source column. */
  readonly column: string;
  /** Categories seen during fit, sorted; output `column_category` per entry. */
  readonly categories: readonly string[];
  /** `ignore`: unseen category encodes as all zeros; `error`: unseen category is a DataValidationError. */
  readonly unknown: UnknownCategoryPolicy;
}

/** One input feature of a fitted encoder. */
export type FeatureSpec = NumericFeatureSpec | CategoricalFeatureSpec;

/**
 * A fitted encoder, JSON-serialisable, exported with the model (into ONNX metadata and graph).
 * Output columns are the features in order, each numeric feature giving one column and each
 * categorical feature one column per category.
 */
export interface EncoderSpec {
  /** Features in output order. */
  readonly features: readonly FeatureSpec[];
  /** Names of the output columns (`age`, `sex_Female`, ...), in order. */
  readonly outputNames: readonly string[];
}
