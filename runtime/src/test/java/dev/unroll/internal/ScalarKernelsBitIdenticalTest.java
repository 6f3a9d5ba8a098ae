package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ScalarKernels} is bit-identical to the loops the processor wrote into every generated class
 * before the kernels moved into the runtime: the same floating-point operations in the same order,
 * so that every golden vector and parity test of the generated models keeps its exact values. The
 * reference loops below are those generated loops (in float64 and float32), with the layer's
 * constants as parameters; each layer shape runs its forward and backward products through both, on
 * the benchmark shapes and on odd ones (units not a multiple of 4, batches not a multiple of 4, tiles
 * that do not divide the width). {@code assertArrayEquals} with delta 0 compares the values' bits
 * (it tells -0.0 from 0.0).
 */
class ScalarKernelsBitIdenticalTest {
  private static final KernelSupport K = ScalarKernels.INSTANCE;
  private final Random rng = new Random(17);

  /** (units, features, batch, columns): the benchmark configs and odd shapes. */
  private static final int[][] SHAPES = {
      {1, 1, 1, 4}, {1, 2, 3, 4}, {8, 3, 16, 32}, {32, 8, 5, 64}, {3, 5, 7, 5}, {5, 7, 4, 6}, {7, 9, 9, 12},
      {13, 6, 6, 20}, {128, 32, 4, 64}, {256, 64, 2, 128}, {181, 3, 5, 64}
  };

  @Test
  void float64() {
    for (int[] s : SHAPES) {
      checkLayer(s[0], s[1], s[2], s[3], new double[0]);
    }
  }

  @Test
  void float32() {
    for (int[] s : SHAPES) {
      checkLayer(s[0], s[1], s[2], s[3], new float[0]);
    }
  }

  // ---- double: the loops as LstmLayerWriter wrote them before the kernels (e.g. in the generated
  // UnrolledBenchModels_LargeF64 and _MidF64), with the layer's constants as parameters

  /** step(): z_t = b + x_t @ W and z_t += h_{t-1} @ U, rowsProduct as generated, sample by sample. */
  static void oldStep(double[] zr, double[] bias, double[] xs, int xo, double[][] wRows, int features, double[] h,
      int prev, double[][] uRows, int units, int gates) {
    System.arraycopy(bias, 0, zr, 0, gates);
    oldRowsProduct(zr, xs, xo, wRows, features, gates);
    oldRowsProduct(zr, h, prev, uRows, units, gates);
  }

  static void oldRowsProduct(double[] zr, double[] xs, int xo, double[][] wRows, int n, int width) {
    if (n >= 4) {
      for (int k = 0; k + 4 <= n; k += 4) {
        double x0 = xs[xo + k];
        double x1 = xs[xo + k + 1];
        double x2 = xs[xo + k + 2];
        double x3 = xs[xo + k + 3];
        final double[] r0 = wRows[k];
        final double[] r1 = wRows[k + 1];
        final double[] r2 = wRows[k + 2];
        final double[] r3 = wRows[k + 3];
        for (int j = 0; j < width; j++) {
          zr[j] += x0 * r0[j] + x1 * r1[j] + x2 * r2[j] + x3 * r3[j];
        }
      }
    }
    for (int k = n - n % 4; k < n; k++) {
      double xk = xs[xo + k];
      final double[] r = wRows[k];
      for (int j = 0; j < width; j++) {
        zr[j] += xk * r[j];
      }
    }
  }

