package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The activations that generated code calls, against {@code Math.tanh} and {@code Math.exp} in
 * float64 as the reference: the exp-based float64 tanh to 3e-14 relative, and the float32 tanh and
 * sigmoid (Eigen's rational approximation, as TensorFlow computes them for float) to their stated
 * absolute bounds (the largest errors over every float of [-18, 18], measured once: 4.10e-7 and
 * 2.27e-7), here over every 1009th float from 0 to infinity and its negation, and every float of
 * [-16, 16] spaced 2^-14 apart.
 */
class ActivationsTest {

  @Test
  void float64TanhIsWithin3e14OfMathTanh() {
    double worst = 0;
    for (double x = -30; x <= 30; x += 1.0 / 1024 + 1e-7) {
      double want = Math.tanh(x);
      double rel = want == 0 ? Math.abs(Activations.tanh(x)) : Math.abs(Activations.tanh(x) - want) / Math.abs(want);
      worst = Math.max(worst, rel);
    }
    for (double x = 1e-300; x < 1; x *= 1.37) {
      worst = Math.max(worst, Math.abs(Activations.tanh(x) - Math.tanh(x)) / Math.tanh(x));
      worst = Math.max(worst, Math.abs(Activations.tanh(-x) - Math.tanh(-x)) / Math.tanh(x));
    }
    assertTrue(worst < 3e-14, "float64 tanh: worst relative error " + worst);
    assertEquals(1.0, Activations.tanh(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, Activations.tanh(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN(Activations.tanh(Double.NaN)));
  }

  @Test
  void float32TanhAndSigmoidStayWithinTheirBounds() {
    double worstTanh = 0;
    double worstSigmoid = 0;
    float maxAbs = 0;
    float[] sweep = new float[0x7f800000 / 1009 + 1 + (32 << 14) + 1];
    int n = 0;
    for (int bits = 0; bits < 0x7f800000; bits += 1009) {
      sweep[n++] = Float.intBitsToFloat(bits);
    }
    for (int k = 0; k <= 32 << 14; k++) {
      sweep[n++] = k * 0x1p-14f;
    }
    for (int i = 0; i < n; i++) {
      float v = sweep[i];
      for (float x : new float[] {v, -v}) {
        float y = Activations.tanh(x);
        worstTanh = Math.max(worstTanh, Math.abs(y - Math.tanh(x)));
        maxAbs = Math.max(maxAbs, Math.abs(y));
        assertEquals(Math.copySign(1f, x), Math.copySign(1f, y), "tanh keeps the sign of x = " + x);
        double sigmoid = 1 / (1 + Math.exp(-(double) x));
        worstSigmoid = Math.max(worstSigmoid, Math.abs(Activations.sigmoid(x) - sigmoid));
      }
    }
    assertTrue(worstTanh <= 4.2e-7, "float32 tanh: worst absolute error " + worstTanh);
    assertTrue(worstSigmoid <= 2.3e-7, "float32 sigmoid: worst absolute error " + worstSigmoid);
    assertTrue(maxAbs <= 1f, "|tanh| never above 1: " + maxAbs);
    assertEquals(1f, Activations.tanh(Float.POSITIVE_INFINITY));
    assertEquals(-1f, Activations.tanh(Float.NEGATIVE_INFINITY));
    assertEquals(0.5f, Activations.sigmoid(0f));
    assertTrue(Float.isNaN(Activations.tanh(Float.NaN)));
    assertTrue(Float.isNaN(Activations.sigmoid(Float.NaN)));
  }

  /** The in-place forms over a range, which generated steps call, give what the scalar forms give, bit for bit. */
  @Test
  void rangeFormsEqualTheScalarForms() {
    Random rnd = new Random(6);
    int n = 1000;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = i < 40 ? Math.scalb(rnd.nextGaussian(), -12) : i < 60 ? 30 * rnd.nextGaussian() : 4 * rnd.nextGaussian();
    }
    xs[1] = Double.NaN;
    xs[2] = Double.POSITIVE_INFINITY;
    xs[3] = -0.0;
    List<String> names = List.of("tanh", "sigmoid", "hardSigmoid", "hardSigmoidKeras3", "relu", "linear");
    // bit-identical on the scalar kernels; float32 bit-identical on the Vector API ones too
    boolean approximate = !(KernelProvider.kernels() instanceof ScalarKernels);
    for (String name : names) {
      double[] d = xs.clone();
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] = (float) xs[i];
      }
      float[] f0 = f.clone();
      // a range that leaves values on both sides untouched
      range(name, d, 5, n - 5);
      range(name, f, 5, n - 5);
      for (int i = 0; i < n; i++) {
        boolean inside = i >= 5 && i < n - 5;
        double wantD = inside ? scalar(name, xs[i]) : xs[i];
        float wantF = inside ? scalar(name, f0[i]) : f0[i];
        if (approximate && inside && (name.equals("tanh") || name.equals("sigmoid"))) {
          // the Vector API kernels' float64 tanh and σ: their own exp, within 1e-12 relative
          assertTrue(Math.abs(d[i] - wantD) <= 1e-12 * Math.abs(wantD) || Double.compare(d[i], wantD) == 0,
              name + "(double) at " + xs[i] + ": " + wantD + " vs " + d[i]);
        } else {
          assertEquals(Double.doubleToLongBits(wantD), Double.doubleToLongBits(d[i]), name + "(double) at " + xs[i]);
        }
        assertEquals(Float.floatToIntBits(wantF), Float.floatToIntBits(f[i]), name + "(float) at " + f0[i]);
      }
    }
  }

  private static void range(String name, double[] v, int from, int to) {
    switch (name) {
      case "tanh" -> Activations.tanh(v, from, to);
      case "sigmoid" -> Activations.sigmoid(v, from, to);
      case "hardSigmoid" -> Activations.hardSigmoid(v, from, to);
      case "hardSigmoidKeras3" -> Activations.hardSigmoidKeras3(v, from, to);
      case "relu" -> Activations.relu(v, from, to);
      default -> Activations.linear(v, from, to);
    }
  }

  private static void range(String name, float[] v, int from, int to) {
    switch (name) {
      case "tanh" -> Activations.tanh(v, from, to);
      case "sigmoid" -> Activations.sigmoid(v, from, to);
      case "hardSigmoid" -> Activations.hardSigmoid(v, from, to);
      case "hardSigmoidKeras3" -> Activations.hardSigmoidKeras3(v, from, to);
      case "relu" -> Activations.relu(v, from, to);
      default -> Activations.linear(v, from, to);
    }
  }

  private static double scalar(String name, double x) {
    return switch (name) {
      case "tanh" -> Activations.tanh(x);
      case "sigmoid" -> Activations.sigmoid(x);
      case "hardSigmoid" -> Activations.hardSigmoid(x);
      case "hardSigmoidKeras3" -> Activations.hardSigmoidKeras3(x);
      case "relu" -> Activations.relu(x);
      default -> Activations.linear(x);
    };
  }

  private static float scalar(String name, float x) {
    return switch (name) {
      case "tanh" -> Activations.tanh(x);
      case "sigmoid" -> Activations.sigmoid(x);
      case "hardSigmoid" -> Activations.hardSigmoid(x);
      case "hardSigmoidKeras3" -> Activations.hardSigmoidKeras3(x);
      case "relu" -> Activations.relu(x);
      default -> Activations.linear(x);
    };
  }
}
