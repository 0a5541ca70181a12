/** Where in a file a data problem was found: every data error names the file, row and column it can. */
export interface DataLocation {
  /** Path of the file (or table name) the problem is in. */
  file?: string;
  /** 1-based data row (header excluded) where the problem is. */
  row?: number;
  /** Column name where the problem is. */
  column?: string;
}

/** Base class of every error Steward throws on purpose; `code` is stable and machine-readable. */
export class StewardError extends Error {
  /** Stable, machine-readable error code (e.g. `INVALID_PARAMETER`). */
  readonly code: string;

  /** Creates an error with a stable `code` and a message that says what was wrong and what to do. */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option or argument outside its allowed range or type. */
export class InvalidParameterError extends StewardError {
  /** Creates the error; `message` follows "The 'x' option of y must be ... Got ... instead." */
  constructor(message: string) {
    super('INVALID_PARAMETER', message);
  }
}

/** Input data that cannot be used as given; names the file, row and column where it can. */
export class DataValidationError extends StewardError {
  /** Location of the problem in the input. */
  readonly location: DataLocation;

  /** Creates the error; the location is appended to the message in the form "(file F, row R, column C)". */
  constructor(message: string, location: DataLocation = {}, options?: { cause?: unknown }) {
    super('DATA_VALIDATION', withLocation(message, location), options);
    this.location = location;
  }
}

/** `predict`/`predictProba`/`transform` called on an estimator or encoder before `fit`. */
export class NotFittedError extends StewardError {
  /** Creates the error for the named estimator; `remedy` replaces the default "Call 'fit' ..." advice. */
  constructor(estimator: string, remedy = "Call 'fit' with training data before using it.") {
    super('NOT_FITTED', `This ${estimator} is not fitted yet. ${remedy}`);
  }
}

/** An optional dependency (a native package, a system tool) is missing or failed to load. */
export class MissingDependencyError extends StewardError {
  /** Creates the error naming the dependency and how to install it. */
  constructor(dependency: string, hint: string, cause?: unknown) {
    super('MISSING_DEPENDENCY', `The optional dependency '${dependency}' could not be loaded. ${hint}`, {
      cause,
    });
  }
}

/** A query or training run would exceed a privacy budget. */
export class BudgetExceededError extends StewardError {
  /** Creates the error with a message stating the spent and requested budget. */
  constructor(message: string) {
    super('BUDGET_EXCEEDED', message);
  }
}

/** Formats a data location as " (file F, row R, column C)", or "" when nothing is known. */
export function formatLocation(location: DataLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(`file '${location.file}'`);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column !== undefined) parts.push(`column '${location.column}'`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function withLocation(message: string, location: DataLocation): string {
  const suffix = formatLocation(location);
  if (suffix === '') return message;
  // Put the location before the final full stop so the message still reads as a sentence.
  return message.endsWith('.') ? `${message.slice(0, -1)}${suffix}.` : `${message}${suffix}`;
}