  /** The tiled step's z_t += h_{t-1} @ U. */
  static void oldTiledProducts(double[][] zRows, double[] h, int block, int batch, double[][] uRows, int units,
      int gates, int columns) {
    for (int j0 = 0; j0 < gates; j0 += columns) {
      int j1 = Math.min(gates, j0 + columns);
      if (units >= 4) {
        for (int k = 0; k + 4 <= units; k += 4) {
          final double[] r0 = uRows[k];
          final double[] r1 = uRows[k + 1];
          final double[] r2 = uRows[k + 2];
          final double[] r3 = uRows[k + 3];
          for (int b = 0; b < batch; b++) {
            int prev = block + b * units;
            double h0 = h[prev + k];
            double h1 = h[prev + k + 1];
            double h2 = h[prev + k + 2];
            double h3 = h[prev + k + 3];
            final double[] zr = zRows[b];
            for (int j = j0; j < j1; j++) {
              zr[j] += h0 * r0[j] + h1 * r1[j] + h2 * r2[j] + h3 * r3[j];
            }
          }
        }
      }
      for (int k = units - units % 4; k < units; k++) {
        final double[] r = uRows[k];
        for (int b = 0; b < batch; b++) {
          double hk = h[block + b * units + k];
          final double[] zr = zRows[b];
          for (int j = j0; j < j1; j++) {
            zr[j] += hk * r[j];
          }
        }
      }
    }
  }

  /** The tiled backward step's dL/dh_{t-1} = dz_t @ U^T (GATES is a multiple of 4). */
  static void oldTiledBackwardProduct(double[][] dhRows, double[][] dzRows, int batch, double[][] uTRows, int units,
      int gates, int columns) {
    for (int k0 = 0; k0 < units; k0 += columns) {
      int k1 = Math.min(units, k0 + columns);
      for (int j = 0; j < gates; j += 4) {
        final double[] r0 = uTRows[j];
        final double[] r1 = uTRows[j + 1];
        final double[] r2 = uTRows[j + 2];
        final double[] r3 = uTRows[j + 3];
        for (int b = 0; b < batch; b++) {
          final double[] e = dzRows[b];
          double d0 = e[j];
          double d1 = e[j + 1];
          double d2 = e[j + 2];
          double d3 = e[j + 3];
          final double[] dr = dhRows[b];
          for (int k = k0; k < k1; k++) {
            dr[k] += d0 * r0[k] + d1 * r1[k] + d2 * r2[k] + d3 * r3[k];
          }
        }
      }
    }
  }

