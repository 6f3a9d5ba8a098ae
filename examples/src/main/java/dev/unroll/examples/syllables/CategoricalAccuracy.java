package dev.unroll.examples.syllables;

import dev.unroll.train.Loss;

/**
 * Keras's {@code categorical_accuracy} as a metric for {@code FitConfig.metrics}: the fraction of rows
 * whose largest prediction is at the target's largest value (one-hot targets). A metric only: it has
 * no gradient.
 */
public final class CategoricalAccuracy implements Loss {
  @Override
  public String name() {
    return "accuracy";
  }

  @Override
  public double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width) {
    if (dPred != null) {
      throw new UnsupportedOperationException("accuracy is a metric, not a loss: it has no gradient");
    }
    int right = 0;
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      int truth = 0;
      int guess = 0;
      for (int c = 1; c < width; c++) {
        if (yTrue[o + c] > yTrue[o + truth]) {
          truth = c;
        }
        if (yPred[o + c] > yPred[o + guess]) {
          guess = c;
        }
      }
      if (truth == guess) {
        right++;
      }
    }
    return (double) right / rows;
  }
}
