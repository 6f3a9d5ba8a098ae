package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the scalar ones, kernel by kernel, in float64 and float32, on the
 * same inputs: products within 1e-12 (float64) and 1e-6 (float32) relative to the sum of the
 * magnitudes of the terms (they add in another order, with fused multiply-adds); tanh and σ within
 * 1e-12 relative in float64 and bit-identical in float32; the cell state and elementwise products
 * bit-identical. Shapes cover every tile of the register-blocked products: widths from 1 to beyond
 * four 512-bit vectors of floats (65 .. 140) and not multiples of a vector, destination rows not
 * multiples of 4, strides and offsets, and the benchmark layers' shapes.
 *
 * <p>Runs where {@code jdk.incubator.vector} is readable: the surefire execution
 * {@code vector-kernels} (with {@code -Dunroll.kernels=vector}, where it fails rather than skip if the
 * kernels cannot be made). In the default execution, without the module, it is skipped.
 */
class VectorKernelsTest {
  private static final double TOL64 = 1e-12;
  private static final double TOL32 = 1e-6;
  private static final KernelSupport S = ScalarKernels.INSTANCE;
  private static KernelSupport v;

  private final Random rng = new Random(1616);

  @BeforeAll
  static void vectorKernels() {
    if (!"vector".equals(System.getProperty(KernelProvider.PROPERTY))) {
      assumeTrue(KernelProvider.vectorModuleReadable(), "jdk.incubator.vector is not readable here");
    }
    v = KernelProvider.vectorKernels();
    assertTrue(v.name().startsWith("vector "), v.name());
  }

