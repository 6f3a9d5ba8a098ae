package dev.unroll.internal;

import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import java.util.List;

/**
 * Run-time checks; each shape failure names the argument, the expected and the actual shape, and each
 * value failure the argument and the first bad index.
 */
public final class Checks {
  /** Set while {@link #allowingNonFinite} runs its action on this thread. */
  private static final ThreadLocal<Boolean> NON_FINITE_ALLOWED = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private Checks() {}

  /**
   * Checks that every value of every tensor is finite (neither NaN nor infinite), unless the caller
   * runs inside {@link #allowingNonFinite}. Tensor {@code i} is named {@code what} followed by line
   * {@code i} of {@code labels} (one constant, so that the generated call is as short for a hundred
   * tensors as for one), split only when the check fails. Allocation-free unless it fails. Not
   * modified.
   *
   * @throws IllegalArgumentException naming the tensor, the first non-finite value and its index
   */
  public static void finite(List<Tensor> tensors, String what, String labels) {
    for (int w = 0; w < tensors.size(); w++) {
      Tensor t = tensors.get(w);
      double[] d = t.data();
      int n = t.size();
      for (int i = 0; i < n; i++) {
        double v = d[i];
        if (v - v != 0) { // NaN and ±Infinity, in one comparison
          if (NON_FINITE_ALLOWED.get()) {
            return;
          }
          String[] names = labels.split("\n", -1);
          throw new IllegalArgumentException(what + (w < names.length ? names[w] : "[" + w + "]") + ": value " + v
              + " at index " + Tensor.format(indexOf(i, t.shape())) + " is not finite; weights must be finite numbers");
        }
      }
    }
  }

  /**
   * Runs {@code action} with {@link #finite} checks switched off on this thread: the explicit opt-in of
   * a caller that loads non-finite weights on purpose (e.g. to inspect a diverged model).
   */
  public static <E extends Exception> void allowingNonFinite(ThrowingRunnable<E> action) throws E {
    boolean before = NON_FINITE_ALLOWED.get();
    NON_FINITE_ALLOWED.set(Boolean.TRUE);
    try {
      action.run();
    } finally {
      NON_FINITE_ALLOWED.set(before);
    }
  }

  /**
   * Switches {@link #finite} checks off (or on again) on this thread, allocation-free, for a hot loop
   * such as a training step; restore the value returned, in a {@code finally}.
   *
   * @return whether they were allowed before
   */
  public static boolean allowNonFinite(boolean allowed) {
    boolean before = NON_FINITE_ALLOWED.get();
    NON_FINITE_ALLOWED.set(allowed);
    return before;
  }

  /** An action that may throw a checked exception, for {@link #allowingNonFinite}. */
  @FunctionalInterface
  public interface ThrowingRunnable<E extends Exception> {
    void run() throws E;
  }

