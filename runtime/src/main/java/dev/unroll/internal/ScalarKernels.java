package dev.unroll.internal;

/**
 * The kernels as plain Java loops: the implementation that always runs, and the fallback of any
 * other. Each is the loop the processor used to write into every generated class, with the same
 * order of floating-point operations, so that results are bit-identical to that code.
 *
 * <p>The loops are shaped for HotSpot C2's auto-vectorisation (SuperWord): the inner loop of each
 * product is an axpy, {@code dest[j] += c0·r0[j] + c1·r1[j] + c2·r2[j] + c3·r3[j]}, with one output
 * array, every array indexed by the loop variable, and no floating-point reduction (a dot-product
 * form would be one, which C2 does not vectorise). Four rows per pass read and write {@code dest}
 * once for four rows. Each method stays under HotSpot's {@code FreqInlineSize} (325 bytes of
 * bytecode), so that C2 can inline it at a hot call site.
 */
final class ScalarKernels implements KernelSupport {
  /** The one instance: the implementation is stateless. */
  static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  /** The bytes of dest in one column tile of {@link #addOuterProducts}: half of a 512 KB L2. */
  static final int OUTER_TILE_BYTES = 256 * 1024;

  @Override
  public String name() {
    return "scalar";
  }

  // float64

  @Override
  public void addRowsProduct(double[] dest, double[] coef, int coefOffset, double[][] rows, int n, int width) {
    int k = 0;
    for (; k + 4 <= n; k += 4) {
      double c0 = coef[coefOffset + k];
      double c1 = coef[coefOffset + k + 1];
      double c2 = coef[coefOffset + k + 2];
      double c3 = coef[coefOffset + k + 3];
      final double[] r0 = rows[k];
      final double[] r1 = rows[k + 1];
      final double[] r2 = rows[k + 2];
      final double[] r3 = rows[k + 3];
      for (int j = 0; j < width; j++) {
        dest[j] += c0 * r0[j] + c1 * r1[j] + c2 * r2[j] + c3 * r3[j];
      }
    }
    for (; k < n; k++) {
      double ck = coef[coefOffset + k];
      final double[] r = rows[k];
      for (int j = 0; j < width; j++) {
        dest[j] += ck * r[j];
      }
    }
  }

  @Override
  public void addTiledProduct(double[][] dest, double[] coef, int coefOffset, int coefStride, int batch,
      double[][] rows, int n, int width, int columns) {
    for (int j0 = 0; j0 < width; j0 += columns) {
      int j1 = Math.min(width, j0 + columns);
      int k = 0;
      for (; k + 4 <= n; k += 4) {
        final double[] r0 = rows[k];
        final double[] r1 = rows[k + 1];
        final double[] r2 = rows[k + 2];
        final double[] r3 = rows[k + 3];
        for (int b = 0; b < batch; b++) {
          int o = coefOffset + b * coefStride + k;
          double c0 = coef[o];
          double c1 = coef[o + 1];
          double c2 = coef[o + 2];
          double c3 = coef[o + 3];
          final double[] d = dest[b];
          for (int j = j0; j < j1; j++) {
            d[j] += c0 * r0[j] + c1 * r1[j] + c2 * r2[j] + c3 * r3[j];
          }
        }
      }
      for (; k < n; k++) {
        final double[] r = rows[k];
        for (int b = 0; b < batch; b++) {
          double ck = coef[coefOffset + b * coefStride + k];
          final double[] d = dest[b];
          for (int j = j0; j < j1; j++) {
            d[j] += ck * r[j];
          }
        }
      }
    }
  }