  /** Widths: below a vector, around 1 and 4 vectors of float and double in 128/256/512 bits, and LSTM gate widths. */
  private static final int[] WIDTHS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100, 128, 131, 140};

  private double[] doubles(int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextDouble() * 2 - 1;
    }
    return a;
  }

  private double[][] doubles(int rows, int width) {
    double[][] a = new double[rows][];
    for (int r = 0; r < rows; r++) {
      a[r] = doubles(width);
    }
    return a;
  }

  private static float[] floats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  private static float[][] floats(double[][] a) {
    float[][] f = new float[a.length][];
    for (int r = 0; r < a.length; r++) {
      f[r] = floats(a[r]);
    }
    return f;
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int r = 0; r < a.length; r++) {
      c[r] = a[r].clone();
    }
    return c;
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int r = 0; r < a.length; r++) {
      c[r] = a[r].clone();
    }
    return c;
  }

  /** |got − want| within tol of the magnitude (the sum of |terms| and |dest|), and equal beyond width. */
  private static void assertNear(double[] want, double[] got, double[] magnitude, int width, double tol, String at) {
    for (int j = 0; j < want.length; j++) {
      if (j < width) {
        double err = Math.abs(got[j] - want[j]);
        assertTrue(err <= tol * Math.max(magnitude[j], Double.MIN_NORMAL),
            at + " j=" + j + ": scalar " + want[j] + ", vector " + got[j] + ", magnitude " + magnitude[j]);
      } else {
        assertEquals(want[j], got[j], 0.0, at + " j=" + j + ": beyond the width, untouched");
      }
    }
  }

  private static void assertNear(float[] want, float[] got, double[] magnitude, int width, double tol, String at) {
    double[] w = new double[want.length];
    double[] g = new double[got.length];
    for (int j = 0; j < want.length; j++) {
      w[j] = want[j];
      g[j] = got[j];
    }
    assertNear(w, g, magnitude, width, tol, at);
  }

  @Test
  void addRowsProduct() {
    // pad 0: rows and dest end at the width, so the masked tail vector reaches past the arrays' ends
    for (int pad : new int[] {0, 2}) {
      addRowsProduct(pad);
    }
  }

  private void addRowsProduct(int pad) {
    for (int n : new int[] {1, 2, 4, 5, 13, 32}) {
      for (int width : WIDTHS) {
        int off = n % 3;
        double[] coef = doubles(off + n + 1);
        double[][] rows = doubles(n, width + pad);
        double[] dest = doubles(width + pad);
        double[] mag = new double[width + pad];
        for (int j = 0; j < width; j++) {
          mag[j] = Math.abs(dest[j]);
          for (int k = 0; k < n; k++) {
            mag[j] += Math.abs(coef[off + k] * rows[k][j]);
          }
        }
        double[] s = dest.clone();
        double[] g = dest.clone();
        S.addRowsProduct(s, coef, off, rows, n, width);
        v.addRowsProduct(g, coef, off, rows, n, width);
        assertNear(s, g, mag, width, TOL64, "n=" + n + " width=" + width);
        float[] sF = floats(dest);
        float[] gF = floats(dest);
        S.addRowsProduct(sF, floats(coef), off, floats(rows), n, width);
        v.addRowsProduct(gF, floats(coef), off, floats(rows), n, width);
        assertNear(sF, gF, mag, width, TOL32, "float n=" + n + " width=" + width);
      }
    }
  }

  @Test
  void addTiledProducts() {
    for (int batch : new int[] {1, 3, 4, 5, 9}) {
      for (int n : new int[] {1, 3, 4, 7, 16}) {
        for (int width : WIDTHS) {
          int off = 2;
          int stride = n + 3;
          double[] coef = doubles(off + batch * stride);
          double[][] coefRows = doubles(batch, n + 1);
          double[][] rows = doubles(n, width + 1);
          double[][] dest = doubles(batch, width + 1);
          String at = "batch=" + batch + " n=" + n + " width=" + width;
          // flat coefficients
          double[][] s = copy(dest);
          double[][] g = copy(dest);
          S.addTiledProduct(s, coef, off, stride, batch, rows, n, width, 5);
          v.addTiledProduct(g, coef, off, stride, batch, rows, n, width, 5);
          float[][] sF = floats(dest);
          float[][] gF = floats(dest);
          S.addTiledProduct(sF, floats(coef), off, stride, batch, floats(rows), n, width, 5);
          v.addTiledProduct(gF, floats(coef), off, stride, batch, floats(rows), n, width, 5);
          for (int b = 0; b < batch; b++) {
            double[] mag = new double[width + 1];
            for (int j = 0; j < width; j++) {
              mag[j] = Math.abs(dest[b][j]);
              for (int k = 0; k < n; k++) {
                mag[j] += Math.abs(coef[off + b * stride + k] * rows[k][j]);
              }
            }
            assertNear(s[b], g[b], mag, width, TOL64, at + " b=" + b);
            assertNear(sF[b], gF[b], mag, width, TOL32, "float " + at + " b=" + b);
          }
          // coefficient rows
          s = copy(dest);
          g = copy(dest);
          S.addTiledProduct(s, coefRows, batch, rows, n, width, 7);
          v.addTiledProduct(g, coefRows, batch, rows, n, width, 7);
          sF = floats(dest);
          gF = floats(dest);
          S.addTiledProduct(sF, floats(coefRows), batch, floats(rows), n, width, 7);
          v.addTiledProduct(gF, floats(coefRows), batch, floats(rows), n, width, 7);
          for (int b = 0; b < batch; b++) {
            double[] mag = new double[width + 1];
            for (int j = 0; j < width; j++) {
              mag[j] = Math.abs(dest[b][j]);
              for (int k = 0; k < n; k++) {
                mag[j] += Math.abs(coefRows[b][k] * rows[k][j]);
              }
            }
            assertNear(s[b], g[b], mag, width, TOL64, "rows " + at + " b=" + b);
            assertNear(sF[b], gF[b], mag, width, TOL32, "float rows " + at + " b=" + b);
          }
        }
      }
    }
  }

  @Test
  void addOuterProductsAndAddRows() {
    for (int count : new int[] {1, 3, 4, 6, 32}) {
      for (int n : new int[] {1, 3, 4, 5, 9}) {
        for (int width : WIDTHS) {
          int off = 1;
          int stride = n + 2;
          int eFrom = 2;
          double[] a = doubles(off + count * stride);
          double[][] e = doubles(eFrom + count, width + 1);
          double[][] dest = doubles(n, width + 1);
          double[] bias = doubles(width + 1);
          String at = "count=" + count + " n=" + n + " width=" + width;
          double[][] s = copy(dest);
          double[][] g = copy(dest);
          S.addOuterProducts(s, a, off, stride, e, eFrom, count, n, width);
          v.addOuterProducts(g, a, off, stride, e, eFrom, count, n, width);
          float[][] sF = floats(dest);
          float[][] gF = floats(dest);
          S.addOuterProducts(sF, floats(a), off, stride, floats(e), eFrom, count, n, width);
          v.addOuterProducts(gF, floats(a), off, stride, floats(e), eFrom, count, n, width);
          for (int k = 0; k < n; k++) {
            double[] mag = new double[width + 1];
            for (int j = 0; j < width; j++) {
              mag[j] = Math.abs(dest[k][j]);
              for (int c = 0; c < count; c++) {
                mag[j] += Math.abs(a[off + c * stride + k] * e[eFrom + c][j]);
              }
            }
            assertNear(s[k], g[k], mag, width, TOL64, at + " k=" + k);
            assertNear(sF[k], gF[k], mag, width, TOL32, "float " + at + " k=" + k);
          }
          double[] sb = bias.clone();
          double[] gb = bias.clone();
          S.addRows(sb, e, eFrom, count, width);
          v.addRows(gb, e, eFrom, count, width);
          float[] sbF = floats(bias);
          float[] gbF = floats(bias);
          S.addRows(sbF, floats(e), eFrom, count, width);
          v.addRows(gbF, floats(e), eFrom, count, width);
          double[] mag = new double[width + 1];
          for (int j = 0; j < width; j++) {
            mag[j] = Math.abs(bias[j]);
            for (int c = 0; c < count; c++) {
              mag[j] += Math.abs(e[eFrom + c][j]);
            }
          }
          assertNear(sb, gb, mag, width, TOL64, "addRows " + at);
          assertNear(sbF, gbF, mag, width, TOL32, "float addRows " + at);
        }
      }
    }
  }

  /** At offsets of their own in each array (c at 2 .. n + 2 of n + 3, so that a masked tail ends at the array's end at n = 1). */
  @Test
  void elementwiseKernelsAreBitIdentical() {
    for (int n : WIDTHS) {
      double[] c = doubles(n + 3);
      double[] f = doubles(n + 1);
      double[] z = doubles(4 * n + 3);
      double[] s = c.clone();
      double[] w = c.clone();
      S.cellState(s, 2, z, n + 1, 3, 2 * n + 2, n);
      v.cellState(w, 2, z, n + 1, 3, 2 * n + 2, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(s, w, 0.0, "cellState n=" + n);
      S.cellState(s, 3, z, 0, 2 * n, 3 * n + 3, n);
      v.cellState(w, 3, z, 0, 2 * n, 3 * n + 3, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(s, w, 0.0, "cellState to the end n=" + n);
      double[] so = new double[n + 1];
      double[] wo = new double[n + 1];
      S.elementMult(so, 1, f, 1, c, 2, n);
      v.elementMult(wo, 1, f, 1, c, 2, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(so, wo, 0.0, "elementMult n=" + n);
      S.elementMult(so, 0, z, 3 * n, z, 1, n);
      v.elementMult(wo, 0, z, 3 * n, z, 1, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(so, wo, 0.0, "elementMult(z) n=" + n);

      float[] sF = floats(c);
      float[] wF = floats(c);
      float[] zF = floats(z);
      S.cellState(sF, 2, zF, n + 1, 3, 2 * n + 2, n);
      v.cellState(wF, 2, zF, n + 1, 3, 2 * n + 2, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(sF, wF, 0f, "float cellState n=" + n);
      S.cellState(sF, 3, zF, 0, 2 * n, 3 * n + 3, n);
      v.cellState(wF, 3, zF, 0, 2 * n, 3 * n + 3, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(sF, wF, 0f, "float cellState to the end n=" + n);
      float[] soF = new float[n + 1];
      float[] woF = new float[n + 1];
      S.elementMult(soF, 1, floats(f), 1, sF, 2, n);
      v.elementMult(woF, 1, floats(f), 1, sF, 2, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(soF, woF, 0f, "float elementMult n=" + n);
      S.elementMult(soF, 0, zF, 3 * n, zF, 1, n);
      v.elementMult(woF, 0, zF, 3 * n, zF, 1, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(soF, woF, 0f, "float elementMult(z) n=" + n);
    }
  }

  /** Values across the ranges that matter: tiny (the tanh series), around 1, saturating, and the specials. */
  private double[] activationInputs() {
    double[] specials = {0.0, -0.0, 0x1p-11, -0x1p-11, 0x1p-10, -0x1p-10, 1e-300, 20, -20, 40, -40, 400, -400,
        710, -710, 800, -800, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE};
    double[] x = new double[specials.length + 4000 + 3];
    System.arraycopy(specials, 0, x, 0, specials.length);
    for (int k = specials.length; k < x.length; k++) {
      double scale = Math.pow(10, rng.nextInt(9) - 6);
      x[k] = (rng.nextDouble() * 2 - 1) * 20 * scale;
    }
    return x;
  }

  private static void assertRelative(double want, double got, double tol, String what) {
    if (Double.isNaN(want)) {
      assertTrue(Double.isNaN(got), what + ": want NaN, got " + got);
      return;
    }
    assertTrue(Math.abs(got - want) <= Math.max(tol * Math.abs(want), Double.MIN_NORMAL),
        what + ": scalar " + want + ", vector " + got);
  }

  @Test
  void tanhAndSigmoid() {
    double[] x = activationInputs();
    for (int from : new int[] {0, 1, 5}) {
      double[] s = x.clone();
      double[] g = x.clone();
      S.tanh(s, from, x.length - 1);
      v.tanh(g, from, x.length - 1);
      for (int k = 0; k < x.length; k++) {
        assertRelative(s[k], g[k], TOL64, "tanh(" + x[k] + ")");
      }
      s = x.clone();
      g = x.clone();
      S.sigmoid(s, from, x.length - 1);
      v.sigmoid(g, from, x.length - 1);
      for (int k = 0; k < x.length; k++) {
        assertRelative(s[k], g[k], TOL64, "sigmoid(" + x[k] + ")");
      }
      float[] sF = floats(x);
      float[] gF = floats(x);
      S.tanh(sF, from, x.length - 1);
      v.tanh(gF, from, x.length - 1);
      org.junit.jupiter.api.Assertions.assertArrayEquals(sF, gF, 0f, "float tanh");
      sF = floats(x);
      gF = floats(x);
      S.sigmoid(sF, from, x.length - 1);
      v.sigmoid(gF, from, x.length - 1);
      org.junit.jupiter.api.Assertions.assertArrayEquals(sF, gF, 0f, "float sigmoid");
    }
  }

  /** Whole arrays of every width, so that a masked tail vector reaches past the array's end. */
  @Test
  void activationsOfWholeShortArrays() {
    for (int n : WIDTHS) {
      double[] x = doubles(n);
      for (int k = 0; k < n; k++) {
        x[k] *= 6;
      }
      double[] s = x.clone();
      double[] g = x.clone();
      S.tanh(s, 0, n);
      v.tanh(g, 0, n);
      for (int k = 0; k < n; k++) {
        assertRelative(s[k], g[k], TOL64, "tanh n=" + n + " k=" + k);
      }
      s = x.clone();
      g = x.clone();
      S.sigmoid(s, 0, n);
      v.sigmoid(g, 0, n);
      for (int k = 0; k < n; k++) {
        assertRelative(s[k], g[k], TOL64, "sigmoid n=" + n + " k=" + k);
      }
      float[] sF = floats(x);
      float[] gF = floats(x);
      S.tanh(sF, 0, n);
      v.tanh(gF, 0, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(sF, gF, 0f, "float tanh n=" + n);
      sF = floats(x);
      gF = floats(x);
      S.sigmoid(sF, 0, n);
      v.sigmoid(gF, 0, n);
      org.junit.jupiter.api.Assertions.assertArrayEquals(sF, gF, 0f, "float sigmoid n=" + n);
    }
  }

  /**
   * The same bits before and after C2 compiles the kernels: a model gives the same output on every
   * call (an exp whose result depends on the JIT, as the API's EXP does, fails this).
   */
  @Test
  void activationsGiveTheSameBitsInterpretedAndCompiled() {
    double[] x = activationInputs();
    double[] cold = x.clone();
    v.tanh(cold, 0, x.length);
    double[] coldS = x.clone();
    v.sigmoid(coldS, 0, x.length);
    double[] warm = new double[64];
    for (int i = 0; i < 40_000; i++) {
      System.arraycopy(x, i % 1000, warm, 0, 64);
      v.tanh(warm, 0, 64);
      v.sigmoid(warm, 0, 64);
    }
    double[] hot = x.clone();
    v.tanh(hot, 0, x.length);
    double[] hotS = x.clone();
    v.sigmoid(hotS, 0, x.length);
    org.junit.jupiter.api.Assertions.assertArrayEquals(cold, hot, 0.0, "tanh");
    org.junit.jupiter.api.Assertions.assertArrayEquals(coldS, hotS, 0.0, "sigmoid");
  }

  /** The benchmark layers' shapes (mid, big, large), batch 32 .. 128: what the models run. */
  @Test
  void benchmarkShapes() {
    int[][] shapes = {{32, 8, 32}, {128, 32, 64}, {256, 64, 128}};
    for (int[] shape : shapes) {
      int u = shape[0];
      int batch = shape[2];
      int gates = 4 * u;
      double[] h = doubles(batch * u);
      double[][] uRows = doubles(u, gates);
      double[][] z = doubles(batch, gates);
      double[][] s = copy(z);
      double[][] g = copy(z);
      S.addTiledProduct(s, h, 0, u, batch, uRows, u, gates, 64);
      v.addTiledProduct(g, h, 0, u, batch, uRows, u, gates, 64);
      float[][] sF = floats(z);
      float[][] gF = floats(z);
      S.addTiledProduct(sF, floats(h), 0, u, batch, floats(uRows), u, gates, 128);
      v.addTiledProduct(gF, floats(h), 0, u, batch, floats(uRows), u, gates, 128);
      double[][] dU = doubles(u, gates);
      double[][] sU = copy(dU);
      double[][] gU = copy(dU);
      S.addOuterProducts(sU, h, 0, u, z, 0, batch, u, gates);
      v.addOuterProducts(gU, h, 0, u, z, 0, batch, u, gates);
      for (int b = 0; b < batch; b++) {
        double[] mag = new double[gates];
        for (int j = 0; j < gates; j++) {
          mag[j] = Math.abs(z[b][j]);
          for (int k = 0; k < u; k++) {
            mag[j] += Math.abs(h[b * u + k] * uRows[k][j]);
          }
        }
        assertNear(s[b], g[b], mag, gates, TOL64, "u=" + u + " b=" + b);
        assertNear(sF[b], gF[b], mag, gates, TOL32, "float u=" + u + " b=" + b);
      }
      for (int k = 0; k < u; k++) {
        double[] mag = new double[gates];
        for (int j = 0; j < gates; j++) {
          mag[j] = Math.abs(dU[k][j]);
          for (int b = 0; b < batch; b++) {
            mag[j] += Math.abs(h[b * u + k] * z[b][j]);
          }
        }
        assertNear(sU[k], gU[k], mag, gates, TOL64, "dU u=" + u + " k=" + k);
      }
    }
  }
}