  /** The backward step's weight gradients: dW, dU and db, four samples per pass, interleaved. */
  static void oldGradients(double[][] dKernelRows, double[][] dRecurrentKernelRows, double[] db, double[] xs,
      double[] h, double[][] dzRows, int t, int block, int batch, int features, int units, int gates) {
    int b = 0;
    for (; b + 4 <= batch; b += 4) {
      int xo = (t * batch + b) * features;
      int prev = block + b * units;
      final double[] e0 = dzRows[b];
      final double[] e1 = dzRows[b + 1];
      final double[] e2 = dzRows[b + 2];
      final double[] e3 = dzRows[b + 3];
      for (int k = 0; k < features; k++) {
        double a0 = xs[xo + k];
        double a1 = xs[xo + features + k];
        double a2 = xs[xo + 2 * features + k];
        double a3 = xs[xo + 3 * features + k];
        final double[] d = dKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j] + a1 * e1[j] + a2 * e2[j] + a3 * e3[j];
        }
      }
      for (int k = 0; k < units; k++) {
        double a0 = h[prev + k];
        double a1 = h[prev + units + k];
        double a2 = h[prev + 2 * units + k];
        double a3 = h[prev + 3 * units + k];
        final double[] d = dRecurrentKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j] + a1 * e1[j] + a2 * e2[j] + a3 * e3[j];
        }
      }
      for (int j = 0; j < gates; j++) {
        db[j] += e0[j] + e1[j] + e2[j] + e3[j];
      }
    }
    for (; b < batch; b++) {
      int xo = (t * batch + b) * features;
      int prev = block + b * units;
      final double[] e0 = dzRows[b];
      for (int k = 0; k < features; k++) {
        double a0 = xs[xo + k];
        final double[] d = dKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j];
        }
      }
      for (int k = 0; k < units; k++) {
        double a0 = h[prev + k];
        final double[] d = dRecurrentKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j];
        }
      }
      for (int j = 0; j < gates; j++) {
        db[j] += e0[j];
      }
    }
  }

  /** The cell and output loops of step() and stepOne(). */
  static void oldCell(double[] ct, double[] zf, double[] zi, double[] zg, double[] ht, double[] zo, double[] at,
      int size) {
    for (int k = 0; k < size; k++) {
      ct[k] = zf[k] * ct[k] + zi[k] * zg[k];
    }
    for (int k = 0; k < size; k++) {
      ht[k] = zo[k] * at[k];
    }
  }

  static void oldCellOne(double[] c, double[] z, double[] h, int units) {
    for (int j = 0; j < units; j++) {
      c[j] = z[units + j] * c[j] + z[j] * z[2 * units + j];
    }
    for (int j = 0; j < units; j++) {
      h[j] = z[3 * units + j] * z[j];
    }
  }

  /** One layer's forward and backward products, old loops against kernels, bit for bit. */
  private void checkLayer(int units, int features, int batch, int columns, double[] dummy) {
    int gates = 4 * units;
    int t = 2;
    int timesteps = 3;
    double[][] wRows = randomRows(features, gates, dummy);
    double[][] uRows = randomRows(units, gates, dummy);
    double[] bias = random(gates, dummy);
    double[] xs = random(timesteps * batch * features, dummy);
    double[] h = random((timesteps + 1) * batch * units, dummy);
    int block = t * batch * units;
    String at = "units=" + units + " features=" + features + " batch=" + batch + " columns=" + columns;

    for (int b = 0; b < batch; b++) {
      double[] want = new double[gates];
      double[] got = new double[gates];
      int xo = (t * batch + b) * features;
      int prev = block + b * units;
      oldStep(want, bias, xs, xo, wRows, features, h, prev, uRows, units, gates);
      System.arraycopy(bias, 0, got, 0, gates);
      K.addRowsProduct(got, xs, xo, wRows, features, gates);
      K.addRowsProduct(got, h, prev, uRows, units, gates);
      assertArrayEquals(want, got, 0.0, "step " + at);
    }

    double[][] zWant = randomRows(batch, gates, dummy);
    double[][] zGot = copy(zWant);
    oldTiledProducts(zWant, h, block, batch, uRows, units, gates, columns);
    K.addTiledProduct(zGot, h, block, units, batch, uRows, units, gates, columns);
    assertArrays(zWant, zGot, "tiled step " + at);

    double[][] uTWant = new double[gates][units];
    for (int k = 0; k < units; k++) {
      for (int j = 0; j < gates; j++) {
        uTWant[j][k] = uRows[k][j];
      }
    }
    double[][] uT = new double[gates][units];
    K.transpose(uRows, uT, units, gates);
    assertArrays(uTWant, uT, "transpose " + at);

    double[][] dzRows = randomRows(batch, gates, dummy);
    double[][] dhWant = new double[batch][units];
    double[][] dhGot = new double[batch][units];
    oldTiledBackwardProduct(dhWant, dzRows, batch, uT, units, gates, Math.min(columns, units));
    K.addTiledProduct(dhGot, dzRows, batch, uT, gates, units, Math.min(columns, units));
    assertArrays(dhWant, dhGot, "tiled backward " + at);
    for (int b = 0; b < batch; b++) {
      double[] want = new double[units];
      double[] got = new double[units];
      oldRowsProduct(want, dzRows[b], 0, uT, gates, units);
      K.addRowsProduct(got, dzRows[b], 0, uT, gates, units);
      assertArrayEquals(want, got, 0.0, "backward " + at);
    }

    double[][] dW = randomRows(features, gates, dummy);
    double[][] dU = randomRows(units, gates, dummy);
    double[] db = random(gates, dummy);
    double[][] dWGot = copy(dW);
    double[][] dUGot = copy(dU);
    double[] dbGot = db.clone();
    oldGradients(dW, dU, db, xs, h, dzRows, t, block, batch, features, units, gates);
    K.addOuterProducts(dWGot, xs, t * batch * features, features, dzRows, 0, batch, features, gates);
    K.addOuterProducts(dUGot, h, block, units, dzRows, 0, batch, units, gates);
    K.addRows(dbGot, dzRows, 0, batch, gates);
    assertArrays(dW, dWGot, "dW " + at);
    assertArrays(dU, dUGot, "dU " + at);
    assertArrayEquals(db, dbGot, 0.0, "db " + at);

    int size = batch * units;
    double[] zf = random(size, dummy);
    double[] zi = random(size, dummy);
    double[] zg = random(size, dummy);
    double[] zo = random(size, dummy);
    double[] act = random(size, dummy);
    double[] ct = random(size, dummy);
    double[] ctGot = ct.clone();
    double[] ht = new double[size];
    double[] htGot = new double[size];
    oldCell(ct, zf, zi, zg, ht, zo, act, size);
    // the gates as the step keeps them: blocks i, f, c~ of one array
    double[] ifg = new double[3 * size];
    System.arraycopy(zi, 0, ifg, 0, size);
    System.arraycopy(zf, 0, ifg, size, size);
    System.arraycopy(zg, 0, ifg, 2 * size, size);
    K.cellState(ctGot, 0, ifg, size, 0, 2 * size, size);
    K.elementMult(htGot, 0, zo, 0, act, 0, size);
    assertArrayEquals(ct, ctGot, 0.0, "cell " + at);
    assertArrayEquals(ht, htGot, 0.0, "h " + at);
    double[] z = random(gates, dummy);
    double[] c1 = random(units, dummy);
    double[] c1Got = c1.clone();
    double[] h1 = new double[units];
    double[] h1Got = new double[units];
    oldCellOne(c1, z, h1, units);
    K.cellState(c1Got, 0, z, units, 0, 2 * units, units);
    K.elementMult(h1Got, 0, z, 3 * units, z, 0, units);
    assertArrayEquals(c1, c1Got, 0.0, "stepper cell " + at);
    assertArrayEquals(h1, h1Got, 0.0, "stepper h " + at);

    double[][] dzT = randomRows(gates, timesteps * batch, dummy);
    int rows = timesteps * batch;
    for (int k = 0; k < features; k++) {
      double[] want = new double[rows];
      double[] got = new double[rows];
      oldRowsProduct(want, wRows[k], 0, dzT, gates, rows);
      K.addRowsProduct(got, wRows[k], 0, dzT, gates, rows);
      assertArrayEquals(want, got, 0.0, "dx " + at);
    }
  }

  private double[] random(int n, double[] dummy) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextGaussian();
    }
    return a;
  }

  private double[][] randomRows(int rows, int width, double[] dummy) {
    double[][] a = new double[rows][];
    for (int r = 0; r < rows; r++) {
      a[r] = random(width, dummy);
    }
    return a;
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int r = 0; r < a.length; r++) {
      c[r] = a[r].clone();
    }
    return c;
  }

  private static void assertArrays(double[][] want, double[][] got, String what) {
    for (int r = 0; r < want.length; r++) {
      assertArrayEquals(want[r], got[r], 0.0, what + " row " + r);
    }
  }

  // ---- float: the same loops in float (as in the generated UnrolledBenchModels_LargeF32 and _MidF32),
  // with the layer's constants as parameters

  /** step(): z_t = b + x_t @ W and z_t += h_{t-1} @ U, rowsProduct as generated, sample by sample. */
  static void oldStep(float[] zr, float[] bias, float[] xs, int xo, float[][] wRows, int features, float[] h,
      int prev, float[][] uRows, int units, int gates) {
    System.arraycopy(bias, 0, zr, 0, gates);
    oldRowsProduct(zr, xs, xo, wRows, features, gates);
    oldRowsProduct(zr, h, prev, uRows, units, gates);
  }

  static void oldRowsProduct(float[] zr, float[] xs, int xo, float[][] wRows, int n, int width) {
    if (n >= 4) {
      for (int k = 0; k + 4 <= n; k += 4) {
        float x0 = xs[xo + k];
        float x1 = xs[xo + k + 1];
        float x2 = xs[xo + k + 2];
        float x3 = xs[xo + k + 3];
        final float[] r0 = wRows[k];
        final float[] r1 = wRows[k + 1];
        final float[] r2 = wRows[k + 2];
        final float[] r3 = wRows[k + 3];
        for (int j = 0; j < width; j++) {
          zr[j] += x0 * r0[j] + x1 * r1[j] + x2 * r2[j] + x3 * r3[j];
        }
      }
    }
    for (int k = n - n % 4; k < n; k++) {
      float xk = xs[xo + k];
      final float[] r = wRows[k];
      for (int j = 0; j < width; j++) {
        zr[j] += xk * r[j];
      }
    }
  }

  /** The tiled step's z_t += h_{t-1} @ U. */
  static void oldTiledProducts(float[][] zRows, float[] h, int block, int batch, float[][] uRows, int units,
      int gates, int columns) {
    for (int j0 = 0; j0 < gates; j0 += columns) {
      int j1 = Math.min(gates, j0 + columns);
      if (units >= 4) {
        for (int k = 0; k + 4 <= units; k += 4) {
          final float[] r0 = uRows[k];
          final float[] r1 = uRows[k + 1];
          final float[] r2 = uRows[k + 2];
          final float[] r3 = uRows[k + 3];
          for (int b = 0; b < batch; b++) {
            int prev = block + b * units;
            float h0 = h[prev + k];
            float h1 = h[prev + k + 1];
            float h2 = h[prev + k + 2];
            float h3 = h[prev + k + 3];
            final float[] zr = zRows[b];
            for (int j = j0; j < j1; j++) {
              zr[j] += h0 * r0[j] + h1 * r1[j] + h2 * r2[j] + h3 * r3[j];
            }
          }
        }
      }
      for (int k = units - units % 4; k < units; k++) {
        final float[] r = uRows[k];
        for (int b = 0; b < batch; b++) {
          float hk = h[block + b * units + k];
          final float[] zr = zRows[b];
          for (int j = j0; j < j1; j++) {
            zr[j] += hk * r[j];
          }
        }
      }
    }
  }

  /** The tiled backward step's dL/dh_{t-1} = dz_t @ U^T (GATES is a multiple of 4). */
  static void oldTiledBackwardProduct(float[][] dhRows, float[][] dzRows, int batch, float[][] uTRows, int units,
      int gates, int columns) {
    for (int k0 = 0; k0 < units; k0 += columns) {
      int k1 = Math.min(units, k0 + columns);
      for (int j = 0; j < gates; j += 4) {
        final float[] r0 = uTRows[j];
        final float[] r1 = uTRows[j + 1];
        final float[] r2 = uTRows[j + 2];
        final float[] r3 = uTRows[j + 3];
        for (int b = 0; b < batch; b++) {
          final float[] e = dzRows[b];
          float d0 = e[j];
          float d1 = e[j + 1];
          float d2 = e[j + 2];
          float d3 = e[j + 3];
          final float[] dr = dhRows[b];
          for (int k = k0; k < k1; k++) {
            dr[k] += d0 * r0[k] + d1 * r1[k] + d2 * r2[k] + d3 * r3[k];
          }
        }
      }
    }
  }

  /** The backward step's weight gradients: dW, dU and db, four samples per pass, interleaved. */
  static void oldGradients(float[][] dKernelRows, float[][] dRecurrentKernelRows, float[] db, float[] xs,
      float[] h, float[][] dzRows, int t, int block, int batch, int features, int units, int gates) {
    int b = 0;
    for (; b + 4 <= batch; b += 4) {
      int xo = (t * batch + b) * features;
      int prev = block + b * units;
      final float[] e0 = dzRows[b];
      final float[] e1 = dzRows[b + 1];
      final float[] e2 = dzRows[b + 2];
      final float[] e3 = dzRows[b + 3];
      for (int k = 0; k < features; k++) {
        float a0 = xs[xo + k];
        float a1 = xs[xo + features + k];
        float a2 = xs[xo + 2 * features + k];
        float a3 = xs[xo + 3 * features + k];
        final float[] d = dKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j] + a1 * e1[j] + a2 * e2[j] + a3 * e3[j];
        }
      }
      for (int k = 0; k < units; k++) {
        float a0 = h[prev + k];
        float a1 = h[prev + units + k];
        float a2 = h[prev + 2 * units + k];
        float a3 = h[prev + 3 * units + k];
        final float[] d = dRecurrentKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j] + a1 * e1[j] + a2 * e2[j] + a3 * e3[j];
        }
      }
      for (int j = 0; j < gates; j++) {
        db[j] += e0[j] + e1[j] + e2[j] + e3[j];
      }
    }
    for (; b < batch; b++) {
      int xo = (t * batch + b) * features;
      int prev = block + b * units;
      final float[] e0 = dzRows[b];
      for (int k = 0; k < features; k++) {
        float a0 = xs[xo + k];
        final float[] d = dKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j];
        }
      }
      for (int k = 0; k < units; k++) {
        float a0 = h[prev + k];
        final float[] d = dRecurrentKernelRows[k];
        for (int j = 0; j < gates; j++) {
          d[j] += a0 * e0[j];
        }
      }
      for (int j = 0; j < gates; j++) {
        db[j] += e0[j];
      }
    }
  }

  /** The cell and output loops of step() and stepOne(). */
  static void oldCell(float[] ct, float[] zf, float[] zi, float[] zg, float[] ht, float[] zo, float[] at,
      int size) {
    for (int k = 0; k < size; k++) {
      ct[k] = zf[k] * ct[k] + zi[k] * zg[k];
    }
    for (int k = 0; k < size; k++) {
      ht[k] = zo[k] * at[k];
    }
  }

  static void oldCellOne(float[] c, float[] z, float[] h, int units) {
    for (int j = 0; j < units; j++) {
      c[j] = z[units + j] * c[j] + z[j] * z[2 * units + j];
    }
    for (int j = 0; j < units; j++) {
      h[j] = z[3 * units + j] * z[j];
    }
  }

  /** One layer's forward and backward products, old loops against kernels, bit for bit. */
  private void checkLayer(int units, int features, int batch, int columns, float[] dummy) {
    int gates = 4 * units;
    int t = 2;
    int timesteps = 3;
    float[][] wRows = randomRows(features, gates, dummy);
    float[][] uRows = randomRows(units, gates, dummy);
    float[] bias = random(gates, dummy);
    float[] xs = random(timesteps * batch * features, dummy);
    float[] h = random((timesteps + 1) * batch * units, dummy);
    int block = t * batch * units;
    String at = "units=" + units + " features=" + features + " batch=" + batch + " columns=" + columns;

    for (int b = 0; b < batch; b++) {
      float[] want = new float[gates];
      float[] got = new float[gates];
      int xo = (t * batch + b) * features;
      int prev = block + b * units;
      oldStep(want, bias, xs, xo, wRows, features, h, prev, uRows, units, gates);
      System.arraycopy(bias, 0, got, 0, gates);
      K.addRowsProduct(got, xs, xo, wRows, features, gates);
      K.addRowsProduct(got, h, prev, uRows, units, gates);
      assertArrayEquals(want, got, 0f, "step " + at);
    }

    float[][] zWant = randomRows(batch, gates, dummy);
    float[][] zGot = copy(zWant);
    oldTiledProducts(zWant, h, block, batch, uRows, units, gates, columns);
    K.addTiledProduct(zGot, h, block, units, batch, uRows, units, gates, columns);
    assertArrays(zWant, zGot, "tiled step " + at);

    float[][] uTWant = new float[gates][units];
    for (int k = 0; k < units; k++) {
      for (int j = 0; j < gates; j++) {
        uTWant[j][k] = uRows[k][j];
      }
    }
    float[][] uT = new float[gates][units];
    K.transpose(uRows, uT, units, gates);
    assertArrays(uTWant, uT, "transpose " + at);

    float[][] dzRows = randomRows(batch, gates, dummy);
    float[][] dhWant = new float[batch][units];
    float[][] dhGot = new float[batch][units];
    oldTiledBackwardProduct(dhWant, dzRows, batch, uT, units, gates, Math.min(columns, units));
    K.addTiledProduct(dhGot, dzRows, batch, uT, gates, units, Math.min(columns, units));
    assertArrays(dhWant, dhGot, "tiled backward " + at);
    for (int b = 0; b < batch; b++) {
      float[] want = new float[units];
      float[] got = new float[units];
      oldRowsProduct(want, dzRows[b], 0, uT, gates, units);
      K.addRowsProduct(got, dzRows[b], 0, uT, gates, units);
      assertArrayEquals(want, got, 0f, "backward " + at);
    }

    float[][] dW = randomRows(features, gates, dummy);
    float[][] dU = randomRows(units, gates, dummy);
    float[] db = random(gates, dummy);
    float[][] dWGot = copy(dW);
    float[][] dUGot = copy(dU);
    float[] dbGot = db.clone();
    oldGradients(dW, dU, db, xs, h, dzRows, t, block, batch, features, units, gates);
    K.addOuterProducts(dWGot, xs, t * batch * features, features, dzRows, 0, batch, features, gates);
    K.addOuterProducts(dUGot, h, block, units, dzRows, 0, batch, units, gates);
    K.addRows(dbGot, dzRows, 0, batch, gates);
    assertArrays(dW, dWGot, "dW " + at);
    assertArrays(dU, dUGot, "dU " + at);
    assertArrayEquals(db, dbGot, 0f, "db " + at);

    int size = batch * units;
    float[] zf = random(size, dummy);
    float[] zi = random(size, dummy);
    float[] zg = random(size, dummy);
    float[] zo = random(size, dummy);
    float[] act = random(size, dummy);
    float[] ct = random(size, dummy);
    float[] ctGot = ct.clone();
    float[] ht = new float[size];
    float[] htGot = new float[size];
    oldCell(ct, zf, zi, zg, ht, zo, act, size);
    // the gates as the step keeps them: blocks i, f, c~ of one array
    float[] ifg = new float[3 * size];
    System.arraycopy(zi, 0, ifg, 0, size);
    System.arraycopy(zf, 0, ifg, size, size);
    System.arraycopy(zg, 0, ifg, 2 * size, size);
    K.cellState(ctGot, 0, ifg, size, 0, 2 * size, size);
    K.elementMult(htGot, 0, zo, 0, act, 0, size);
    assertArrayEquals(ct, ctGot, 0f, "cell " + at);
    assertArrayEquals(ht, htGot, 0f, "h " + at);
    float[] z = random(gates, dummy);
    float[] c1 = random(units, dummy);
    float[] c1Got = c1.clone();
    float[] h1 = new float[units];
    float[] h1Got = new float[units];
    oldCellOne(c1, z, h1, units);
    K.cellState(c1Got, 0, z, units, 0, 2 * units, units);
    K.elementMult(h1Got, 0, z, 3 * units, z, 0, units);
    assertArrayEquals(c1, c1Got, 0f, "stepper cell " + at);
    assertArrayEquals(h1, h1Got, 0f, "stepper h " + at);

    float[][] dzT = randomRows(gates, timesteps * batch, dummy);
    int rows = timesteps * batch;
    for (int k = 0; k < features; k++) {
      float[] want = new float[rows];
      float[] got = new float[rows];
      oldRowsProduct(want, wRows[k], 0, dzT, gates, rows);
      K.addRowsProduct(got, wRows[k], 0, dzT, gates, rows);
      assertArrayEquals(want, got, 0f, "dx " + at);
    }
  }

  private float[] random(int n, float[] dummy) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }

  private float[][] randomRows(int rows, int width, float[] dummy) {
    float[][] a = new float[rows][];
    for (int r = 0; r < rows; r++) {
      a[r] = random(width, dummy);
    }
    return a;
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int r = 0; r < a.length; r++) {
      c[r] = a[r].clone();
    }
    return c;
  }

  private static void assertArrays(float[][] want, float[][] got, String what) {
    for (int r = 0; r < want.length; r++) {
      assertArrayEquals(want[r], got[r], 0f, what + " row " + r);
    }
  }
}
