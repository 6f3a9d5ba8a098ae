package dev.unroll.internal;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/** Keras's default initialisers, seeded and reproducible (Keras's own random streams differ). */
public final class Initializers {
  private Initializers() {}

  /**
   * Glorot (Xavier) uniform: U(−l, l) with l = sqrt(6 / (fanIn + fanOut)), Keras's default
   * {@code kernel_initializer}.
   *
   * @param dst the (fanIn, fanOut) matrix, row-major. Modified.
   */
  public static void glorotUniform(SplittableRandom rng, double[] dst, int fanIn, int fanOut) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    for (int i = 0; i < fanIn * fanOut; i++) {
      dst[i] = (2.0 * rng.nextDouble() - 1.0) * limit;
    }
  }

  /**
   * Orthogonal, as Keras's {@code Orthogonal(gain=1)}, the default {@code recurrent_initializer}:
   * the QR decomposition of a standard normal (max, min) matrix, Q's columns signed by R's diagonal,
   * transposed when there are fewer rows than columns. For an LSTM's (units, 4·units) recurrent
   * kernel the rows come out orthonormal.
   *
   * @param dst the (rows, cols) matrix, row-major. Modified.
   */
  public static void orthogonal(SplittableRandom rng, double[] dst, int rows, int cols) {
    int tall = Math.max(rows, cols);
    int wide = Math.min(rows, cols);
    DMatrixRMaj a = new DMatrixRMaj(tall, wide);
    for (int i = 0; i < a.data.length; i++) {
      a.data[i] = rng.nextGaussian();
    }
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(tall, wide);
    if (!qr.decompose(a.copy())) {
      throw new IllegalStateException("QR decomposition failed while initialising an orthogonal matrix");
    }
    DMatrixRMaj q = qr.getQ(null, true);
    DMatrixRMaj r = qr.getR(null, true);
    for (int c = 0; c < wide; c++) {
      if (r.get(c, c) < 0) {
        for (int k = 0; k < tall; k++) {
          q.set(k, c, -q.get(k, c));
        }
      }
    }
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        dst[i * cols + j] = rows < cols ? q.get(j, i) : q.get(i, j);
      }
    }
  }

  /** Glorot uniform into a float matrix: drawn in double as {@link #glorotUniform(SplittableRandom, double[], int, int)}, rounded. */
  public static void glorotUniform(SplittableRandom rng, float[] dst, int fanIn, int fanOut) {
    double[] d = new double[fanIn * fanOut];
    glorotUniform(rng, d, fanIn, fanOut);
    for (int i = 0; i < d.length; i++) {
      dst[i] = (float) d[i];
    }
  }

  /** Orthogonal into a float matrix: computed in double as {@link #orthogonal(SplittableRandom, double[], int, int)}, rounded. */
  public static void orthogonal(SplittableRandom rng, float[] dst, int rows, int cols) {
    double[] d = new double[rows * cols];
    orthogonal(rng, d, rows, cols);
    for (int i = 0; i < d.length; i++) {
      dst[i] = (float) d[i];
    }
  }
}
