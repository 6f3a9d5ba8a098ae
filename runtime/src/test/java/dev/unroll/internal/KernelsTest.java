package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every kernel of the implementation {@link KernelProvider} chose (the scalar kernels, or the Vector
 * API's in the surefire execution that requires them), through the static facade {@link Kernels}, in
 * float64 and float32, against a naive loop computed in float64 (to a tolerance relative to the sum of
 * the magnitudes of the terms), on odd sizes: n from 1 to 9 (four rows per pass and the rest), widths
 * from 1 to 37, batches from 1 to 5, tiles that do not divide the width, and offsets and strides into
 * the flat arrays. {@link VectorKernelsTest} compares the two implementations on larger shapes;
 * {@link ScalarKernelsBitIdenticalTest} checks the scalar order of the floating-point operations.
 */
class KernelsTest {
  private static final double TOL64 = 1e-14;
  private static final double TOL32 = 2e-6;

  private final Random rng = new Random(20240610);

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

  /** The float arrays' values as double, so that the reference is computed from what float sees. */
  private static double[] widen(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static double[][] widen(float[][] a) {
    double[][] d = new double[a.length][];
    for (int r = 0; r < a.length; r++) {
      d[r] = widen(a[r]);
    }
    return d;
  }

  private static void assertClose(double want, double magnitude, double got, double tol, String what) {
    assertTrue(Math.abs(want - got) <= tol * Math.max(1, magnitude), what + ": want " + want + ", got " + got);
  }

  @Test
  void facadeRunsTheProvidersChoice() {
    assertEquals(KernelProvider.kernels().name(), Kernels.implementation());
    if ("vector".equals(System.getProperty(KernelProvider.PROPERTY))) {
      // the surefire execution with --add-modules jdk.incubator.vector requires them
      assertTrue(Kernels.implementation().startsWith("vector "), Kernels.implementation());
    } else if (!KernelProvider.vectorModuleReadable()) {
      assertEquals(ScalarKernels.INSTANCE, KernelProvider.kernels());
    }
  }

  @Test
  void addRowsProduct() {
    for (int n = 1; n <= 9; n++) {
      for (int width = 1; width <= 37; width++) {
        int off = n % 3;
        double[] coef = doubles(off + n + 2);
        double[][] rows = doubles(n, width + n % 2);
        double[] dest = doubles(width + 1);
        double[] want = dest.clone();
        double[] mag = new double[width];
        for (int j = 0; j < width; j++) {
          mag[j] = Math.abs(want[j]);
          for (int k = 0; k < n; k++) {
            want[j] += coef[off + k] * rows[k][j];
            mag[j] += Math.abs(coef[off + k] * rows[k][j]);
          }
        }
        float[] destF = floats(dest);
        float[] coefF = floats(coef);
        float[][] rowsF = floats(rows);
        double[] wantF = widen(destF);
        double[] coefW = widen(coefF);
        double[][] rowsW = widen(rowsF);
        for (int j = 0; j < width; j++) {
          for (int k = 0; k < n; k++) {
            wantF[j] += coefW[off + k] * rowsW[k][j];
          }
        }
        Kernels.addRowsProduct(dest, coef, off, rows, n, width);
        Kernels.addRowsProduct(destF, coefF, off, rowsF, n, width);
        String at = "n=" + n + " width=" + width;
        for (int j = 0; j < width; j++) {
          assertClose(want[j], mag[j], dest[j], TOL64, at + " j=" + j);
          assertClose(wantF[j], mag[j], destF[j], TOL32, at + " float j=" + j);
        }
        assertEquals(want[width], dest[width], 0.0, "beyond the width: untouched");
        assertEquals((float) want[width], destF[width], 0f, "beyond the width: untouched");
      }
    }
  }

  @Test
  void addTiledProductOfFlatCoefficients() {
    for (int batch = 1; batch <= 5; batch++) {
      for (int n = 1; n <= 9; n++) {
        for (int width : new int[] {1, 3, 8, 13, 37}) {
          for (int columns : new int[] {1, 4, 5, 16, 64}) {
            int off = 3;
            int stride = n + 2;
            double[] coef = doubles(off + batch * stride);
            double[][] rows = doubles(n, width);
            double[][] dest = doubles(batch, width);
            double[][] want = new double[batch][];
            double[][] mag = new double[batch][width];
            for (int b = 0; b < batch; b++) {
              want[b] = dest[b].clone();
              for (int j = 0; j < width; j++) {
                mag[b][j] = Math.abs(want[b][j]);
                for (int k = 0; k < n; k++) {
                  double term = coef[off + b * stride + k] * rows[k][j];
                  want[b][j] += term;
                  mag[b][j] += Math.abs(term);
                }
              }
            }
            float[][] destF = floats(dest);
            float[] coefF = floats(coef);
            float[][] rowsF = floats(rows);
            Kernels.addTiledProduct(dest, coef, off, stride, batch, rows, n, width, columns);
            Kernels.addTiledProduct(destF, coefF, off, stride, batch, rowsF, n, width, columns);
            String at = "batch=" + batch + " n=" + n + " width=" + width + " columns=" + columns;
            for (int b = 0; b < batch; b++) {
              for (int j = 0; j < width; j++) {
                assertClose(want[b][j], mag[b][j], dest[b][j], TOL64, at);
                assertClose(want[b][j], mag[b][j], destF[b][j], TOL32 * 4, at + " float");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void addTiledProductOfCoefficientRows() {
    for (int batch = 1; batch <= 5; batch++) {
      for (int n = 1; n <= 9; n++) {
        for (int width : new int[] {1, 2, 7, 12, 37}) {
          for (int columns : new int[] {1, 3, 5, 8, 64}) {
            double[][] coef = doubles(batch, n);
            double[][] rows = doubles(n, width);
            double[][] dest = doubles(batch, width);
            double[][] want = new double[batch][];
            double[][] mag = new double[batch][width];
            for (int b = 0; b < batch; b++) {
              want[b] = dest[b].clone();
              for (int k = 0; k < width; k++) {
                mag[b][k] = Math.abs(want[b][k]);
                for (int j = 0; j < n; j++) {
                  double term = coef[b][j] * rows[j][k];
                  want[b][k] += term;
                  mag[b][k] += Math.abs(term);
                }
              }
            }
            float[][] destF = floats(dest);
            float[][] coefF = floats(coef);
            float[][] rowsF = floats(rows);
            Kernels.addTiledProduct(dest, coef, batch, rows, n, width, columns);
            Kernels.addTiledProduct(destF, coefF, batch, rowsF, n, width, columns);
            String at = "batch=" + batch + " n=" + n + " width=" + width + " columns=" + columns;
            for (int b = 0; b < batch; b++) {
              for (int k = 0; k < width; k++) {
                assertClose(want[b][k], mag[b][k], dest[b][k], TOL64, at);
                assertClose(want[b][k], mag[b][k], destF[b][k], TOL32 * 4, at + " float");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void addOuterProductsAndAddRows() {
    for (int count = 0; count <= 9; count++) {
      for (int n = 1; n <= 9; n++) {
        for (int width : new int[] {1, 4, 9, 16, 37}) {
          int off = 2;
          int stride = n + 1;
          int eFrom = count % 2;
          double[] a = doubles(off + Math.max(count, 1) * stride);
          double[][] e = doubles(eFrom + count, width);
          double[][] dest = doubles(n, width);
          double[] bias = doubles(width);
          double[][] want = new double[n][];
          double[][] mag = new double[n][width];
          double[] wantBias = bias.clone();
          double[] magBias = new double[width];
          for (int k = 0; k < n; k++) {
            want[k] = dest[k].clone();
            for (int j = 0; j < width; j++) {
              mag[k][j] = Math.abs(want[k][j]);
              for (int s = 0; s < count; s++) {
                double term = a[off + s * stride + k] * e[eFrom + s][j];
                want[k][j] += term;
                mag[k][j] += Math.abs(term);
              }
            }
          }
          for (int j = 0; j < width; j++) {
            magBias[j] = Math.abs(bias[j]);
            for (int s = 0; s < count; s++) {
              wantBias[j] += e[eFrom + s][j];
              magBias[j] += Math.abs(e[eFrom + s][j]);
            }
          }
          float[][] destF = floats(dest);
          float[] biasF = floats(bias);
          float[] aF = floats(a);
          float[][] eF = floats(e);
          Kernels.addOuterProducts(dest, a, off, stride, e, eFrom, count, n, width);
          Kernels.addOuterProducts(destF, aF, off, stride, eF, eFrom, count, n, width);
          Kernels.addRows(bias, e, eFrom, count, width);
          Kernels.addRows(biasF, eF, eFrom, count, width);
          String at = "count=" + count + " n=" + n + " width=" + width;
          for (int j = 0; j < width; j++) {
            for (int k = 0; k < n; k++) {
              assertClose(want[k][j], mag[k][j], dest[k][j], TOL64, at);
              assertClose(want[k][j], mag[k][j], destF[k][j], TOL32 * 4, at + " float");
            }
            assertClose(wantBias[j], magBias[j], bias[j], TOL64, at + " addRows");
            assertClose(wantBias[j], magBias[j], biasF[j], TOL32 * 4, at + " addRows float");
          }
        }
      }
    }
  }

  /** The cell state and the elementwise product at offsets of their own in each array, the one array z for the gates. */
  @Test
  void elementwise() {
    for (int n = 0; n <= 37; n++) {
      // c_{t-1} at 2 in c (block t), the gates f, i, c~ at n + 1, 3, 2n + 2 of z; the values around stay as they are
      double[] c = doubles(n + 5);
      double[] z = doubles(4 * n + 3);
      float[] cF = floats(c);
      float[] zF = floats(z);
      double[] cWant = c.clone();
      float[] cFWant = cF.clone();
      for (int k = 0; k < n; k++) {
        cWant[2 + k] = z[n + 1 + k] * c[2 + k] + z[3 + k] * z[2 * n + 2 + k];
        cFWant[2 + k] = zF[n + 1 + k] * cF[2 + k] + zF[3 + k] * zF[2 * n + 2 + k];
      }
      Kernels.cellState(c, 2, z, n + 1, 3, 2 * n + 2, n);
      Kernels.cellState(cF, 2, zF, n + 1, 3, 2 * n + 2, n);
      assertArrayEquals(cWant, c, 0.0, "cellState n=" + n);
      assertArrayEquals(cFWant, cF, 0f, "cellState float n=" + n);

      // out at 1, a and b in two arrays, then both in z
      double[] out = new double[n + 2];
      float[] outF = new float[n + 2];
      Kernels.elementMult(out, 1, c, 2, z, 3 * n, n);
      Kernels.elementMult(outF, 1, cF, 2, zF, 3 * n, n);
      for (int k = 0; k < n; k++) {
        assertEquals(c[2 + k] * z[3 * n + k], out[1 + k], 0.0);
        assertEquals(cF[2 + k] * zF[3 * n + k], outF[1 + k], 0f);
      }
      assertEquals(0.0, out[0], 0.0);
      assertEquals(0.0, out[n + 1], 0.0);
      Kernels.elementMult(out, 0, z, 3 * n, z, 1, n);
      Kernels.elementMult(outF, 0, zF, 3 * n, zF, 1, n);
      for (int k = 0; k < n; k++) {
        assertEquals(z[3 * n + k] * z[1 + k], out[k], 0.0);
        assertEquals(zF[3 * n + k] * zF[1 + k], outF[k], 0f);
      }
    }
  }


  @Test
  void transposesAndCopies() {
    for (int n = 1; n <= 9; n++) {
      for (int width = 1; width <= 37; width += 3) {
        double[][] src = doubles(n, width);
        double[][] t = new double[width][n];
        float[][] tF = new float[width][n];
        Kernels.transpose(src, t, n, width);
        Kernels.transpose(floats(src), tF, n, width);
        double[] flat = new double[n * width];
        float[] flatF = new float[n * width];
        Kernels.fromRows(src, flat, n, width);
        Kernels.fromRows(floats(src), flatF, n, width);
        double[][] back = new double[n][width];
        float[][] backF = new float[n][width];
        Kernels.toRows(flat, back, n, width);
        Kernels.toRows(flatF, backF, n, width);
        double[] rowMajor = new double[width * n];
        float[] rowMajorF = new float[width * n];
        Kernels.columnsToRowMajor(src, rowMajor, n, width);
        Kernels.columnsToRowMajor(floats(src), rowMajorF, n, width);
        for (int k = 0; k < n; k++) {
          for (int j = 0; j < width; j++) {
            assertEquals(src[k][j], t[j][k], 0.0);
            assertEquals((float) src[k][j], tF[j][k], 0f);
            assertEquals(src[k][j], flat[k * width + j], 0.0);
            assertEquals((float) src[k][j], flatF[k * width + j], 0f);
            assertEquals(src[k][j], back[k][j], 0.0);
            assertEquals((float) src[k][j], backF[k][j], 0f);
            // columns[k][r] = src[k][r]: a (width, n) matrix, row r holds src[.][r]
            assertEquals(src[k][j], rowMajor[j * n + k], 0.0);
            assertEquals((float) src[k][j], rowMajorF[j * n + k], 0f);
          }
        }
      }
    }
  }

  /**
   * The form of a generated LSTM step: tiled with the Vector API kernels at every size, with the scalar
   * kernels only above 1 MB of U; the property forces either form.
   */
  @Test
  void stepFormRule() {
    long mb = Kernels.TILED_PRODUCT_BYTES;
    assertFalse(Kernels.prefersTiled(mb, false, "auto"));
    assertTrue(Kernels.prefersTiled(mb + 1, false, "auto"));
    assertTrue(Kernels.prefersTiled(4096, true, "auto"));
    assertTrue(Kernels.prefersTiled(4096, false, "tiled"));
    assertFalse(Kernels.prefersTiled(mb + 1, true, "perSample"));
    assertThrows(IllegalStateException.class, () -> Kernels.prefersTiled(4096, false, "sideways"));
    // the kernels in use, whichever they are: the implementation decides below 1 MB, nothing above
    assertEquals(Kernels.implementation().startsWith("vector"), Kernels.prefersTiled(4096));
    assertTrue(Kernels.prefersTiled(mb + 1));
  }
}