  @Override
  public void addTiledProduct(double[][] dest, double[][] coef, int batch, double[][] rows, int n, int width,
      int columns) {
    for (int k0 = 0; k0 < width; k0 += columns) {
      int k1 = Math.min(width, k0 + columns);
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        final double[] r0 = rows[j];
        final double[] r1 = rows[j + 1];
        final double[] r2 = rows[j + 2];
        final double[] r3 = rows[j + 3];
        for (int b = 0; b < batch; b++) {
          final double[] e = coef[b];
          double d0 = e[j];
          double d1 = e[j + 1];
          double d2 = e[j + 2];
          double d3 = e[j + 3];
          final double[] d = dest[b];
          for (int k = k0; k < k1; k++) {
            d[k] += d0 * r0[k] + d1 * r1[k] + d2 * r2[k] + d3 * r3[k];
          }
        }
      }
      for (; j < n; j++) {
        final double[] r = rows[j];
        for (int b = 0; b < batch; b++) {
          double dj = coef[b][j];
          final double[] d = dest[b];
          for (int k = k0; k < k1; k++) {
            d[k] += dj * r[k];
          }
        }
      }
    }
  }

  @Override
  public void addOuterProducts(double[][] dest, double[] a, int aOffset, int aStride, double[][] e, int eFrom,
      int count, int n, int width) {
    // Columns in tiles of dest whose n rows fit in OUTER_TILE_BYTES (L2), so that the passes of four
    // samples each re-read a tile from L2 rather than all of dest from L3 or memory (dU at 256 units);
    // each value's terms are added in the same order as without tiles (bit-identical).
    int columns = Math.max(16, OUTER_TILE_BYTES / 8 / Math.max(1, n));
    for (int j0 = 0; j0 < width; j0 += columns) {
      int j1 = Math.min(width, j0 + columns);
      int s = 0;
      for (; s + 4 <= count; s += 4) {
        int o = aOffset + s * aStride;
        final double[] e0 = e[eFrom + s];
        final double[] e1 = e[eFrom + s + 1];
        final double[] e2 = e[eFrom + s + 2];
        final double[] e3 = e[eFrom + s + 3];
        for (int k = 0; k < n; k++) {
          double a0 = a[o + k];
          double a1 = a[o + aStride + k];
          double a2 = a[o + 2 * aStride + k];
          double a3 = a[o + 3 * aStride + k];
          final double[] d = dest[k];
          for (int j = j0; j < j1; j++) {
            d[j] += a0 * e0[j] + a1 * e1[j] + a2 * e2[j] + a3 * e3[j];
          }
        }
      }
      for (; s < count; s++) {
        int o = aOffset + s * aStride;
        final double[] e0 = e[eFrom + s];
        for (int k = 0; k < n; k++) {
          double a0 = a[o + k];
          final double[] d = dest[k];
          for (int j = j0; j < j1; j++) {
            d[j] += a0 * e0[j];
          }
        }
      }
    }
  }


  @Override
  public void addRows(double[] dest, double[][] e, int eFrom, int count, int width) {
    int s = 0;
    for (; s + 4 <= count; s += 4) {
      final double[] e0 = e[eFrom + s];
      final double[] e1 = e[eFrom + s + 1];
      final double[] e2 = e[eFrom + s + 2];
      final double[] e3 = e[eFrom + s + 3];
      for (int j = 0; j < width; j++) {
        dest[j] += e0[j] + e1[j] + e2[j] + e3[j];
      }
    }
    for (; s < count; s++) {
      final double[] e0 = e[eFrom + s];
      for (int j = 0; j < width; j++) {
        dest[j] += e0[j];
      }
    }
  }

  @Override
  public void cellState(double[] c, int cFrom, double[] z, int fFrom, int iFrom, int gFrom, int n) {
    for (int k = 0; k < n; k++) {
      c[cFrom + k] = z[fFrom + k] * c[cFrom + k] + z[iFrom + k] * z[gFrom + k];
    }
  }

  @Override
  public void elementMult(double[] out, int outFrom, double[] a, int aFrom, double[] b, int bFrom, int n) {
    for (int k = 0; k < n; k++) {
      out[outFrom + k] = a[aFrom + k] * b[bFrom + k];
    }
  }

  @Override
  public void transpose(double[][] src, double[][] dest, int n, int width) {
    for (int k = 0; k < n; k++) {
      final double[] s = src[k];
      for (int j = 0; j < width; j++) {
        dest[j][k] = s[j];
      }
    }
  }

  @Override
  public void columnsToRowMajor(double[][] columns, double[] dest, int n, int count) {
    for (int k = 0; k < n; k++) {
      final double[] col = columns[k];
      for (int r = 0; r < count; r++) {
        dest[r * n + k] = col[r];
      }
    }
  }

  @Override
  public void toRows(double[] src, double[][] rows, int n, int width) {
    for (int k = 0; k < n; k++) {
      System.arraycopy(src, k * width, rows[k], 0, width);
    }
  }

  @Override
  public void fromRows(double[][] rows, double[] dest, int n, int width) {
    for (int k = 0; k < n; k++) {
      System.arraycopy(rows[k], 0, dest, k * width, width);
    }
  }

  // float32: the same loops in float

  @Override
  public void addRowsProduct(float[] dest, float[] coef, int coefOffset, float[][] rows, int n, int width) {
    int k = 0;
    for (; k + 4 <= n; k += 4) {
      float c0 = coef[coefOffset + k];
      float c1 = coef[coefOffset + k + 1];
      float c2 = coef[coefOffset + k + 2];
      float c3 = coef[coefOffset + k + 3];
      final float[] r0 = rows[k];
      final float[] r1 = rows[k + 1];
      final float[] r2 = rows[k + 2];
      final float[] r3 = rows[k + 3];
      for (int j = 0; j < width; j++) {
        dest[j] += c0 * r0[j] + c1 * r1[j] + c2 * r2[j] + c3 * r3[j];
      }
    }
    for (; k < n; k++) {
      float ck = coef[coefOffset + k];
      final float[] r = rows[k];
      for (int j = 0; j < width; j++) {
        dest[j] += ck * r[j];
      }
    }
  }

  @Override
  public void addTiledProduct(float[][] dest, float[] coef, int coefOffset, int coefStride, int batch,
      float[][] rows, int n, int width, int columns) {
    for (int j0 = 0; j0 < width; j0 += columns) {
      int j1 = Math.min(width, j0 + columns);
      int k = 0;
      for (; k + 4 <= n; k += 4) {
        final float[] r0 = rows[k];
        final float[] r1 = rows[k + 1];
        final float[] r2 = rows[k + 2];
        final float[] r3 = rows[k + 3];
        for (int b = 0; b < batch; b++) {
          int o = coefOffset + b * coefStride + k;
          float c0 = coef[o];
          float c1 = coef[o + 1];
          float c2 = coef[o + 2];
          float c3 = coef[o + 3];
          final float[] d = dest[b];
          for (int j = j0; j < j1; j++) {
            d[j] += c0 * r0[j] + c1 * r1[j] + c2 * r2[j] + c3 * r3[j];
          }
        }
      }
      for (; k < n; k++) {
        final float[] r = rows[k];
        for (int b = 0; b < batch; b++) {
          float ck = coef[coefOffset + b * coefStride + k];
          final float[] d = dest[b];
          for (int j = j0; j < j1; j++) {
            d[j] += ck * r[j];
          }
        }
      }
    }
  }

  @Override
  public void addTiledProduct(float[][] dest, float[][] coef, int batch, float[][] rows, int n, int width,
      int columns) {
    for (int k0 = 0; k0 < width; k0 += columns) {
      int k1 = Math.min(width, k0 + columns);
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        final float[] r0 = rows[j];
        final float[] r1 = rows[j + 1];
        final float[] r2 = rows[j + 2];
        final float[] r3 = rows[j + 3];
        for (int b = 0; b < batch; b++) {
          final float[] e = coef[b];
          float d0 = e[j];
          float d1 = e[j + 1];
          float d2 = e[j + 2];
          float d3 = e[j + 3];
          final float[] d = dest[b];
          for (int k = k0; k < k1; k++) {
            d[k] += d0 * r0[k] + d1 * r1[k] + d2 * r2[k] + d3 * r3[k];
          }
        }
      }
      for (; j < n; j++) {
        final float[] r = rows[j];
        for (int b = 0; b < batch; b++) {
          float dj = coef[b][j];
          final float[] d = dest[b];
          for (int k = k0; k < k1; k++) {
            d[k] += dj * r[k];
          }
        }
      }
    }
  }

  @Override
  public void addOuterProducts(float[][] dest, float[] a, int aOffset, int aStride, float[][] e, int eFrom,
      int count, int n, int width) {
    // Columns in tiles of dest whose n rows fit in OUTER_TILE_BYTES (L2), so that the passes of four
    // samples each re-read a tile from L2 rather than all of dest from L3 or memory (dU at 256 units);
    // each value's terms are added in the same order as without tiles (bit-identical).
    int columns = Math.max(16, OUTER_TILE_BYTES / 4 / Math.max(1, n));
    for (int j0 = 0; j0 < width; j0 += columns) {
      int j1 = Math.min(width, j0 + columns);
      int s = 0;
      for (; s + 4 <= count; s += 4) {
        int o = aOffset + s * aStride;
        final float[] e0 = e[eFrom + s];
        final float[] e1 = e[eFrom + s + 1];
        final float[] e2 = e[eFrom + s + 2];
        final float[] e3 = e[eFrom + s + 3];
        for (int k = 0; k < n; k++) {
          float a0 = a[o + k];
          float a1 = a[o + aStride + k];
          float a2 = a[o + 2 * aStride + k];
          float a3 = a[o + 3 * aStride + k];
          final float[] d = dest[k];
          for (int j = j0; j < j1; j++) {
            d[j] += a0 * e0[j] + a1 * e1[j] + a2 * e2[j] + a3 * e3[j];
          }
        }
      }
      for (; s < count; s++) {
        int o = aOffset + s * aStride;
        final float[] e0 = e[eFrom + s];
        for (int k = 0; k < n; k++) {
          float a0 = a[o + k];
          final float[] d = dest[k];
          for (int j = j0; j < j1; j++) {
            d[j] += a0 * e0[j];
          }
        }
      }
    }
  }


  @Override
  public void addRows(float[] dest, float[][] e, int eFrom, int count, int width) {
    int s = 0;
    for (; s + 4 <= count; s += 4) {
      final float[] e0 = e[eFrom + s];
      final float[] e1 = e[eFrom + s + 1];
      final float[] e2 = e[eFrom + s + 2];
      final float[] e3 = e[eFrom + s + 3];
      for (int j = 0; j < width; j++) {
        dest[j] += e0[j] + e1[j] + e2[j] + e3[j];
      }
    }
    for (; s < count; s++) {
      final float[] e0 = e[eFrom + s];
      for (int j = 0; j < width; j++) {
        dest[j] += e0[j];
      }
    }
  }

  @Override
  public void cellState(float[] c, int cFrom, float[] z, int fFrom, int iFrom, int gFrom, int n) {
    for (int k = 0; k < n; k++) {
      c[cFrom + k] = z[fFrom + k] * c[cFrom + k] + z[iFrom + k] * z[gFrom + k];
    }
  }

  @Override
  public void elementMult(float[] out, int outFrom, float[] a, int aFrom, float[] b, int bFrom, int n) {
    for (int k = 0; k < n; k++) {
      out[outFrom + k] = a[aFrom + k] * b[bFrom + k];
    }
  }

  @Override
  public void transpose(float[][] src, float[][] dest, int n, int width) {
    for (int k = 0; k < n; k++) {
      final float[] s = src[k];
      for (int j = 0; j < width; j++) {
        dest[j][k] = s[j];
      }
    }
  }

  @Override
  public void columnsToRowMajor(float[][] columns, float[] dest, int n, int count) {
    for (int k = 0; k < n; k++) {
      final float[] col = columns[k];
      for (int r = 0; r < count; r++) {
        dest[r * n + k] = col[r];
      }
    }
  }

  @Override
  public void toRows(float[] src, float[][] rows, int n, int width) {
    for (int k = 0; k < n; k++) {
      System.arraycopy(src, k * width, rows[k], 0, width);
    }
  }

  @Override
  public void fromRows(float[][] rows, float[] dest, int n, int width) {
    for (int k = 0; k < n; k++) {
      System.arraycopy(rows[k], 0, dest, k * width, width);
    }
  }

  // activations: the loops Activations' range forms ran before they delegated here, unchanged

  /** The clamp of {@link Activations#tanh(float)}. */
  private static final float TANH_CLAMP = 7.90531110763549805f;

  @Override
  public void tanh(double[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      double x = v[k];
      double a = Math.abs(x);
      double y;
      if (a < 0x1p-10) {
        double x2 = x * x;
        y = x + x * x2 * (-1.0 / 3 + x2 * (2.0 / 15 - x2 * (17.0 / 315)));
      } else {
        double e = Math.exp(-2 * a);
        y = Math.copySign((1 - e) / (1 + e), x);
      }
      v[k] = y;
    }
  }
  @Override
  public void sigmoid(double[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      v[k] = 1.0 / (1.0 + Math.exp(-v[k]));
    }
  }
  @Override
  public void tanh(float[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      float xc = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, v[k]));
      float x2 = xc * xc;
      float p = -2.76076847742355e-16f;
      p = p * x2 + 2.00018790482477e-13f;
      p = p * x2 + -8.60467152213735e-11f;
      p = p * x2 + 5.12229709037114e-08f;
      p = p * x2 + 1.48572235717979e-05f;
      p = p * x2 + 6.37261928875436e-04f;
      p = p * x2 + 4.89352455891786e-03f;
      p = p * xc;
      float q = 1.19825839466702e-06f;
      q = q * x2 + 1.18534705686654e-04f;
      q = q * x2 + 2.26843463243900e-03f;
      q = q * x2 + 4.89352518554385e-03f;
      v[k] = p / q;
    }
  }
  @Override
  public void sigmoid(float[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      float xc = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, 0.5f * v[k]));
      float x2 = xc * xc;
      float p = -2.76076847742355e-16f;
      p = p * x2 + 2.00018790482477e-13f;
      p = p * x2 + -8.60467152213735e-11f;
      p = p * x2 + 5.12229709037114e-08f;
      p = p * x2 + 1.48572235717979e-05f;
      p = p * x2 + 6.37261928875436e-04f;
      p = p * x2 + 4.89352455891786e-03f;
      p = p * xc;
      float q = 1.19825839466702e-06f;
      q = q * x2 + 1.18534705686654e-04f;
      q = q * x2 + 2.26843463243900e-03f;
      q = q * x2 + 4.89352518554385e-03f;
      v[k] = 0.5f + 0.5f * (p / q);
    }
  }}
