package dev.unroll.internal;

/**
 * The Keras mask of a {@code @Masking} model, for generated code: which steps of which samples are
 * masked, and the row operations that keep a layer's state (and its gradient) unchanged through them.
 *
 * <p>A mask is one {@code boolean} per row of a time-major buffer, {@code mask[t·batch + b]} true when
 * step t of sample b is masked. The row operations act on rows of {@code width} values of sample b,
 * at {@code offset + b·width}, for each masked sample of one step; {@code at} is the mask's row of that
 * step, {@code t·batch} (or {@code (T−1−t)·batch} for a layer that reads the sequence backwards).
 * Nothing here allocates.
 */
public final class Masks {
  private Masks() {}

  /**
   * Keras {@code Masking}: {@code mask[row]} is whether every one of the row's {@code width} values
   * equals {@code maskValue}, for the {@code rows} rows of a time-major buffer.
   *
   * @param x (rows, width). Not modified.
   * @param mask at least {@code rows} values. Modified.
   */
  public static void compute(double[] x, int rows, int width, double maskValue, boolean[] mask) {
    for (int r = 0; r < rows; r++) {
      mask[r] = all(x, r * width, width, maskValue);
    }
  }

  /** As {@link #compute(double[], int, int, double, boolean[])}, on float values and a float mask value. */
  public static void compute(float[] x, int rows, int width, float maskValue, boolean[] mask) {
    for (int r = 0; r < rows; r++) {
      mask[r] = all(x, r * width, width, maskValue);
    }
  }

  /** Whether the {@code width} values of {@code x} from {@code offset} all equal {@code value}: a masked step. */
  public static boolean all(double[] x, int offset, int width, double value) {
    for (int k = 0; k < width; k++) {
      if (x[offset + k] != value) {
        return false;
      }
    }
    return true;
  }

  /** As {@link #all(double[], int, int, double)}, on float values. */
  public static boolean all(float[] x, int offset, int width, float value) {
    for (int k = 0; k < width; k++) {
      if (x[offset + k] != value) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks lengths for a batch before anything is changed: one per sample, each in [0, timesteps].
   *
   * @param lengths one length per sample. Not modified.
   * @param what the call, for messages, e.g. {@code predictWithLengths}
   * @throws NullPointerException if {@code lengths} is null
   * @throws IllegalArgumentException naming the expected count or range and the value found
   */
  public static void checkLengths(int[] lengths, int batch, int timesteps, String what) {
    if (lengths == null) {
      throw new NullPointerException(what + ": lengths is null; expected one length per sample, " + batch);
    }
    if (lengths.length != batch) {
      throw new IllegalArgumentException(what + ": lengths must hold one length per sample of x, expected " + batch
          + ", found " + lengths.length);
    }
    for (int b = 0; b < batch; b++) {
      if (lengths[b] < 0 || lengths[b] > timesteps) {
        throw new IllegalArgumentException(what + ": lengths[" + b + "] must be in [0, " + timesteps + "], found "
            + lengths[b] + " (a length counts the steps before the padding)");
      }
    }
  }

  /**
   * A mask from lengths, right padding: {@code mask[t·batch + b] = t >= lengths[b]}.
   *
   * @param lengths one length per sample, each in [0, timesteps]. Not modified.
   * @param mask at least {@code timesteps·batch} values. Modified.
   * @throws IllegalArgumentException naming the first length out of range
   */
  public static void fromLengths(int[] lengths, int batch, int timesteps, boolean[] mask, String what) {
    checkLengths(lengths, batch, timesteps, what);
    for (int t = 0; t < timesteps; t++) {
      for (int b = 0; b < batch; b++) {
        mask[t * batch + b] = t >= lengths[b];
      }
    }
  }

  /**
   * The mask in Keras's form, batch-major and 1 where a step counts: {@code out[b·timesteps + t] = 0}
   * when {@code mask[t·batch + b]}, else 1.
   *
   * @param out at least {@code batch·timesteps} values. Modified.
   */
  public static void toKeras(boolean[] mask, int batch, int timesteps, double[] out) {
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < timesteps; t++) {
        out[b * timesteps + t] = mask[t * batch + b] ? 0.0 : 1.0;
      }
    }
  }

  /** For each masked sample b of the step: {@code dst[dstOffset + b·width ..] = src[srcOffset + b·width ..]}, width values. */
  public static void copy(boolean[] mask, int at, int batch, double[] src, int srcOffset, double[] dst, int dstOffset,
      int width) {
    for (int b = 0; b < batch; b++) {
      if (mask[at + b]) {
        System.arraycopy(src, srcOffset + b * width, dst, dstOffset + b * width, width);
      }
    }
  }

  /** For each masked sample b of the step: {@code dst[dstOffset + b·width ..] += src[srcOffset + b·width ..]}. */
  public static void add(boolean[] mask, int at, int batch, double[] src, int srcOffset, double[] dst, int dstOffset,
      int width) {
    for (int b = 0; b < batch; b++) {
      if (mask[at + b]) {
        int s = srcOffset + b * width;
        int d = dstOffset + b * width;
        for (int k = 0; k < width; k++) {
          dst[d + k] += src[s + k];
        }
      }
    }
  }

  /** For each masked sample b of the step: zero {@code dst[offset + b·width ..]}, width values. */
  public static void zero(boolean[] mask, int at, int batch, double[] dst, int offset, int width) {
    for (int b = 0; b < batch; b++) {
      if (mask[at + b]) {
        java.util.Arrays.fill(dst, offset + b * width, offset + (b + 1) * width, 0.0);
      }
    }
  }

  /** For each masked sample b of the step: {@code dst[dstOffset + b·width ..] = src[srcOffset + b·width ..]}, width values. */
  public static void copy(boolean[] mask, int at, int batch, float[] src, int srcOffset, float[] dst, int dstOffset,
      int width) {
    for (int b = 0; b < batch; b++) {
      if (mask[at + b]) {
        System.arraycopy(src, srcOffset + b * width, dst, dstOffset + b * width, width);
      }
    }
  }

  /** For each masked sample b of the step: {@code dst[dstOffset + b·width ..] += src[srcOffset + b·width ..]}. */
  public static void add(boolean[] mask, int at, int batch, float[] src, int srcOffset, float[] dst, int dstOffset,
      int width) {
    for (int b = 0; b < batch; b++) {
      if (mask[at + b]) {
        int s = srcOffset + b * width;
        int d = dstOffset + b * width;
        for (int k = 0; k < width; k++) {
          dst[d + k] += src[s + k];
        }
      }
    }
  }

  /** For each masked sample b of the step: zero {@code dst[offset + b·width ..]}, width values. */
  public static void zero(boolean[] mask, int at, int batch, float[] dst, int offset, int width) {
    for (int b = 0; b < batch; b++) {
      if (mask[at + b]) {
        java.util.Arrays.fill(dst, offset + b * width, offset + (b + 1) * width, 0f);
      }
    }
  }
}
