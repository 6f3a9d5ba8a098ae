package dev.unroll.examples.bench;

import dev.unroll.Tensor;
import java.util.List;

/**
 * A hand-written LSTM layer over EJML, the straightforward implementation a user would write
 * without Unroll: the one-thread baseline of the benchmarks. See {@link EjmlLstm64} and
 * {@link EjmlLstm32}.
 */
public interface BaselineLstm {

  /** out (B, T, U) = h_t of every step for x (B, T, F), from a zero state. */
  void predict(Tensor x, Tensor out);

  /**
   * Forward, then BPTT for dL/dh_seq = {@code dOutput} (B, T, U): fills the weight gradients (Keras
   * order, see {@link #weightGradients()}) and {@link #inputGradient()}.
   */
  void gradients(Tensor x, Tensor dOutput);

  /** dL/d kernel (F, 4U), dL/d recurrent kernel (U, 4U), dL/d bias (4U), flattened, row-major. */
  List<double[]> weightGradients();

  /** dL/dx, (B, T, F) row-major, after {@link #gradients}. */
  double[] inputGradient();

  /** A baseline with the given Keras weights [kernel (F, 4U), recurrent kernel (U, 4U), bias (4U)]. */
  static BaselineLstm create(BenchConfig c, String precision, List<Tensor> kerasWeights) {
    return BenchModels.isFloat32(precision)
        ? new EjmlLstm32(c.units, c.features, c.timesteps, kerasWeights)
        : new EjmlLstm64(c.units, c.features, c.timesteps, kerasWeights);
  }
}
