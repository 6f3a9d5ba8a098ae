package dev.unroll.train;

/** The per-row categorical cross-entropy shared by the dense and sparse losses. */
final class Crossentropy {
  private Crossentropy() {}

  /** y_k of a row: {@code yTrue[yo + k]}, or one-hot of {@code label} when {@code yTrue} is null. */
  private static double target(double[] yTrue, int yo, int label, int k) {
    return yTrue == null ? (k == label ? 1.0 : 0.0) : yTrue[yo + k];
  }

  /**
   * Keras from probabilities: q = p / Σp, clipped to [ε, 1 − ε], loss −Σ y·log q. Writes
   * {@code scale · d loss / d p} into {@code dPred} (when not null) and returns the row's loss.
   */
  static double fromProbabilities(double[] yTrue, int yo, int label, double[] yPred, int po, double[] dPred,
      int width, double scale) {
    double s = 0.0;
    for (int k = 0; k < width; k++) {
      s += yPred[po + k];
    }
    double loss = 0.0;
    double gq = 0.0; // Σ_j g_j·q_j with g_j = d loss / d q_j
    for (int k = 0; k < width; k++) {
      double y = target(yTrue, yo, label, k);
      double q = yPred[po + k] / s;
      double qc = Math.min(Math.max(q, BinaryCrossentropy.EPSILON), 1.0 - BinaryCrossentropy.EPSILON);
      if (y != 0.0) {
        loss -= y * Math.log(qc);
      }
      if (dPred != null) {
        boolean clipped = q < BinaryCrossentropy.EPSILON || q > 1.0 - BinaryCrossentropy.EPSILON;
        double g = clipped || y == 0.0 ? 0.0 : -y / qc;
        dPred[po + k] = g; // d loss / d q_k for now
        gq += g * q;
      }
    }
    if (dPred != null) {
      // q_j = p_j / s: d q_j / d p_k = (δ_jk − q_j) / s, so d loss / d p_k = (g_k − Σ_j g_j·q_j) / s
      for (int k = 0; k < width; k++) {
        dPred[po + k] = (dPred[po + k] - gq) / s * scale;
      }
    }
    return loss;
  }

  /**
   * From logits: log p = x − logsumexp(x), loss −Σ y·log p, d loss / d x_k = p_k·Σy − y_k.
   * Writes {@code scale ·} that into {@code dPred} (when not null) and returns the row's loss.
   */
  static double fromLogits(double[] yTrue, int yo, int label, double[] yPred, int po, double[] dPred, int width,
      double scale) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < width; k++) {
      max = Math.max(max, yPred[po + k]);
    }
    double sumExp = 0.0;
    for (int k = 0; k < width; k++) {
      sumExp += Math.exp(yPred[po + k] - max);
    }
    double logSumExp = max + Math.log(sumExp);
    double loss = 0.0;
    double ySum = 0.0;
    for (int k = 0; k < width; k++) {
      double y = target(yTrue, yo, label, k);
      if (y != 0.0) {
        loss -= y * (yPred[po + k] - logSumExp);
      }
      ySum += y;
    }
    if (dPred != null) {
      for (int k = 0; k < width; k++) {
        double p = Math.exp(yPred[po + k] - logSumExp);
        dPred[po + k] = (p * ySum - target(yTrue, yo, label, k)) * scale;
      }
    }
    return loss;
  }
}
