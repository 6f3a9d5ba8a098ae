package dev.unroll.train;

/**
 * Keras {@code CategoricalCrossentropy(from_logits)} with one-hot (or soft) targets: per row
 * {@code −Σ_k y_k·log p_k}, then the mean over the rows.
 *
 * <ul>
 *   <li>From probabilities (a SOFTMAX head; the default): as Keras, the row is first divided by its
 *       sum, then clipped to [ε, 1 − ε] (ε = 1e-7); the gradient goes through both (0 where the
 *       clip is active).
 *   <li>From logits x: {@code p = softmax(x)} by a stable log-sum-exp, gradient
 *       {@code p_k·Σ_j y_j − y_k}.
 * </ul>
 */
public final class CategoricalCrossentropy implements Loss {
  private final boolean fromLogits;

  /** From probabilities, Keras's default. */
  public CategoricalCrossentropy() {
    this(false);
  }

  /**
   * @param fromLogits whether the predictions are logits (a LINEAR head) instead of probabilities
   */
  public CategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Whether the predictions are logits. */
  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  @Override
  public double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width) {
    double scale = 1.0 / rows;
    double sum = 0.0;
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      sum += fromLogits
          ? Crossentropy.fromLogits(yTrue, o, -1, yPred, o, dPred, width, scale)
          : Crossentropy.fromProbabilities(yTrue, o, -1, yPred, o, dPred, width, scale);
    }
    return sum * scale;
  }

  @Override
  public String toString() {
    return "CategoricalCrossentropy(fromLogits=" + fromLogits + ")";
  }
}
