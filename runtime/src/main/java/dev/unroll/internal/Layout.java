package dev.unroll.internal;

import dev.unroll.Gate;
import dev.unroll.Tensor;

/**
 * Moves values between the batch-major layout of user tensors, (batch, timesteps, width), and the
 * time-major layout of a model's work buffers, (timesteps · batch, width), where the rows of one
 * timestep are contiguous; optionally reversing time (for {@code goBackwards}); and between double
 * tensors and the float buffers of float32 models.
 */
public final class Layout {
  private Layout() {}

  /**
   * {@code dst[(t·batch + b)·width + k] = src[(b·timesteps + t')·width + k]}, with t' = t, or
   * t' = timesteps−1−t when {@code reverse}.
   *
   * @param src (batch, timesteps, width). Not modified.
   * @param dst (timesteps · batch, width). Modified.
   */
  public static void toTimeMajor(double[] src, double[] dst, int batch, int timesteps, int width, boolean reverse) {
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < timesteps; t++) {
        int s = reverse ? timesteps - 1 - t : t;
        System.arraycopy(src, (b * timesteps + s) * width, dst, (t * batch + b) * width, width);
      }
    }
  }

  /** As {@link #toTimeMajor(double[], double[], int, int, int, boolean)}, into float. */
  public static void toTimeMajor(double[] src, float[] dst, int batch, int timesteps, int width, boolean reverse) {
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < timesteps; t++) {
        int s = (b * timesteps + (reverse ? timesteps - 1 - t : t)) * width;
        int d = (t * batch + b) * width;
        for (int k = 0; k < width; k++) {
          dst[d + k] = (float) src[s + k];
        }
      }
    }
  }

  /** {@link #toTimeMajor(double[], double[], int, int, int, boolean)} without reversing. */
  public static void toTimeMajor(double[] src, double[] dst, int batch, int timesteps, int width) {
    toTimeMajor(src, dst, batch, timesteps, width, false);
  }

  /**
   * {@code dst[(b·timesteps + t')·width + k] = src[srcOffset + (t·batch + b)·width + k]}, t' as in
   * {@link #toTimeMajor(double[], double[], int, int, int, boolean)}.
   *
   * @param src time-major rows starting at {@code srcOffset}. Not modified.
   * @param dst (batch, timesteps, width). Modified.
   */
  public static void fromTimeMajor(double[] src, int srcOffset, double[] dst, int batch, int timesteps, int width,
      boolean reverse) {
    for (int t = 0; t < timesteps; t++) {
      int s = reverse ? timesteps - 1 - t : t;
      for (int b = 0; b < batch; b++) {
        System.arraycopy(src, srcOffset + (t * batch + b) * width, dst, (b * timesteps + s) * width, width);
      }
    }
  }

  /** As {@link #fromTimeMajor(double[], int, double[], int, int, int, boolean)}, from float. */
  public static void fromTimeMajor(float[] src, int srcOffset, double[] dst, int batch, int timesteps, int width,
      boolean reverse) {
    for (int t = 0; t < timesteps; t++) {
      int s = reverse ? timesteps - 1 - t : t;
      for (int b = 0; b < batch; b++) {
        int from = srcOffset + (t * batch + b) * width;
        int to = (b * timesteps + s) * width;
        for (int k = 0; k < width; k++) {
          dst[to + k] = src[from + k];
        }
      }
    }
  }

  /** {@link #fromTimeMajor(double[], int, double[], int, int, int, boolean)} without reversing. */
  public static void fromTimeMajor(double[] src, int srcOffset, double[] dst, int batch, int timesteps, int width) {
    fromTimeMajor(src, srcOffset, dst, batch, timesteps, width, false);
  }

  /**
   * Copies time-major rows between buffers, block t of {@code src} to block t, or to block
   * timesteps−1−t when {@code reverse}: how one layer's sequence becomes the next layer's input.
   */
  public static void copySteps(double[] src, int srcOffset, double[] dst, int dstOffset, int batch, int timesteps,
      int width, boolean reverse) {
    int block = batch * width;
    if (!reverse) {
      System.arraycopy(src, srcOffset, dst, dstOffset, timesteps * block);
      return;
    }
    for (int t = 0; t < timesteps; t++) {
      System.arraycopy(src, srcOffset + t * block, dst, dstOffset + (timesteps - 1 - t) * block, block);
    }
  }

  /** As {@link #copySteps(double[], int, double[], int, int, int, int, boolean)}, in float. */
  public static void copySteps(float[] src, int srcOffset, float[] dst, int dstOffset, int batch, int timesteps,
      int width, boolean reverse) {
    int block = batch * width;
    if (!reverse) {
      System.arraycopy(src, srcOffset, dst, dstOffset, timesteps * block);
      return;
    }
    for (int t = 0; t < timesteps; t++) {
      System.arraycopy(src, srcOffset + t * block, dst, dstOffset + (timesteps - 1 - t) * block, block);
    }
  }

  /** Copies {@code n} values; the double-to-double case of {@link #copy(double[], int, float[], int, int)}. */
  public static void copy(double[] src, int srcOffset, double[] dst, int dstOffset, int n) {
    System.arraycopy(src, srcOffset, dst, dstOffset, n);
  }

  /** Copies {@code n} values, rounding to float. */
  public static void copy(double[] src, int srcOffset, float[] dst, int dstOffset, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOffset + i] = (float) src[srcOffset + i];
    }
  }

  /** Copies {@code n} values, widening to double. */
  public static void copy(float[] src, int srcOffset, double[] dst, int dstOffset, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOffset + i] = src[srcOffset + i];
    }
  }

  /** Copies {@code n} values; the float-to-float case. */
  public static void copy(float[] src, int srcOffset, float[] dst, int dstOffset, int n) {
    System.arraycopy(src, srcOffset, dst, dstOffset, n);
  }

  /** Adds {@code n} values: {@code dst[dstOffset + i] += src[srcOffset + i]}. */
  /** {@code dst[dstOffset + i] += src[srcOffset + i]} for i below n. */
  public static void add(float[] src, int srcOffset, float[] dst, int dstOffset, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOffset + i] += src[srcOffset + i];
    }
  }

  public static void add(double[] src, int srcOffset, double[] dst, int dstOffset, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOffset + i] += src[srcOffset + i];
    }
  }

  /** Adds {@code n} values, rounding each sum to float. */
  public static void add(double[] src, int srcOffset, float[] dst, int dstOffset, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOffset + i] += (float) src[srcOffset + i];
    }
  }

  /** A new double tensor of the given shape holding a copy of {@code values}. */
  public static Tensor tensor(double[] values, int... shape) {
    return Tensor.wrap(values.clone(), shape);
  }

  /** A new double tensor of the given shape holding {@code values} widened. */
  public static Tensor tensor(float[] values, int... shape) {
    double[] d = new double[values.length];
    copy(values, 0, d, 0, values.length);
    return Tensor.wrap(d, shape);
  }

  /**
   * The columns of one gate block of a (rows, 4·units) matrix, as a new (rows, units) tensor, or a
   * (units,) tensor when {@code rows} is 0 (a bias vector).
   */
  public static Tensor gateBlock(double[] matrix, int rows, int units, Gate gate) {
    int cols = 4 * units;
    int n = Math.max(rows, 1);
    double[] out = new double[n * units];
    for (int r = 0; r < n; r++) {
      System.arraycopy(matrix, r * cols + gate.offset(units), out, r * units, units);
    }
    return rows == 0 ? Tensor.wrap(out, units) : Tensor.wrap(out, rows, units);
  }

  /** As {@link #gateBlock(double[], int, int, Gate)}, from a float matrix. */
  public static Tensor gateBlock(float[] matrix, int rows, int units, Gate gate) {
    int cols = 4 * units;
    int n = Math.max(rows, 1);
    double[] out = new double[n * units];
    for (int r = 0; r < n; r++) {
      copy(matrix, r * cols + gate.offset(units), out, r * units, units);
    }
    return rows == 0 ? Tensor.wrap(out, units) : Tensor.wrap(out, rows, units);
  }
}
