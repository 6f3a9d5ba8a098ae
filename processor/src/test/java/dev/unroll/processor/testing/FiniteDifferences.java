package dev.unroll.processor.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The one finite-difference harness of the tests: central differences of a scalar loss with respect
 * to the values of an array, and their comparison with an analytic gradient.
 *
 * <p>Each value is perturbed by ±{@value #EPS} (float64) and {@code (L+ − L−) / 2ε} is compared with
 * the analytic gradient: {@code |analytic − fd| ≤ 1e-6·max(|analytic|, |fd|) + floor}, where the
 * caller sets {@code floor = 1e-8·max(1, Σ|terms of L|)} with {@link #floor} (it bounds the rounding
 * error of the difference quotient, about 1e-16·Σ|terms| / ε).
 *
 * <p>Kinks: relu and the hard sigmoids are not differentiable at 0, ±2.5 and ±3. A quotient across a
 * kink is meaningless, so callers draw weights and inputs again (up to {@value #MAX_DRAWS} times)
 * until every activation's argument is at least {@value #KINK_MARGIN} from a kink, as
 * {@link ReferenceStack} measures; a perturbation of {@value #EPS} moves those arguments by far less.
 */
public final class FiniteDifferences {
  private FiniteDifferences() {}

  public static final double EPS = 1e-6;
  public static final double KINK_MARGIN = 1e-4;
  public static final int MAX_DRAWS = 1000;
  /** The relative part of the tolerance. */
  public static final double REL = 1e-6;

  /**
   * The central difference of {@code loss} at each value of {@code values}, which it perturbs in
   * place (and restores): {@code loss} must read them when called.
   */
  public static double[] central(double[] values, DoubleSupplier loss) {
    double[] fd = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double orig = values[i];
      values[i] = orig + EPS;
      double plus = loss.getAsDouble();
      values[i] = orig - EPS;
      double minus = loss.getAsDouble();
      values[i] = orig;
      fd[i] = (plus - minus) / (2 * EPS);
    }
    return fd;
  }

  /** {@code 1e-8·max(1, magnitude)}: the absolute part of the tolerance, for Σ|terms of L| = magnitude. */
  public static double floor(double magnitude) {
    return 1e-8 * Math.max(1, magnitude);
  }

  /**
   * Adds to {@code failures} every value of {@code analytic} that differs from {@code fd} by more
   * than {@code 1e-6·max(|analytic|, |fd|) + floor}, or its shape if that differs.
   */
  public static void compare(String name, Tensor fd, Tensor analytic, double floor, List<String> failures) {
    if (!Arrays.equals(fd.shape(), analytic.shape())) {
      failures.add("d" + name + ": shape " + Tensor.format(analytic.shape()) + ", expected " + Tensor.format(fd.shape()));
      return;
    }
    for (int i = 0; i < fd.size(); i++) {
      double a = analytic.data()[i];
      double n = fd.data()[i];
      double bound = REL * Math.max(Math.abs(a), Math.abs(n)) + floor;
      if (!(Math.abs(a - n) <= bound)) {
        failures.add(String.format("d%s%s: analytic %.12g, finite difference %.12g, |diff| %.3g > %.3g", name,
            Arrays.toString(Tensors.unravel(i, fd.shape())), a, n, Math.abs(a - n), bound));
      }
    }
  }

  /** Fails with the first 30 failures, if any. */
  public static void assertNone(Object what, List<String> failures) {
    if (!failures.isEmpty()) {
      fail(what + ": " + failures.size() + " gradient values differ from central differences:\n  "
          + String.join("\n  ", failures.subList(0, Math.min(30, failures.size()))));
    }
  }

  /** {@code sum(a ⊙ b)}: the loss whose gradient with respect to a is b. */
  public static double dot(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      s += a.data()[i] * b.data()[i];
    }
    return s;
  }

  /** {@code Σ|a ⊙ b|}: the magnitude of the terms of {@link #dot}. */
  public static double sumAbs(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      s += Math.abs(a.data()[i] * b.data()[i]);
    }
    return s;
  }
}
