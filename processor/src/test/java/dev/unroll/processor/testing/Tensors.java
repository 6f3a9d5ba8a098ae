package dev.unroll.processor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.Tensor;
import java.util.Arrays;
import java.util.Random;

/**
 * The one tolerance helper of the tests: elementwise comparison of tensors with messages naming the
 * array and the failing indices, measurements of the largest deviation, and random, rounded and
 * NaN-filled tensors.
 */
public final class Tensors {
  private Tensors() {}

  /**
   * Asserts {@code |actual − expected| ≤ max(rel·|expected|, abs)} for every element, and that the
   * shapes are equal. Reports the failing elements (the first 20 in full) with their indices.
   */
  public static void assertClose(String what, Tensor expected, Tensor actual, double rel, double abs) {
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

  /** Asserts {@code |actual − expected| ≤ abs} for every element. */
  public static void assertClose(String what, Tensor expected, Tensor actual, double abs) {
    assertClose(what, expected, actual, 0, abs);
  }

  /** The multi-index of flat position {@code flat} in a row-major array of {@code shape}. */
  public static int[] unravel(int flat, int[] shape) {
    int[] index = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = flat % shape[d];
      flat /= shape[d];
    }
    return index;
  }

  /** The largest absolute value. */
  public static double maxAbs(Tensor t) {
    double m = 0;
    for (double v : t.data()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** The largest |a − b|, NaN if any is NaN. */
  public static double maxAbsDiff(Tensor a, Tensor b) {
    assertArrayEquals(a.shape(), b.shape(), "shape");
    double m = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = Math.abs(a.data()[i] - b.data()[i]);
      if (Double.isNaN(d)) {
        return Double.NaN;
      }
      m = Math.max(m, d);
    }
    return m;
  }

  /** The largest |a − b| / |b| over the elements with b ≠ 0. */
  public static double maxRelDiff(Tensor actual, Tensor expected) {
    double m = 0;
    for (int i = 0; i < actual.size(); i++) {
      double e = expected.data()[i];
      if (e != 0) {
        m = Math.max(m, Math.abs(actual.data()[i] - e) / Math.abs(e));
      }
    }
    return m;
  }

  /** U(−scale, scale) values. */
  public static Tensor uniform(Random rnd, double scale, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = scale * (2 * rnd.nextDouble() - 1);
    }
    return t;
  }

  /** A copy with every value rounded to the nearest float. */
  public static Tensor toFloat(Tensor t) {
    Tensor c = t.copy();
    for (int i = 0; i < c.size(); i++) {
      c.data()[i] = (float) c.data()[i];
    }
    return c;
  }

  /** Row {@code t} of sample {@code b} of a (batch, timesteps, width) tensor. */
  public static double[] row(Tensor seq, int b, int t) {
    int w = seq.dim(2);
    return Arrays.copyOfRange(seq.data(), (b * seq.dim(1) + t) * w, (b * seq.dim(1) + t + 1) * w);
  }

  /** Sample {@code b} of a (batch, width) tensor. */
  public static double[] row(Tensor vec, int b) {
    int w = vec.dim(1);
    return Arrays.copyOfRange(vec.data(), b * w, (b + 1) * w);
  }

  /** The largest |a[i] − b[i]|. */
  public static double maxAbsDiff(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths " + a.length + " and " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs(a[i] - b[i]);
      m = Double.isNaN(d) ? Double.NaN : Math.max(m, d);
    }
    return m;
  }

  /** A tensor of the given shape full of NaN: a stale value left in an output shows up. */
  public static Tensor nans(int... shape) {
    Tensor t = Tensor.zeros(shape);
    Arrays.fill(t.data(), Double.NaN);
    return t;
  }
}
