package dev.unroll.train;

/**
 * Keras {@code BinaryCrossentropy(from_logits)}: the mean over the last axis, then over the rows, of
 * {@code −(y·log p + (1 − y)·log(1 − p))}.
 *
 * <ul>
 *   <li>From probabilities (a SIGMOID head; the default): p is clipped to [ε, 1 − ε] with Keras's
 *       ε = 1e-7 first, and the gradient is 0 where the clip is active, as in Keras.
 *   <li>From logits x: the numerically stable form {@code max(x, 0) − x·y + log(1 + e^−|x|)} that
 *       Keras's TensorFlow, JAX and PyTorch backends compute, with gradient {@code σ(x) − y}.
 * </ul>
 */
public final class BinaryCrossentropy implements Loss {
  /** Keras's {@code backend.epsilon()}. */
  public static final double EPSILON = 1e-7;

  private final boolean fromLogits;

  /** From probabilities, Keras's default. */
  public BinaryCrossentropy() {
    this(false);
  }

  /**
   * @param fromLogits whether the predictions are logits (a LINEAR head) instead of probabilities
   */
  public BinaryCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Whether the predictions are logits. */
  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "binary_crossentropy";
  }

  @Override
  public double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width) {
    int n = rows * width;
    double scale = 1.0 / n;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      double y = yTrue[i];
      double x = yPred[i];
      if (fromLogits) {
        sum += Math.max(x, 0.0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
        if (dPred != null) {
          dPred[i] = (sigmoid(x) - y) * scale;
        }
      } else {
        double p = Math.min(Math.max(x, EPSILON), 1.0 - EPSILON);
        sum -= y * Math.log(p) + (1.0 - y) * Math.log(1.0 - p);
        if (dPred != null) {
          boolean clipped = x < EPSILON || x > 1.0 - EPSILON;
          dPred[i] = clipped ? 0.0 : (-y / p + (1.0 - y) / (1.0 - p)) * scale;
        }
      }
    }
    return sum * scale;
  }

  private static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  @Override
  public String toString() {
    return "BinaryCrossentropy(fromLogits=" + fromLogits + ")";
  }
}