  /** The multi-index, row-major, of flat index {@code flat} in a tensor of {@code shape}. */
  public static int[] indexOf(int flat, int[] shape) {
    int[] index = new int[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      int dim = Math.max(1, shape[a]);
      index[a] = flat % dim;
      flat /= dim;
    }
    return index;
  }

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
    boolean ok = t.rank() == trailing.length + 1 && t.dim(0) >= 1;
    for (int i = 0; ok && i < trailing.length; i++) {
      ok = t.dim(i + 1) == trailing[i];
    }
    if (!ok) {
      throw new ShapeMismatchException(what, batchShape("batch", trailing), Tensor.format(t.shape()));
    }
    return t.dim(0);
  }

  // Fixed-arity overloads for the shapes generated code checks on every call: javac picks them over
  // the varargs methods, and they allocate nothing unless the check fails (a varargs array, a shape
  // copy or a message concatenated before the check would cost an allocation per call: the JIT's
  // escape analysis does not remove them, since they reach the failure path).

  /** {@link #batchOf(Tensor, String, int...)} for (batch, d1, d2), allocation-free. */
  public static int batchOf(Tensor t, String what, int d1, int d2) {
    if (t == null || t.rank() != 3 || t.dim(0) < 1 || t.dim(1) != d1 || t.dim(2) != d2) {
      return batchOf(t, what, new int[] {d1, d2});
    }
    return t.dim(0);
  }

  /** {@link #batchShape(Tensor, String, int, int...)} for (batch, d1), allocation-free. */
  public static void batchShape(Tensor t, String what, int batch, int d1) {
    if (t == null || t.rank() != 2 || t.dim(0) != batch || t.dim(1) != d1) {
      batchShape(t, what, batch, new int[] {d1});
    }
  }

  /** {@link #batchShape(Tensor, String, int, int...)} for (batch, d1, d2), allocation-free. */
  public static void batchShape(Tensor t, String what, int batch, int d1, int d2) {
    if (t == null || t.rank() != 3 || t.dim(0) != batch || t.dim(1) != d1 || t.dim(2) != d2) {
      batchShape(t, what, batch, new int[] {d1, d2});
    }
  }

  /**
   * {@link #batchShape(Tensor, String, int, int...)} for (batch, d1), allocation-free; the argument
   * is named {@code what + detail}, joined only when the check fails.
   */
  public static void batchShape(Tensor t, String what, String detail, int batch, int d1) {
    if (t == null || t.rank() != 2 || t.dim(0) != batch || t.dim(1) != d1) {
      batchShape(t, what + detail, batch, new int[] {d1});
    }
  }

  /**
   * {@link #exactShape(Tensor, String, int...)} for (d0,), allocation-free; the argument is named
   * {@code what + detail}, joined only when the check fails.
   */
  public static void exactShape(Tensor t, String what, String detail, int d0) {
    if (t == null || t.rank() != 1 || t.dim(0) != d0) {
      exactShape(t, what + detail, new int[] {d0});
    }
  }

  /**
   * {@link #exactShape(Tensor, String, int...)} for (d0, d1), allocation-free; the argument is named
   * {@code what + detail}, joined only when the check fails.
   */
  public static void exactShape(Tensor t, String what, String detail, int d0, int d1) {
    if (t == null || t.rank() != 2 || t.dim(0) != d0 || t.dim(1) != d1) {
      exactShape(t, what + detail, new int[] {d0, d1});
    }
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
    boolean ok = t.rank() == trailing.length + 1 && t.dim(0) == batch;
    for (int i = 0; ok && i < trailing.length; i++) {
      ok = t.dim(i + 1) == trailing[i];
    }
    if (!ok) { // the expected shape is built only to be named
      int[] expected = new int[trailing.length + 1];
      expected[0] = batch;
      System.arraycopy(trailing, 0, expected, 1, trailing.length);
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

  /**
   * Checks a stepper state before {@code Stepper.restore} writes it: its length, and that every value
   * is finite.
   *
   * @param parts the name of each part ({@code lstm h}), in order
   * @param sizes the length of each part
   * @throws IllegalArgumentException naming the expected and actual length, or the part and index of
   *     the first non-finite value
   */
  public static void state(double[] state, String what, String layout, String[] parts, int[] sizes) {
    if (state == null) {
      throw new NullPointerException(what + ": state is null");
    }
    int expected = 0;
    for (int size : sizes) {
      expected += size;
    }
    if (state.length != expected) {
      throw new IllegalArgumentException(what + ": expected a state of length " + expected + " (" + layout
          + "), found length " + state.length);
    }
    int offset = 0;
    for (int p = 0; p < parts.length; p++) {
      for (int i = 0; i < sizes[p]; i++) {
        double v = state[offset + i];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(what + ": " + parts[p] + "[" + i + "] (state index " + (offset + i)
              + ") is " + v + "; a saved state is finite");
        }
      }
      offset += sizes[p];
    }
  }
}
