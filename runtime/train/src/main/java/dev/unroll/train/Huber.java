package dev.unroll.train;

/**
 * Keras {@code Huber(delta)}: with {@code e = y_pred − y_true}, {@code 0.5·e²} where
 * {@code |e| ≤ delta}, else {@code delta·|e| − 0.5·delta²}; the mean over the last axis, then over
 * the rows. Gradient {@code e} or {@code delta·sign(e)}, over {@code rows · width}.
 */
public final class Huber implements Loss {
  private final double delta;

  /** Keras's default, {@code delta = 1.0}. */
  public Huber() {
    this(1.0);
  }

  /**
   * @param delta where the loss turns from quadratic to linear; positive
   */
  public Huber(double delta) {
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("Huber: delta must be positive and finite, found " + delta);
    }
    this.delta = delta;
  }

  /** The point where the loss turns from quadratic to linear. */
  public double delta() {
    return delta;
  }

  @Override
  public String name() {
    return "huber_loss";
  }

  @Override
  public double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width) {
    int n = rows * width;
    double scale = 1.0 / n;
    double halfDelta2 = 0.5 * delta * delta;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      double e = yPred[i] - yTrue[i];
      double a = Math.abs(e);
      if (a <= delta) {
        sum += 0.5 * e * e;
        if (dPred != null) {
          dPred[i] = e * scale;
        }
      } else {
        sum += delta * a - halfDelta2;
        if (dPred != null) {
          dPred[i] = delta * Math.signum(e) * scale;
        }
      }
    }
    return sum * scale;
  }

  @Override
  public String toString() {
    return "Huber(delta=" + delta + ")";
  }
}
