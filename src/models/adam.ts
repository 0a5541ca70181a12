/** Hyper-parameters of `Adam`. */
export interface AdamOptions {
  /** Step size η. */
  readonly learningRate: number;
  /** Decay of the first-moment estimate. Default 0.9. */
  readonly beta1?: number;
  /** Decay of the second-moment estimate. Default 0.999. */
  readonly beta2?: number;
  /** Added to √v for stability. Default 1e-8. */
  readonly epsilon?: number;
}

/**
 * Adam (Kingma & Ba, "Adam: a method for stochastic optimization", ICLR 2015), in scikit-learn's form:
 * m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², θ ← θ − η·√(1 − β2^t) / (1 − β1^t) · m / (√v + ε).
 */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  /** Creates the optimiser state for `size` parameters. */
  constructor(
    size: number,
    private readonly options: AdamOptions,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** Applies one update to `params` in place from the gradient `grad`. */
  step(params: Float64Array, grad: Float64Array): void {
    const { m, v, beta1, beta2, epsilon } = this;
    this.t++;
    const lr = (this.options.learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    for (let j = 0; j < params.length; j++) {
      const g = grad[j];
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      params[j] -= (lr * m[j]) / (Math.sqrt(v[j]) + epsilon);
    }
  }
}
