package dev.unroll.train;

/**
 * Keras {@code SparseCategoricalCrossentropy(from_logits)}: {@link CategoricalCrossentropy} with the
 * targets given as class indices, one per row (a (batch,) or (batch, 1) array for a (batch, classes)
 * output; (batch, timesteps) for a sequence output), each an integer in [0, classes).
 */
public final class SparseCategoricalCrossentropy implements Loss {
  private final boolean fromLogits;

  /** From probabilities, Keras's default. */
  public SparseCategoricalCrossentropy() {
    this(false);
  }

  /**
   * @param fromLogits whether the predictions are logits (a LINEAR head) instead of probabilities
   */
  public SparseCategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Whether the predictions are logits. */
  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "sparse_categorical_crossentropy";
  }

  @Override
  public boolean sparseTargets() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a target is not an integer in [0, width)
   */
  @Override
  public double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width) {
    double scale = 1.0 / rows;
    double sum = 0.0;
    for (int r = 0; r < rows; r++) {
      double label = yTrue[r];
      int c = (int) label;
      if (c != label || c < 0 || c >= width) {
        throw new IllegalArgumentException(
            name() + ": target " + r + " is " + label + ", not a class index in [0, " + width + ")");
      }
      int o = r * width;
      sum += fromLogits
          ? Crossentropy.fromLogits(null, 0, c, yPred, o, dPred, width, scale)
          : Crossentropy.fromProbabilities(null, 0, c, yPred, o, dPred, width, scale);
    }
    return sum * scale;
  }

  @Override
  public String toString() {
    return "SparseCategoricalCrossentropy(fromLogits=" + fromLogits + ")";
  }
}
