package dev.unroll.internal;

import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;

/** Run-time shape checks; each failure names the argument, the expected and the actual shape. */
public final class Checks {
  private Checks() {}

  /**
   * Checks a batch-first tensor whose trailing dimensions are fixed, e.g. an input
   * (batch, timesteps, features), and returns its batch size.
   *
   * @throws ShapeMismatchException unless {@code t} has shape (batch, trailing...) with batch ≥ 1
   */
  public static int batchOf(Tensor t, String what, int... trailing) {
    if (t == null) {
      throw new NullPointerException(what + " is null; expected shape " + batchShape("batch", trailing));
    }
    int[] shape = t.shape();
    boolean ok = shape.length == trailing.length + 1 && shape[0] >= 1;
    for (int i = 0; ok && i < trailing.length; i++) {
      ok = shape[i + 1] == trailing[i];
    }
    if (!ok) {
      throw new ShapeMismatchException(what, batchShape("batch", trailing), Tensor.format(shape));
    }
    return shape[0];
  }

  /**
   * Checks that {@code t} has the shape (batch, trailing...) for a known batch size.
   *
   * @throws ShapeMismatchException if it has another shape
   */
  public static void batchShape(Tensor t, String what, int batch, int... trailing) {
    if (t == null) {
      throw new NullPointerException(what + " is null; expected shape " + batchShape(Integer.toString(batch), trailing));
    }
    int[] expected = new int[trailing.length + 1];
    expected[0] = batch;
    System.arraycopy(trailing, 0, expected, 1, trailing.length);
    if (!t.hasShape(expected)) {
      throw new ShapeMismatchException(what, Tensor.format(expected), Tensor.format(t.shape()));
    }
  }

  /**
   * Checks that {@code t} has exactly the given shape.
   *
   * @throws ShapeMismatchException if it has another shape
   */
  public static void exactShape(Tensor t, String what, int... expected) {
    if (t == null) {
      throw new NullPointerException(what + " is null; expected shape " + Tensor.format(expected));
    }
    if (!t.hasShape(expected)) {
      throw new ShapeMismatchException(what, Tensor.format(expected), Tensor.format(t.shape()));
    }
  }

  /**
   * Checks that buffers of {@code batch · perSample} values fit in a Java array.
   *
   * @throws IllegalArgumentException naming the batch size and the limit otherwise
   */
  public static void batchFits(int batch, long perSample, String model) {
    long maxBatch = (Integer.MAX_VALUE - 8) / Math.max(1, perSample);
    if (batch > maxBatch) {
      throw new IllegalArgumentException(model + ": batch " + batch + " is too large; its work buffers hold "
          + perSample + " values per sample and a Java array at most " + (Integer.MAX_VALUE - 8)
          + " values, so the batch can be at most " + maxBatch + "; split it into smaller batches");
    }
  }

  private static String batchShape(String first, int[] trailing) {
    StringBuilder sb = new StringBuilder("(").append(first);
    for (int d : trailing) {
      sb.append(", ").append(d);
    }
    return sb.append(')').toString();
  }
}
