package dev.unroll.processor.behaviour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.Tensor;
import java.util.Arrays;

/** Elementwise comparison of tensors, with messages that name the array and the failing indices. */
final class Approx {
  private Approx() {}

  /**
   * Asserts {@code |actual − expected| ≤ max(rel·|expected|, abs)} for every element, and that the
   * shapes are equal. Reports every failing element (the first 20 in full) with its index.
   *
   * @param what names the comparison, e.g. {@code small.json grads_seq.kernel}
   */
  static void assertClose(String what, Tensor expected, Tensor actual, double rel, double abs) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.data();
    double[] a = actual.data();
    StringBuilder failures = new StringBuilder();
    int failed = 0;
    for (int i = 0; i < e.length; i++) {
      double diff = Math.abs(a[i] - e[i]);
      double bound = Math.max(rel * Math.abs(e[i]), abs);
      // !(diff <= bound) also catches NaN
      if (!(diff <= bound)) {
        if (failed < 20) {
          failures.append(String.format("%n  %s%s: expected %.17g, actual %.17g, |diff| %.3g > %.3g", what,
              Arrays.toString(unravel(i, expected.shape())), e[i], a[i], diff, bound));
        }
        failed++;
      }
    }
    if (failed > 0) {
      fail(what + ": " + failed + " of " + e.length + " elements differ (rel " + rel + ", abs " + abs + ")"
          + failures + (failed > 20 ? "\n  ..." : ""));
    }
  }

  /** The multi-index of flat position {@code flat} in a row-major array of {@code shape}. */
  static int[] unravel(int flat, int[] shape) {
    int[] index = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = flat % shape[d];
      flat /= shape[d];
    }
    return index;
  }

  /** The largest absolute value. */
  static double maxAbs(Tensor t) {
    double m = 0;
    for (double v : t.data()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** A tensor of the given shape full of NaN: a stale value left in an output shows up. */
  static Tensor nans(int... shape) {
    Tensor t = Tensor.zeros(shape);
    Arrays.fill(t.data(), Double.NaN);
    return t;
  }
}
