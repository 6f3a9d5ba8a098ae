package dev.unroll.processor.behaviour;

import dev.unroll.Activation;
import dev.unroll.Tensor;

/**
 * A plain LSTM forward pass written from the Keras equations (golden/README.md), independent of the
 * generated code and of the runtime's {@code Activations}: straightforward loops, batch-major, one
 * sample and one step at a time. Used to check the forward pass for every activation, and to find
 * how close any activation's argument comes to a kink (where finite differences are meaningless).
 */
final class ReferenceLstm {
  final int units;
  final int features;
  final int timesteps;
  final Activation activation;
  final Activation recurrentActivation;

  /** The forward pass of a batch. */
  static final class Result {
    /** (batch, timesteps, units). */
    final Tensor hSeq;
    /** (batch, units). */
    final Tensor hLast;
    /**
     * The smallest distance from an activation's argument (z_i, z_f, z_c, z_o, and c_t unless it is
     * exactly 0) to a kink of that activation; +infinity if the activations have none.
     */
    final double kinkMargin;

    Result(Tensor hSeq, Tensor hLast, double kinkMargin) {
      this.hSeq = hSeq;
      this.hLast = hLast;
      this.kinkMargin = kinkMargin;
    }
  }

  ReferenceLstm(int units, int features, int timesteps, Activation activation, Activation recurrentActivation) {
    this.units = units;
    this.features = features;
    this.timesteps = timesteps;
    this.activation = activation;
    this.recurrentActivation = recurrentActivation;
  }

  /**
   * @param kernel (features, 4·units)
   * @param recurrentKernel (units, 4·units)
   * @param bias (4·units), or null for none
   * @param x (batch, timesteps, features)
   */
  Result forward(Tensor kernel, Tensor recurrentKernel, Tensor bias, Tensor x) {
    int u = units;
    int batch = x.dim(0);
    Tensor hSeq = Tensor.zeros(batch, timesteps, u);
    Tensor hLast = Tensor.zeros(batch, u);
    double margin = Double.POSITIVE_INFINITY;
    for (int b = 0; b < batch; b++) {
      double[] h = new double[u];
      double[] c = new double[u];
      for (int t = 0; t < timesteps; t++) {
        double[] z = new double[4 * u];
        for (int j = 0; j < 4 * u; j++) {
          double s = bias == null ? 0 : bias.get(j);
          for (int k = 0; k < features; k++) {
            s += x.get(b, t, k) * kernel.get(k, j);
          }
          for (int k = 0; k < u; k++) {
            s += h[k] * recurrentKernel.get(k, j);
          }
          z[j] = s;
        }
        double[] hNext = new double[u];
        for (int j = 0; j < u; j++) {
          double zi = z[j];
          double zf = z[u + j];
          double zc = z[2 * u + j];
          double zo = z[3 * u + j];
          margin = Math.min(margin, kinkDistance(recurrentActivation, zi));
          margin = Math.min(margin, kinkDistance(recurrentActivation, zf));
          margin = Math.min(margin, kinkDistance(activation, zc));
          margin = Math.min(margin, kinkDistance(recurrentActivation, zo));
          double i = apply(recurrentActivation, zi);
          double f = apply(recurrentActivation, zf);
          double g = apply(activation, zc);
          double o = apply(recurrentActivation, zo);
          c[j] = f * c[j] + i * g;
          // c_t exactly 0 is structural (every term has an exact zero factor, e.g. relu(z_c) = 0
          // with z_c < 0 and c_{t-1} = 0), and stays 0 under small perturbations: not a kink.
          if (c[j] != 0.0) {
            margin = Math.min(margin, kinkDistance(activation, c[j]));
          }
          hNext[j] = o * apply(activation, c[j]);
        }
        h = hNext;
        for (int j = 0; j < u; j++) {
          hSeq.set(h[j], b, t, j);
        }
      }
      for (int j = 0; j < u; j++) {
        hLast.set(h[j], b, j);
      }
    }
    return new Result(hSeq, hLast, margin);
  }

  /** The activation's formula, as Keras documents it. */
  static double apply(Activation a, double x) {
    switch (a) {
      case TANH:
        return Math.tanh(x);
      case SIGMOID:
        return 1.0 / (1.0 + Math.exp(-x));
      case HARD_SIGMOID:
        return x <= -2.5 ? 0.0 : x >= 2.5 ? 1.0 : 0.2 * x + 0.5;
      case HARD_SIGMOID_KERAS3:
        return x <= -3.0 ? 0.0 : x >= 3.0 ? 1.0 : x / 6.0 + 0.5;
      case RELU:
        return x > 0 ? x : 0.0;
      case LINEAR:
        return x;
      default:
        throw new AssertionError(a);
    }
  }

  /** How far {@code x} is from the nearest point where {@code a} is not differentiable. */
  static double kinkDistance(Activation a, double x) {
    switch (a) {
      case HARD_SIGMOID:
        return Math.min(Math.abs(x - 2.5), Math.abs(x + 2.5));
      case HARD_SIGMOID_KERAS3:
        return Math.min(Math.abs(x - 3.0), Math.abs(x + 3.0));
      case RELU:
        return Math.abs(x);
      default:
        return Double.POSITIVE_INFINITY;
    }
  }
}
