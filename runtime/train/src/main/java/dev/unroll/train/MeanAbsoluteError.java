package dev.unroll.train;

/**
 * Keras {@code MeanAbsoluteError}: {@code mean(|y_pred − y_true|)} over the last axis, then over the
 * rows. Gradient {@code sign(y_pred − y_true) / (rows · width)}, 0 where they are equal (as the
 * backends' {@code abs} gradient).
 */
public final class MeanAbsoluteError implements Loss {

  @Override
  public String name() {
    return "mean_absolute_error";
  }

  @Override
  public double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width) {
    int n = rows * width;
    double scale = 1.0 / n;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      double e = yPred[i] - yTrue[i];
      sum += Math.abs(e);
      if (dPred != null) {
        dPred[i] = Math.signum(e) * scale;
      }
    }
    return sum * scale;
  }

  @Override
  public String toString() {
    return "MeanAbsoluteError";
  }
}
