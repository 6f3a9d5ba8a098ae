package dev.unroll.internal;

import dev.unroll.Gate;
import dev.unroll.Tensor;

/**
 * Moves values between the batch-major layout of user tensors, (batch, timesteps, width), and the
 * time-major layout of a model's work buffers, (timesteps · batch, width), where the rows of one
 * timestep are contiguous.
 */
public final class Layout {
  private Layout() {}

  /**
   * {@code dst[(t·batch + b)·width + k] = src[(b·timesteps + t)·width + k]}.
   *
   * @param src (batch, timesteps, width). Not modified.
   * @param dst (timesteps · batch, width). Modified.
   */
  public static void toTimeMajor(double[] src, double[] dst, int batch, int timesteps, int width) {
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < timesteps; t++) {
        System.arraycopy(src, (b * timesteps + t) * width, dst, (t * batch + b) * width, width);
      }
    }
  }

  /**
   * {@code dst[(b·timesteps + t)·width + k] = src[srcOffset + (t·batch + b)·width + k]}.
   *
   * @param src time-major rows starting at {@code srcOffset}. Not modified.
   * @param dst (batch, timesteps, width). Modified.
   */
  public static void fromTimeMajor(double[] src, int srcOffset, double[] dst, int batch, int timesteps, int width) {
    for (int t = 0; t < timesteps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(src, srcOffset + (t * batch + b) * width, dst, (b * timesteps + t) * width, width);
      }
    }
  }

  /**
   * The columns of one gate block of a (rows, 4·units) matrix, as a new (rows, units) tensor, or a
   * (units,) tensor when {@code rows} is 0 (a bias vector).
   */
  public static Tensor gateBlock(double[] matrix, int rows, int units, Gate gate) {
    int cols = 4 * units;
    if (rows == 0) {
      double[] out = new double[units];
      System.arraycopy(matrix, gate.offset(units), out, 0, units);
      return Tensor.wrap(out, units);
    }
    double[] out = new double[rows * units];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(matrix, r * cols + gate.offset(units), out, r * units, units);
    }
    return Tensor.wrap(out, rows, units);
  }
}
