package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.Tensor;
import java.util.List;

/** EXPERIMENT: what {@link ExpTunedBench} calls on the hand-edited copies (ExpTuned*). */
interface ExpModel {

  /** Keras weights [kernel (F, 4U), recurrent kernel (U, 4U), bias (4U)]. */
  void setWeights(List<Tensor> weights);

  /** As the generated predict(x, null, out), without the shape checks. */
  Tensor predict(Tensor x, Tensor out);

  /** As the generated gradients(x, null, dOutput, into), without the shape checks. */
  Gradients gradients(Tensor x, Tensor dOutput, Gradients into);

  /** As the generated stepper's step(x, out). */
  void step(double[] x, double[] out);

  /** A new experiment model for a config (tiny, small, mid, big or large) and a precision. */
  static ExpModel create(BenchConfig c, String precision) {
    boolean f32 = BenchModels.isFloat32(precision);
    switch (c) {
      case TINY:
      case SMALL:
        return f32 ? new ExpTunedTinyF32() : new ExpTunedTinyF64();
      case MID:
        return f32 ? new ExpTunedMidF32() : new ExpTunedMidF64();
      case BIG:
        return f32 ? new ExpTunedBigF32() : new ExpTunedBigF64();
      case LARGE:
        return f32 ? new ExpTunedLargeF32() : new ExpTunedLargeF64();
      default:
        throw new IllegalArgumentException("no experiment copy for " + c);
    }
  }
}
