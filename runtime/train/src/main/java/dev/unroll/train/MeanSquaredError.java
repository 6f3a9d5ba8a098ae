package dev.unroll.train;

/**
 * Keras {@code MeanSquaredError}: {@code mean((y_pred − y_true)²)} over the last axis, then over the
 * rows. Gradient {@code 2·(y_pred − y_true) / (rows · width)}.
 */
public final class MeanSquaredError implements Loss {

  @Override
  public String name() {
    return "mean_squared_error";
  }

  @Override
  public double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width) {
    int n = rows * width;
    double scale = 1.0 / n;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      double e = yPred[i] - yTrue[i];
      sum += e * e;
      if (dPred != null) {
        dPred[i] = 2.0 * e * scale;
      }
    }
    return sum * scale;
  }

  @Override
  public String toString() {
    return "MeanSquaredError";
  }
}
