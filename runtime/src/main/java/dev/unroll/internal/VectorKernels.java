package dev.unroll.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the incubating Vector API ({@code jdk.incubator.vector}), at the JVM's preferred
 * vector size. {@link KernelProvider} loads this class by name, and only when the module is readable
 * and C2 runs; it is compiled in its own javac execution with {@code --release 17 --add-modules
 * jdk.incubator.vector}, and uses only what the API offers unchanged from JDK 17 to 25
 * ({@code fromArray}, {@code intoArray}, {@code broadcast}, {@code fma}, {@code lanewise},
 * {@code compare}, {@code blend}, {@code indexInRange}, masked {@code fromArray} and {@code intoArray},
 * {@code reinterpretAsLongs}), so that one class file serves both.
 *
 * <p>The products are register-blocked as a GEMM micro-kernel is (Jlama's {@code GemmerF32} shows
 * one way): a tile of 4 destination rows × 4 vectors of columns (16 accumulators; 21 of the 32
 * AVX-512 registers with the 4 row vectors and a broadcast), held in registers over the whole sum,
 * so that each destination value is loaded and stored once per call and each loaded row vector serves
 * 4 rows. Edge tiles: 1 row × 4 vectors, 4 rows × 1 vector, 1 × 1, and the columns beyond the last
 * whole vector as one vector with the lanes past the width masked off ({@code indexInRange}), as in
 * the elementwise kernels: an 8-unit layer's rows of 8 floats fill half of a 512-bit vector, which
 * scalar tails left to scalar code. The activations take such a rest in a half-width vector and any
 * values left after that in scalar code (see there). The {@code columns} argument of the tiled
 * products, the scalar kernels' cache tile, is not needed here: a panel of 4 vectors of columns of every row (64 KB at 256
 * rows of floats in 512-bit vectors) stays in L2 while it serves every destination row.
 *
 * <p>Sums are added in a different order from the scalar kernels (each destination value plus its
 * terms in order, with fused multiply-adds), so results differ from them by rounding: within 1e-6
 * relative (float32) and 1e-12 (float64) of the sum of the magnitudes of the terms, which the tests
 * check. tanh and σ in float32 compute the scalar kernels' rational with the same operations in the
 * same order (bit-identical); in float64 they use an exp of their own (a polynomial with fused
 * multiply-adds), within 1e-13 relative of the scalar {@code Math.exp} forms. Every result is the
 * same whether the code runs interpreted or compiled (no operation whose result depends on the JIT,
 * such as the API's {@code EXP}), so that a model computes the same bits on every call.
 *
 * <p>No method returns or takes a vector: each loop is written out whole (see the activations), so
 * that C2 can keep every vector in registers. JDK 25's C2 does (AllocCheck: 0 bytes per call at every
 * benchmark config); JDK 17's leaves some boxed (0.2 KB per streaming step to 27 MB per big batch),
 * which is why the provider chooses these kernels by default from Java 25 only. Under the
 * interpreter or C1 every vector is a box, which is why it also requires C2.
 */
final class VectorKernels implements KernelSupport {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  /** Lanes of a float vector. */
  private static final int FL = FS.length();
  /** Lanes of a double vector. */
  private static final int DL = DS.length();
  /**
   * Half a float vector where that is still 128 bits or more (8 lanes in 512-bit vectors), else a whole
   * one: the float32 activations take the rest of a row shorter than a vector (an 8-unit gate block at
   * batch 1) in one such vector, where it would otherwise be 8 scalar rationals.
   */
  private static final VectorSpecies<Float> FH = FS.vectorBitSize() >= 256
      ? VectorSpecies.of(float.class, VectorShape.forBitSize(FS.vectorBitSize() / 2)) : FS;
  /** Lanes of {@link #FH}. */
  private static final int FHL = FH.length();
  /** The kernels that are not worth vectorising (copies, transposes) are the scalar ones. */
  private static final ScalarKernels SCALAR = ScalarKernels.INSTANCE;

  /** Below this many bits per vector (no SIMD support in C2) the Vector API is slower than scalar loops. */
  static final int MIN_VECTOR_BITS = 128;

  private static final VectorKernels INSTANCE = new VectorKernels();

  private VectorKernels() {}

  /**
   * The instance, for {@link KernelProvider}, which calls this through a method handle.
   *
   * @throws UnsupportedOperationException if the preferred vectors are narrower than
   *     {@link #MIN_VECTOR_BITS} (C2 has no SIMD support for them on this machine or with these flags)
   */
  static KernelSupport create() {
    if (FS.vectorBitSize() < MIN_VECTOR_BITS || DS.vectorBitSize() < MIN_VECTOR_BITS) {
      throw new UnsupportedOperationException("the preferred vector size is " + FS.vectorBitSize()
          + " bits, under " + MIN_VECTOR_BITS);
    }
    return INSTANCE;
  }

  @Override
  public String name() {
    return "vector " + FS.vectorBitSize() + "-bit";
  }

  @Override
  public boolean explicitVectors() {
    return true;
  }

  // ---- DLOATSECTION products ----

  @Override
  public void addRowsProduct(double[] dest, double[] coef, int coefOffset, double[][] rows, int n, int width) {
    int j = 0;
    for (; j + 4 * DL <= width; j += 4 * DL) {
      tile1x4(dest, coef, coefOffset, 1, rows, 0, n, j);
    }
    for (; j + DL <= width; j += DL) {
      tile1x1(dest, coef, coefOffset, 1, rows, 0, n, j);
    }
    if (j < width) {
      tail(dest, coef, coefOffset, 1, rows, 0, n, j, width);
    }
  }

  @Override
  public void addTiledProduct(double[][] dest, double[] coef, int coefOffset, int coefStride, int batch,
      double[][] rows, int n, int width, int columns) {
    product(dest, batch, coef, null, coefOffset, coefStride, 1, rows, 0, n, width);
  }

  @Override
  public void addTiledProduct(double[][] dest, double[][] coef, int batch, double[][] rows, int n, int width,
      int columns) {
    product(dest, batch, null, coef, 0, 0, 1, rows, 0, n, width);
  }

  @Override
  public void addOuterProducts(double[][] dest, double[] a, int aOffset, int aStride, double[][] e, int eFrom,
      int count, int n, int width) {
    // dest row k (k < n) is a "sample" whose coefficients are a[aOffset + k + s·aStride], s < count
    product(dest, n, a, null, aOffset, 1, aStride, e, eFrom, count, width);
  }

  /**
   * {@code dest[b][j] += Σ_{k<n} coef_b[o_b + k·step] · rows[rFrom + k][j]} for b &lt; count, j &lt; width,
   * where coef_b, o_b are {@code coefRows[b]}, 0 when coefRows is not null, else {@code flat},
   * {@code off + b·stride}. Panels of 4 vectors of columns, 4 dest rows at a time (16 accumulators),
   * then 1 vector of columns, then the columns left as one vector with its lanes past the width masked off.
   */
  private static void product(double[][] dest, int count, double[] flat, double[][] coefRows, int off, int stride,
      int step, double[][] rows, int rFrom, int n, int width) {
    int j = 0;
    for (; j + 4 * DL <= width; j += 4 * DL) {
      int b = 0;
      for (; b + 4 <= count; b += 4) {
        if (step == 1) {
          tile4x4Unit(dest[b], dest[b + 1], dest[b + 2], dest[b + 3],
              coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
              coefRows == null ? flat : coefRows[b + 1], coefRows == null ? off + (b + 1) * stride : 0,
              coefRows == null ? flat : coefRows[b + 2], coefRows == null ? off + (b + 2) * stride : 0,
              coefRows == null ? flat : coefRows[b + 3], coefRows == null ? off + (b + 3) * stride : 0,
              rows, rFrom, n, j);
        } else {
          tile4x4(dest[b], dest[b + 1], dest[b + 2], dest[b + 3],
              coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
              coefRows == null ? flat : coefRows[b + 1], coefRows == null ? off + (b + 1) * stride : 0,
              coefRows == null ? flat : coefRows[b + 2], coefRows == null ? off + (b + 2) * stride : 0,
              coefRows == null ? flat : coefRows[b + 3], coefRows == null ? off + (b + 3) * stride : 0,
              step, rows, rFrom, n, j);
        }
      }
      for (; b < count; b++) {
        tile1x4(dest[b], coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            step, rows, rFrom, n, j);
      }
    }
    for (; j + DL <= width; j += DL) {
      int b = 0;
      for (; b + 4 <= count; b += 4) {
        tile4x1(dest[b], dest[b + 1], dest[b + 2], dest[b + 3],
            coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            coefRows == null ? flat : coefRows[b + 1], coefRows == null ? off + (b + 1) * stride : 0,
            coefRows == null ? flat : coefRows[b + 2], coefRows == null ? off + (b + 2) * stride : 0,
            coefRows == null ? flat : coefRows[b + 3], coefRows == null ? off + (b + 3) * stride : 0,
            step, rows, rFrom, n, j);
      }
      for (; b < count; b++) {
        tile1x1(dest[b], coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            step, rows, rFrom, n, j);
      }
    }
    if (j < width) {
      for (int b = 0; b < count; b++) {
        tail(dest[b], coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            step, rows, rFrom, n, j, width);
      }
    }
  }

  /** 4 dest rows × 4 vectors of columns from j: 16 accumulators, over every k. */
  private static void tile4x4(double[] d0, double[] d1, double[] d2, double[] d3, double[] c0, int o0, double[] c1,
      int o1, double[] c2, int o2, double[] c3, int o3, int step, double[][] rows, int rFrom, int n, int j) {
    int j1 = j + DL;
    int j2 = j + 2 * DL;
    int j3 = j + 3 * DL;
    DoubleVector a00 = DoubleVector.fromArray(DS, d0, j);
    DoubleVector a01 = DoubleVector.fromArray(DS, d0, j1);
    DoubleVector a02 = DoubleVector.fromArray(DS, d0, j2);
    DoubleVector a03 = DoubleVector.fromArray(DS, d0, j3);
    DoubleVector a10 = DoubleVector.fromArray(DS, d1, j);
    DoubleVector a11 = DoubleVector.fromArray(DS, d1, j1);
    DoubleVector a12 = DoubleVector.fromArray(DS, d1, j2);
    DoubleVector a13 = DoubleVector.fromArray(DS, d1, j3);
    DoubleVector a20 = DoubleVector.fromArray(DS, d2, j);
    DoubleVector a21 = DoubleVector.fromArray(DS, d2, j1);
    DoubleVector a22 = DoubleVector.fromArray(DS, d2, j2);
    DoubleVector a23 = DoubleVector.fromArray(DS, d2, j3);
    DoubleVector a30 = DoubleVector.fromArray(DS, d3, j);
    DoubleVector a31 = DoubleVector.fromArray(DS, d3, j1);
    DoubleVector a32 = DoubleVector.fromArray(DS, d3, j2);
    DoubleVector a33 = DoubleVector.fromArray(DS, d3, j3);
    for (int k = 0; k < n; k++) {
      double[] r = rows[rFrom + k];
      DoubleVector r0 = DoubleVector.fromArray(DS, r, j);
      DoubleVector r1 = DoubleVector.fromArray(DS, r, j1);
      DoubleVector r2 = DoubleVector.fromArray(DS, r, j2);
      DoubleVector r3 = DoubleVector.fromArray(DS, r, j3);
      int ks = k * step;
      DoubleVector c = DoubleVector.broadcast(DS, c0[o0 + ks]);
      a00 = r0.fma(c, a00);
      a01 = r1.fma(c, a01);
      a02 = r2.fma(c, a02);
      a03 = r3.fma(c, a03);
      c = DoubleVector.broadcast(DS, c1[o1 + ks]);
      a10 = r0.fma(c, a10);
      a11 = r1.fma(c, a11);
      a12 = r2.fma(c, a12);
      a13 = r3.fma(c, a13);
      c = DoubleVector.broadcast(DS, c2[o2 + ks]);
      a20 = r0.fma(c, a20);
      a21 = r1.fma(c, a21);
      a22 = r2.fma(c, a22);
      a23 = r3.fma(c, a23);
      c = DoubleVector.broadcast(DS, c3[o3 + ks]);
      a30 = r0.fma(c, a30);
      a31 = r1.fma(c, a31);
      a32 = r2.fma(c, a32);
      a33 = r3.fma(c, a33);
    }
    a00.intoArray(d0, j);
    a01.intoArray(d0, j1);
    a02.intoArray(d0, j2);
    a03.intoArray(d0, j3);
    a10.intoArray(d1, j);
    a11.intoArray(d1, j1);
    a12.intoArray(d1, j2);
    a13.intoArray(d1, j3);
    a20.intoArray(d2, j);
    a21.intoArray(d2, j1);
    a22.intoArray(d2, j2);
    a23.intoArray(d2, j3);
    a30.intoArray(d3, j);
    a31.intoArray(d3, j1);
    a32.intoArray(d3, j2);
    a33.intoArray(d3, j3);
  }

  /** 4 dest rows × 4 vectors of columns from j: 16 accumulators, over every k, coefficients at unit step (c0[o0 + k]): their bounds checks leave the loop. */
  private static void tile4x4Unit(double[] d0, double[] d1, double[] d2, double[] d3, double[] c0, int o0, double[] c1,
      int o1, double[] c2, int o2, double[] c3, int o3, double[][] rows, int rFrom, int n, int j) {
    int j1 = j + DL;
    int j2 = j + 2 * DL;
    int j3 = j + 3 * DL;
    DoubleVector a00 = DoubleVector.fromArray(DS, d0, j);
    DoubleVector a01 = DoubleVector.fromArray(DS, d0, j1);
    DoubleVector a02 = DoubleVector.fromArray(DS, d0, j2);
    DoubleVector a03 = DoubleVector.fromArray(DS, d0, j3);
    DoubleVector a10 = DoubleVector.fromArray(DS, d1, j);
    DoubleVector a11 = DoubleVector.fromArray(DS, d1, j1);
    DoubleVector a12 = DoubleVector.fromArray(DS, d1, j2);
    DoubleVector a13 = DoubleVector.fromArray(DS, d1, j3);
    DoubleVector a20 = DoubleVector.fromArray(DS, d2, j);
    DoubleVector a21 = DoubleVector.fromArray(DS, d2, j1);
    DoubleVector a22 = DoubleVector.fromArray(DS, d2, j2);
    DoubleVector a23 = DoubleVector.fromArray(DS, d2, j3);
    DoubleVector a30 = DoubleVector.fromArray(DS, d3, j);
    DoubleVector a31 = DoubleVector.fromArray(DS, d3, j1);
    DoubleVector a32 = DoubleVector.fromArray(DS, d3, j2);
    DoubleVector a33 = DoubleVector.fromArray(DS, d3, j3);
    for (int k = 0; k < n; k++) {
      double[] r = rows[rFrom + k];
      DoubleVector r0 = DoubleVector.fromArray(DS, r, j);
      DoubleVector r1 = DoubleVector.fromArray(DS, r, j1);
      DoubleVector r2 = DoubleVector.fromArray(DS, r, j2);
      DoubleVector r3 = DoubleVector.fromArray(DS, r, j3);
      DoubleVector c = DoubleVector.broadcast(DS, c0[o0 + k]);
      a00 = r0.fma(c, a00);
      a01 = r1.fma(c, a01);
      a02 = r2.fma(c, a02);
      a03 = r3.fma(c, a03);
      c = DoubleVector.broadcast(DS, c1[o1 + k]);
      a10 = r0.fma(c, a10);
      a11 = r1.fma(c, a11);
      a12 = r2.fma(c, a12);
      a13 = r3.fma(c, a13);
      c = DoubleVector.broadcast(DS, c2[o2 + k]);
      a20 = r0.fma(c, a20);
      a21 = r1.fma(c, a21);
      a22 = r2.fma(c, a22);
      a23 = r3.fma(c, a23);
      c = DoubleVector.broadcast(DS, c3[o3 + k]);
      a30 = r0.fma(c, a30);
      a31 = r1.fma(c, a31);
      a32 = r2.fma(c, a32);
      a33 = r3.fma(c, a33);
    }
    a00.intoArray(d0, j);
    a01.intoArray(d0, j1);
    a02.intoArray(d0, j2);
    a03.intoArray(d0, j3);
    a10.intoArray(d1, j);
    a11.intoArray(d1, j1);
    a12.intoArray(d1, j2);
    a13.intoArray(d1, j3);
    a20.intoArray(d2, j);
    a21.intoArray(d2, j1);
    a22.intoArray(d2, j2);
    a23.intoArray(d2, j3);
    a30.intoArray(d3, j);
    a31.intoArray(d3, j1);
    a32.intoArray(d3, j2);
    a33.intoArray(d3, j3);
  }

  /** 1 dest row × 4 vectors of columns from j. */
  private static void tile1x4(double[] d, double[] c0, int o0, int step, double[][] rows, int rFrom, int n, int j) {
    int j1 = j + DL;
    int j2 = j + 2 * DL;
    int j3 = j + 3 * DL;
    DoubleVector a0 = DoubleVector.fromArray(DS, d, j);
    DoubleVector a1 = DoubleVector.fromArray(DS, d, j1);
    DoubleVector a2 = DoubleVector.fromArray(DS, d, j2);
    DoubleVector a3 = DoubleVector.fromArray(DS, d, j3);
    for (int k = 0; k < n; k++) {
      double[] r = rows[rFrom + k];
      DoubleVector c = DoubleVector.broadcast(DS, c0[o0 + k * step]);
      a0 = DoubleVector.fromArray(DS, r, j).fma(c, a0);
      a1 = DoubleVector.fromArray(DS, r, j1).fma(c, a1);
      a2 = DoubleVector.fromArray(DS, r, j2).fma(c, a2);
      a3 = DoubleVector.fromArray(DS, r, j3).fma(c, a3);
    }
    a0.intoArray(d, j);
    a1.intoArray(d, j1);
    a2.intoArray(d, j2);
    a3.intoArray(d, j3);
  }

  /** 4 dest rows × 1 vector of columns from j. */
  private static void tile4x1(double[] d0, double[] d1, double[] d2, double[] d3, double[] c0, int o0, double[] c1,
      int o1, double[] c2, int o2, double[] c3, int o3, int step, double[][] rows, int rFrom, int n, int j) {
    DoubleVector a0 = DoubleVector.fromArray(DS, d0, j);
    DoubleVector a1 = DoubleVector.fromArray(DS, d1, j);
    DoubleVector a2 = DoubleVector.fromArray(DS, d2, j);
    DoubleVector a3 = DoubleVector.fromArray(DS, d3, j);
    for (int k = 0; k < n; k++) {
      DoubleVector r = DoubleVector.fromArray(DS, rows[rFrom + k], j);
      int ks = k * step;
      a0 = r.fma(DoubleVector.broadcast(DS, c0[o0 + ks]), a0);
      a1 = r.fma(DoubleVector.broadcast(DS, c1[o1 + ks]), a1);
      a2 = r.fma(DoubleVector.broadcast(DS, c2[o2 + ks]), a2);
      a3 = r.fma(DoubleVector.broadcast(DS, c3[o3 + ks]), a3);
    }
    a0.intoArray(d0, j);
    a1.intoArray(d1, j);
    a2.intoArray(d2, j);
    a3.intoArray(d3, j);
  }

  /** 1 dest row × 1 vector of columns from j. */
  private static void tile1x1(double[] d, double[] c0, int o0, int step, double[][] rows, int rFrom, int n, int j) {
    DoubleVector a = DoubleVector.fromArray(DS, d, j);
    for (int k = 0; k < n; k++) {
      a = DoubleVector.fromArray(DS, rows[rFrom + k], j).fma(DoubleVector.broadcast(DS, c0[o0 + k * step]), a);
    }
    a.intoArray(d, j);
  }

  /** The columns [from, to) of one dest row, fewer than a vector: one vector, its lanes from {@code to} on masked off. */
  private static void tail(double[] d, double[] c0, int o0, int step, double[][] rows, int rFrom, int n, int from,
      int to) {
    VectorMask<Double> in = DS.indexInRange(from, to);
    DoubleVector a = DoubleVector.fromArray(DS, d, from, in);
    for (int k = 0; k < n; k++) {
      a = DoubleVector.fromArray(DS, rows[rFrom + k], from, in).fma(DoubleVector.broadcast(DS, c0[o0 + k * step]), a);
    }
    a.intoArray(d, from, in);
  }

  @Override
  public void addRows(double[] dest, double[][] e, int eFrom, int count, int width) {
    int j = 0;
    for (; j + 4 * DL <= width; j += 4 * DL) {
      int j1 = j + DL;
      int j2 = j + 2 * DL;
      int j3 = j + 3 * DL;
      DoubleVector a0 = DoubleVector.fromArray(DS, dest, j);
      DoubleVector a1 = DoubleVector.fromArray(DS, dest, j1);
      DoubleVector a2 = DoubleVector.fromArray(DS, dest, j2);
      DoubleVector a3 = DoubleVector.fromArray(DS, dest, j3);
      for (int s = 0; s < count; s++) {
        double[] r = e[eFrom + s];
        a0 = a0.add(DoubleVector.fromArray(DS, r, j));
        a1 = a1.add(DoubleVector.fromArray(DS, r, j1));
        a2 = a2.add(DoubleVector.fromArray(DS, r, j2));
        a3 = a3.add(DoubleVector.fromArray(DS, r, j3));
      }
      a0.intoArray(dest, j);
      a1.intoArray(dest, j1);
      a2.intoArray(dest, j2);
      a3.intoArray(dest, j3);
    }
    for (; j + DL <= width; j += DL) {
      DoubleVector a = DoubleVector.fromArray(DS, dest, j);
      for (int s = 0; s < count; s++) {
        a = a.add(DoubleVector.fromArray(DS, e[eFrom + s], j));
      }
      a.intoArray(dest, j);
    }
    if (j < width) {
      VectorMask<Double> in = DS.indexInRange(j, width);
      DoubleVector a = DoubleVector.fromArray(DS, dest, j, in);
      for (int s = 0; s < count; s++) {
        a = a.add(DoubleVector.fromArray(DS, e[eFrom + s], j, in));
      }
      a.intoArray(dest, j, in);
    }
  }

  // ---- DLOATSECTION elementwise ----

  @Override
  public void cellState(double[] c, int cFrom, double[] z, int fFrom, int iFrom, int gFrom, int n) {
    int k = 0;
    for (int bound = DS.loopBound(n); k < bound; k += DL) {
      DoubleVector ig = DoubleVector.fromArray(DS, z, iFrom + k).mul(DoubleVector.fromArray(DS, z, gFrom + k));
      DoubleVector.fromArray(DS, z, fFrom + k).mul(DoubleVector.fromArray(DS, c, cFrom + k)).add(ig).intoArray(c, cFrom + k);
    }
    if (k < n) {
      // the masked vector's lanes are 0 .. n - k - 1, at each array's own offset
      VectorMask<Double> in = DS.indexInRange(k, n);
      DoubleVector ig = DoubleVector.fromArray(DS, z, iFrom + k, in).mul(DoubleVector.fromArray(DS, z, gFrom + k, in));
      DoubleVector.fromArray(DS, z, fFrom + k, in).mul(DoubleVector.fromArray(DS, c, cFrom + k, in)).add(ig)
          .intoArray(c, cFrom + k, in);
    }
  }

  @Override
  public void elementMult(double[] out, int outFrom, double[] a, int aFrom, double[] b, int bFrom, int n) {
    int k = 0;
    for (int bound = DS.loopBound(n); k < bound; k += DL) {
      DoubleVector.fromArray(DS, a, aFrom + k).mul(DoubleVector.fromArray(DS, b, bFrom + k)).intoArray(out, outFrom + k);
    }
    if (k < n) {
      VectorMask<Double> in = DS.indexInRange(k, n);
      DoubleVector.fromArray(DS, a, aFrom + k, in).mul(DoubleVector.fromArray(DS, b, bFrom + k, in)).intoArray(out, outFrom + k, in);
    }
  }

  @Override
  public void transpose(double[][] src, double[][] dest, int n, int width) {
    SCALAR.transpose(src, dest, n, width);
  }

  @Override
  public void columnsToRowMajor(double[][] columns, double[] dest, int n, int count) {
    SCALAR.columnsToRowMajor(columns, dest, n, count);
  }

  @Override
  public void toRows(double[] src, double[][] rows, int n, int width) {
    SCALAR.toRows(src, rows, n, width);
  }

  @Override
  public void fromRows(double[][] rows, double[] dest, int n, int width) {
    SCALAR.fromRows(rows, dest, n, width);
  }
  // ---- FLOATSECTION products ----

  @Override
  public void addRowsProduct(float[] dest, float[] coef, int coefOffset, float[][] rows, int n, int width) {
    int j = 0;
    for (; j + 4 * FL <= width; j += 4 * FL) {
      tile1x4(dest, coef, coefOffset, 1, rows, 0, n, j);
    }
    for (; j + FL <= width; j += FL) {
      tile1x1(dest, coef, coefOffset, 1, rows, 0, n, j);
    }
    if (j < width) {
      tail(dest, coef, coefOffset, 1, rows, 0, n, j, width);
    }
  }

  @Override
  public void addTiledProduct(float[][] dest, float[] coef, int coefOffset, int coefStride, int batch,
      float[][] rows, int n, int width, int columns) {
    product(dest, batch, coef, null, coefOffset, coefStride, 1, rows, 0, n, width);
  }

  @Override
  public void addTiledProduct(float[][] dest, float[][] coef, int batch, float[][] rows, int n, int width,
      int columns) {
    product(dest, batch, null, coef, 0, 0, 1, rows, 0, n, width);
  }

  @Override
  public void addOuterProducts(float[][] dest, float[] a, int aOffset, int aStride, float[][] e, int eFrom,
      int count, int n, int width) {
    // dest row k (k < n) is a "sample" whose coefficients are a[aOffset + k + s·aStride], s < count
    product(dest, n, a, null, aOffset, 1, aStride, e, eFrom, count, width);
  }

  /**
   * {@code dest[b][j] += Σ_{k<n} coef_b[o_b + k·step] · rows[rFrom + k][j]} for b &lt; count, j &lt; width,
   * where coef_b, o_b are {@code coefRows[b]}, 0 when coefRows is not null, else {@code flat},
   * {@code off + b·stride}. Panels of 4 vectors of columns, 4 dest rows at a time (16 accumulators),
   * then 1 vector of columns, then the columns left as one vector with its lanes past the width masked off.
   */
  private static void product(float[][] dest, int count, float[] flat, float[][] coefRows, int off, int stride,
      int step, float[][] rows, int rFrom, int n, int width) {
    int j = 0;
    for (; j + 4 * FL <= width; j += 4 * FL) {
      int b = 0;
      for (; b + 4 <= count; b += 4) {
        if (step == 1) {
          tile4x4Unit(dest[b], dest[b + 1], dest[b + 2], dest[b + 3],
              coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
              coefRows == null ? flat : coefRows[b + 1], coefRows == null ? off + (b + 1) * stride : 0,
              coefRows == null ? flat : coefRows[b + 2], coefRows == null ? off + (b + 2) * stride : 0,
              coefRows == null ? flat : coefRows[b + 3], coefRows == null ? off + (b + 3) * stride : 0,
              rows, rFrom, n, j);
        } else {
          tile4x4(dest[b], dest[b + 1], dest[b + 2], dest[b + 3],
              coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
              coefRows == null ? flat : coefRows[b + 1], coefRows == null ? off + (b + 1) * stride : 0,
              coefRows == null ? flat : coefRows[b + 2], coefRows == null ? off + (b + 2) * stride : 0,
              coefRows == null ? flat : coefRows[b + 3], coefRows == null ? off + (b + 3) * stride : 0,
              step, rows, rFrom, n, j);
        }
      }
      for (; b < count; b++) {
        tile1x4(dest[b], coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            step, rows, rFrom, n, j);
      }
    }
    for (; j + FL <= width; j += FL) {
      int b = 0;
      for (; b + 4 <= count; b += 4) {
        tile4x1(dest[b], dest[b + 1], dest[b + 2], dest[b + 3],
            coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            coefRows == null ? flat : coefRows[b + 1], coefRows == null ? off + (b + 1) * stride : 0,
            coefRows == null ? flat : coefRows[b + 2], coefRows == null ? off + (b + 2) * stride : 0,
            coefRows == null ? flat : coefRows[b + 3], coefRows == null ? off + (b + 3) * stride : 0,
            step, rows, rFrom, n, j);
      }
      for (; b < count; b++) {
        tile1x1(dest[b], coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            step, rows, rFrom, n, j);
      }
    }
    if (j < width) {
      for (int b = 0; b < count; b++) {
        tail(dest[b], coefRows == null ? flat : coefRows[b], coefRows == null ? off + b * stride : 0,
            step, rows, rFrom, n, j, width);
      }
    }
  }

  /** 4 dest rows × 4 vectors of columns from j: 16 accumulators, over every k. */
  private static void tile4x4(float[] d0, float[] d1, float[] d2, float[] d3, float[] c0, int o0, float[] c1,
      int o1, float[] c2, int o2, float[] c3, int o3, int step, float[][] rows, int rFrom, int n, int j) {
    int j1 = j + FL;
    int j2 = j + 2 * FL;
    int j3 = j + 3 * FL;
    FloatVector a00 = FloatVector.fromArray(FS, d0, j);
    FloatVector a01 = FloatVector.fromArray(FS, d0, j1);
    FloatVector a02 = FloatVector.fromArray(FS, d0, j2);
    FloatVector a03 = FloatVector.fromArray(FS, d0, j3);
    FloatVector a10 = FloatVector.fromArray(FS, d1, j);
    FloatVector a11 = FloatVector.fromArray(FS, d1, j1);
    FloatVector a12 = FloatVector.fromArray(FS, d1, j2);
    FloatVector a13 = FloatVector.fromArray(FS, d1, j3);
    FloatVector a20 = FloatVector.fromArray(FS, d2, j);
    FloatVector a21 = FloatVector.fromArray(FS, d2, j1);
    FloatVector a22 = FloatVector.fromArray(FS, d2, j2);
    FloatVector a23 = FloatVector.fromArray(FS, d2, j3);
    FloatVector a30 = FloatVector.fromArray(FS, d3, j);
    FloatVector a31 = FloatVector.fromArray(FS, d3, j1);
    FloatVector a32 = FloatVector.fromArray(FS, d3, j2);
    FloatVector a33 = FloatVector.fromArray(FS, d3, j3);
    for (int k = 0; k < n; k++) {
      float[] r = rows[rFrom + k];
      FloatVector r0 = FloatVector.fromArray(FS, r, j);
      FloatVector r1 = FloatVector.fromArray(FS, r, j1);
      FloatVector r2 = FloatVector.fromArray(FS, r, j2);
      FloatVector r3 = FloatVector.fromArray(FS, r, j3);
      int ks = k * step;
      FloatVector c = FloatVector.broadcast(FS, c0[o0 + ks]);
      a00 = r0.fma(c, a00);
      a01 = r1.fma(c, a01);
      a02 = r2.fma(c, a02);
      a03 = r3.fma(c, a03);
      c = FloatVector.broadcast(FS, c1[o1 + ks]);
      a10 = r0.fma(c, a10);
      a11 = r1.fma(c, a11);
      a12 = r2.fma(c, a12);
      a13 = r3.fma(c, a13);
      c = FloatVector.broadcast(FS, c2[o2 + ks]);
      a20 = r0.fma(c, a20);
      a21 = r1.fma(c, a21);
      a22 = r2.fma(c, a22);
      a23 = r3.fma(c, a23);
      c = FloatVector.broadcast(FS, c3[o3 + ks]);
      a30 = r0.fma(c, a30);
      a31 = r1.fma(c, a31);
      a32 = r2.fma(c, a32);
      a33 = r3.fma(c, a33);
    }
    a00.intoArray(d0, j);
    a01.intoArray(d0, j1);
    a02.intoArray(d0, j2);
    a03.intoArray(d0, j3);
    a10.intoArray(d1, j);
    a11.intoArray(d1, j1);
    a12.intoArray(d1, j2);
    a13.intoArray(d1, j3);
    a20.intoArray(d2, j);
    a21.intoArray(d2, j1);
    a22.intoArray(d2, j2);
    a23.intoArray(d2, j3);
    a30.intoArray(d3, j);
    a31.intoArray(d3, j1);
    a32.intoArray(d3, j2);
    a33.intoArray(d3, j3);
  }

  /** 4 dest rows × 4 vectors of columns from j: 16 accumulators, over every k, coefficients at unit step (c0[o0 + k]): their bounds checks leave the loop. */
  private static void tile4x4Unit(float[] d0, float[] d1, float[] d2, float[] d3, float[] c0, int o0, float[] c1,
      int o1, float[] c2, int o2, float[] c3, int o3, float[][] rows, int rFrom, int n, int j) {
    int j1 = j + FL;
    int j2 = j + 2 * FL;
    int j3 = j + 3 * FL;
    FloatVector a00 = FloatVector.fromArray(FS, d0, j);
    FloatVector a01 = FloatVector.fromArray(FS, d0, j1);
    FloatVector a02 = FloatVector.fromArray(FS, d0, j2);
    FloatVector a03 = FloatVector.fromArray(FS, d0, j3);
    FloatVector a10 = FloatVector.fromArray(FS, d1, j);
    FloatVector a11 = FloatVector.fromArray(FS, d1, j1);
    FloatVector a12 = FloatVector.fromArray(FS, d1, j2);
    FloatVector a13 = FloatVector.fromArray(FS, d1, j3);
    FloatVector a20 = FloatVector.fromArray(FS, d2, j);
    FloatVector a21 = FloatVector.fromArray(FS, d2, j1);
    FloatVector a22 = FloatVector.fromArray(FS, d2, j2);
    FloatVector a23 = FloatVector.fromArray(FS, d2, j3);
    FloatVector a30 = FloatVector.fromArray(FS, d3, j);
    FloatVector a31 = FloatVector.fromArray(FS, d3, j1);
    FloatVector a32 = FloatVector.fromArray(FS, d3, j2);
    FloatVector a33 = FloatVector.fromArray(FS, d3, j3);
    for (int k = 0; k < n; k++) {
      float[] r = rows[rFrom + k];
      FloatVector r0 = FloatVector.fromArray(FS, r, j);
      FloatVector r1 = FloatVector.fromArray(FS, r, j1);
      FloatVector r2 = FloatVector.fromArray(FS, r, j2);
      FloatVector r3 = FloatVector.fromArray(FS, r, j3);
      FloatVector c = FloatVector.broadcast(FS, c0[o0 + k]);
      a00 = r0.fma(c, a00);
      a01 = r1.fma(c, a01);
      a02 = r2.fma(c, a02);
      a03 = r3.fma(c, a03);
      c = FloatVector.broadcast(FS, c1[o1 + k]);
      a10 = r0.fma(c, a10);
      a11 = r1.fma(c, a11);
      a12 = r2.fma(c, a12);
      a13 = r3.fma(c, a13);
      c = FloatVector.broadcast(FS, c2[o2 + k]);
      a20 = r0.fma(c, a20);
      a21 = r1.fma(c, a21);
      a22 = r2.fma(c, a22);
      a23 = r3.fma(c, a23);
      c = FloatVector.broadcast(FS, c3[o3 + k]);
      a30 = r0.fma(c, a30);
      a31 = r1.fma(c, a31);
      a32 = r2.fma(c, a32);
      a33 = r3.fma(c, a33);
    }
    a00.intoArray(d0, j);
    a01.intoArray(d0, j1);
    a02.intoArray(d0, j2);
    a03.intoArray(d0, j3);
    a10.intoArray(d1, j);
    a11.intoArray(d1, j1);
    a12.intoArray(d1, j2);
    a13.intoArray(d1, j3);
    a20.intoArray(d2, j);
    a21.intoArray(d2, j1);
    a22.intoArray(d2, j2);
    a23.intoArray(d2, j3);
    a30.intoArray(d3, j);
    a31.intoArray(d3, j1);
    a32.intoArray(d3, j2);
    a33.intoArray(d3, j3);
  }

  /** 1 dest row × 4 vectors of columns from j. */
  private static void tile1x4(float[] d, float[] c0, int o0, int step, float[][] rows, int rFrom, int n, int j) {
    int j1 = j + FL;
    int j2 = j + 2 * FL;
    int j3 = j + 3 * FL;
    FloatVector a0 = FloatVector.fromArray(FS, d, j);
    FloatVector a1 = FloatVector.fromArray(FS, d, j1);
    FloatVector a2 = FloatVector.fromArray(FS, d, j2);
    FloatVector a3 = FloatVector.fromArray(FS, d, j3);
    for (int k = 0; k < n; k++) {
      float[] r = rows[rFrom + k];
      FloatVector c = FloatVector.broadcast(FS, c0[o0 + k * step]);
      a0 = FloatVector.fromArray(FS, r, j).fma(c, a0);
      a1 = FloatVector.fromArray(FS, r, j1).fma(c, a1);
      a2 = FloatVector.fromArray(FS, r, j2).fma(c, a2);
      a3 = FloatVector.fromArray(FS, r, j3).fma(c, a3);
    }
    a0.intoArray(d, j);
    a1.intoArray(d, j1);
    a2.intoArray(d, j2);
    a3.intoArray(d, j3);
  }

  /** 4 dest rows × 1 vector of columns from j. */
  private static void tile4x1(float[] d0, float[] d1, float[] d2, float[] d3, float[] c0, int o0, float[] c1,
      int o1, float[] c2, int o2, float[] c3, int o3, int step, float[][] rows, int rFrom, int n, int j) {
    FloatVector a0 = FloatVector.fromArray(FS, d0, j);
    FloatVector a1 = FloatVector.fromArray(FS, d1, j);
    FloatVector a2 = FloatVector.fromArray(FS, d2, j);
    FloatVector a3 = FloatVector.fromArray(FS, d3, j);
    for (int k = 0; k < n; k++) {
      FloatVector r = FloatVector.fromArray(FS, rows[rFrom + k], j);
      int ks = k * step;
      a0 = r.fma(FloatVector.broadcast(FS, c0[o0 + ks]), a0);
      a1 = r.fma(FloatVector.broadcast(FS, c1[o1 + ks]), a1);
      a2 = r.fma(FloatVector.broadcast(FS, c2[o2 + ks]), a2);
      a3 = r.fma(FloatVector.broadcast(FS, c3[o3 + ks]), a3);
    }
    a0.intoArray(d0, j);
    a1.intoArray(d1, j);
    a2.intoArray(d2, j);
    a3.intoArray(d3, j);
  }

  /** 1 dest row × 1 vector of columns from j. */
  private static void tile1x1(float[] d, float[] c0, int o0, int step, float[][] rows, int rFrom, int n, int j) {
    FloatVector a = FloatVector.fromArray(FS, d, j);
    for (int k = 0; k < n; k++) {
      a = FloatVector.fromArray(FS, rows[rFrom + k], j).fma(FloatVector.broadcast(FS, c0[o0 + k * step]), a);
    }
    a.intoArray(d, j);
  }

  /** The columns [from, to) of one dest row, fewer than a vector: one vector, its lanes from {@code to} on masked off. */
  private static void tail(float[] d, float[] c0, int o0, int step, float[][] rows, int rFrom, int n, int from,
      int to) {
    VectorMask<Float> in = FS.indexInRange(from, to);
    FloatVector a = FloatVector.fromArray(FS, d, from, in);
    for (int k = 0; k < n; k++) {
      a = FloatVector.fromArray(FS, rows[rFrom + k], from, in).fma(FloatVector.broadcast(FS, c0[o0 + k * step]), a);
    }
    a.intoArray(d, from, in);
  }

  @Override
  public void addRows(float[] dest, float[][] e, int eFrom, int count, int width) {
    int j = 0;
    for (; j + 4 * FL <= width; j += 4 * FL) {
      int j1 = j + FL;
      int j2 = j + 2 * FL;
      int j3 = j + 3 * FL;
      FloatVector a0 = FloatVector.fromArray(FS, dest, j);
      FloatVector a1 = FloatVector.fromArray(FS, dest, j1);
      FloatVector a2 = FloatVector.fromArray(FS, dest, j2);
      FloatVector a3 = FloatVector.fromArray(FS, dest, j3);
      for (int s = 0; s < count; s++) {
        float[] r = e[eFrom + s];
        a0 = a0.add(FloatVector.fromArray(FS, r, j));
        a1 = a1.add(FloatVector.fromArray(FS, r, j1));
        a2 = a2.add(FloatVector.fromArray(FS, r, j2));
        a3 = a3.add(FloatVector.fromArray(FS, r, j3));
      }
      a0.intoArray(dest, j);
      a1.intoArray(dest, j1);
      a2.intoArray(dest, j2);
      a3.intoArray(dest, j3);
    }
    for (; j + FL <= width; j += FL) {
      FloatVector a = FloatVector.fromArray(FS, dest, j);
      for (int s = 0; s < count; s++) {
        a = a.add(FloatVector.fromArray(FS, e[eFrom + s], j));
      }
      a.intoArray(dest, j);
    }
    if (j < width) {
      VectorMask<Float> in = FS.indexInRange(j, width);
      FloatVector a = FloatVector.fromArray(FS, dest, j, in);
      for (int s = 0; s < count; s++) {
        a = a.add(FloatVector.fromArray(FS, e[eFrom + s], j, in));
      }
      a.intoArray(dest, j, in);
    }
  }

  // ---- FLOATSECTION elementwise ----

  @Override
  public void cellState(float[] c, int cFrom, float[] z, int fFrom, int iFrom, int gFrom, int n) {
    int k = 0;
    for (int bound = FS.loopBound(n); k < bound; k += FL) {
      FloatVector ig = FloatVector.fromArray(FS, z, iFrom + k).mul(FloatVector.fromArray(FS, z, gFrom + k));
      FloatVector.fromArray(FS, z, fFrom + k).mul(FloatVector.fromArray(FS, c, cFrom + k)).add(ig).intoArray(c, cFrom + k);
    }
    if (k < n) {
      // the masked vector's lanes are 0 .. n - k - 1, at each array's own offset
      VectorMask<Float> in = FS.indexInRange(k, n);
      FloatVector ig = FloatVector.fromArray(FS, z, iFrom + k, in).mul(FloatVector.fromArray(FS, z, gFrom + k, in));
      FloatVector.fromArray(FS, z, fFrom + k, in).mul(FloatVector.fromArray(FS, c, cFrom + k, in)).add(ig)
          .intoArray(c, cFrom + k, in);
    }
  }

  @Override
  public void elementMult(float[] out, int outFrom, float[] a, int aFrom, float[] b, int bFrom, int n) {
    int k = 0;
    for (int bound = FS.loopBound(n); k < bound; k += FL) {
      FloatVector.fromArray(FS, a, aFrom + k).mul(FloatVector.fromArray(FS, b, bFrom + k)).intoArray(out, outFrom + k);
    }
    if (k < n) {
      VectorMask<Float> in = FS.indexInRange(k, n);
      FloatVector.fromArray(FS, a, aFrom + k, in).mul(FloatVector.fromArray(FS, b, bFrom + k, in)).intoArray(out, outFrom + k, in);
    }
  }

  @Override
  public void transpose(float[][] src, float[][] dest, int n, int width) {
    SCALAR.transpose(src, dest, n, width);
  }

  @Override
  public void columnsToRowMajor(float[][] columns, float[] dest, int n, int count) {
    SCALAR.columnsToRowMajor(columns, dest, n, count);
  }

  @Override
  public void toRows(float[] src, float[][] rows, int n, int width) {
    SCALAR.toRows(src, rows, n, width);
  }

  @Override
  public void fromRows(float[][] rows, float[] dest, int n, int width) {
    SCALAR.fromRows(rows, dest, n, width);
  }

  // ---- activations ----

  /** The clamp of the float tanh rational (see {@link Activations#tanh(float)}). */
  private static final float TANH_CLAMP = 7.90531110763549805f;
  /** Below this |x|, tanh in float64 is its odd series (see {@link Activations#tanh(double)}). */
  private static final double TANH_SERIES = 0x1p-10;

  // The activation loops below write exp (float64) and the rational (float32) out in their bodies (the
  // same lines in two loops): a helper method returning a vector that C2 does not inline (when its own
  // compiled code is over InlineSmallCode, say) returns it boxed, which allocates on every call.
  // Their tails are not masked: a masked last pass (the loop's loads and stores masked on its last turn, or
  // masked on every turn) made float32 at 8 units 1.3-1.8x faster but float64 and mid 4-18 % slower, with
  // some JMH forks of KernelBench.activations 10-30x slower (6 Dec, JDK 25); not understood yet. Instead,
  // float32 takes a rest of at least half a vector in one half-width vector (tanhHalf, sigmoidHalf: the
  // same lines in FH), which is what 8-unit layers need in 512-bit vectors (tiny float32 inference
  // 19.7 -> 9.0 µs, stream 0.46 -> 0.24 µs), and values left after that (odd widths) in scalar code.
  // float64 has no half-width pass: its 8-lane vectors fill at 8 units.
  //
  // exp(t) for t in [EXP_MIN, EXP_MAX]: t = n·ln 2 + r, n = round(t·log2 e) (the SHIFT trick leaves n
  // in the low bits), r by Cody and Waite's two-part ln 2 with fmas, e^r by its Taylor series to r^13
  // (truncation under 2e-16 for |r| ≤ ln 2 / 2) in Horner form with fmas, 2^n built in the exponent
  // bits: within a few ulps of Math.exp, and deterministic: only +, ×, fma and bit moves, which give
  // the same bits interpreted and compiled (the API's EXP, SVML when C2 compiles it and Math.exp before,
  // can differ by an ulp between the two: a model's output changed between two calls).

  @Override
  public void tanh(double[] v, int from, int to) {
    int k = from;
    for (; k + DL <= to; k += DL) {
      DoubleVector x = DoubleVector.fromArray(DS, v, k);
      DoubleVector a = x.abs();
      // e = exp(-2|x|); below EXP_MIN, e is under 2^-1021 and (1 - e) / (1 + e) is 1 as with e = 0
      DoubleVector t = a.mul(-2.0).max(EXP_MIN);
      DoubleVector kd = t.fma(DoubleVector.broadcast(DS, LOG2E), DoubleVector.broadcast(DS, SHIFT));
      LongVector bits = kd.reinterpretAsLongs();
      kd = kd.sub(SHIFT);
      DoubleVector r = kd.fma(DoubleVector.broadcast(DS, -LN2_HI), t);
      r = kd.fma(DoubleVector.broadcast(DS, -LN2_LO), r);
      // e^r by its Taylor series to r^13, then times 2^n
      DoubleVector p = DoubleVector.broadcast(DS, 1.0 / 6227020800.0);
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 479001600.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 39916800.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 3628800.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 362880.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 40320.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 5040.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 720.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 120.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 24.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 6.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 0.5));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0));
      DoubleVector e = p.mul(bits.add(1023L).lanewise(VectorOperators.LSHL, 52L).reinterpretAsDoubles());
      // (1 - e) / (1 + e), signed as x
      DoubleVector y = e.neg().add(1.0).div(e.add(1.0));
      y = y.blend(y.neg(), x.compare(VectorOperators.LT, 0.0));
      VectorMask<Double> small = a.compare(VectorOperators.LT, TANH_SERIES);
      if (small.anyTrue()) {
        // the odd series x - x^3/3 + 2x^5/15 - 17x^7/315 where 1 - e would cancel
        DoubleVector x2 = x.mul(x);
        DoubleVector q = DoubleVector.broadcast(DS, 2.0 / 15).sub(x2.mul(17.0 / 315));
        q = x2.mul(q).add(-1.0 / 3);
        y = y.blend(x.add(x.mul(x2).mul(q)), small);
      }
      y.intoArray(v, k);
    }
    for (; k < to; k++) {
      v[k] = Activations.tanh(v[k]);
    }
  }

  @Override
  public void sigmoid(double[] v, int from, int to) {
    int k = from;
    for (; k + DL <= to; k += DL) {
      DoubleVector x = DoubleVector.fromArray(DS, v, k).neg();
      // e = exp(-x); beyond EXP_MAX it overflows (to infinity from 709.78), and σ is 0 or within 1e-308 of it
      DoubleVector t = x.max(EXP_MIN).min(EXP_MAX);
      DoubleVector kd = t.fma(DoubleVector.broadcast(DS, LOG2E), DoubleVector.broadcast(DS, SHIFT));
      LongVector bits = kd.reinterpretAsLongs();
      kd = kd.sub(SHIFT);
      DoubleVector r = kd.fma(DoubleVector.broadcast(DS, -LN2_HI), t);
      r = kd.fma(DoubleVector.broadcast(DS, -LN2_LO), r);
      // e^r by its Taylor series to r^13, then times 2^n
      DoubleVector p = DoubleVector.broadcast(DS, 1.0 / 6227020800.0);
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 479001600.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 39916800.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 3628800.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 362880.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 40320.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 5040.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 720.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 120.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 24.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0 / 6.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 0.5));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0));
      p = p.fma(r, DoubleVector.broadcast(DS, 1.0));
      DoubleVector e = p.mul(bits.add(1023L).lanewise(VectorOperators.LSHL, 52L).reinterpretAsDoubles());
      e = e.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
      DoubleVector.broadcast(DS, 1.0).div(e.add(1.0)).intoArray(v, k);
    }
    for (; k < to; k++) {
      v[k] = Activations.sigmoid(v[k]);
    }
  }

  /** log2(e). */
  private static final double LOG2E = 0x1.71547652b82fep0;
  /** ln 2 in two parts, hi the double nearest ln 2, lo the rest. */
  private static final double LN2_HI = 0x1.62e42fefa39efp-1;
  private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
  /** 1.5·2^52: t·log2(e) + SHIFT rounds t·log2(e) to an integer n held in the low bits. */
  private static final double SHIFT = 0x1.8p52;
  /** The range of the exp: 2^n stays a normal double. */
  private static final double EXP_MIN = -708.0;
  private static final double EXP_MAX = 709.0;

  @Override
  public void tanh(float[] v, int from, int to) {
    int k = from;
    for (; k + FL <= to; k += FL) {
      // Eigen's 13/6 rational on clamped x, the operations of Activations.tanh(float) in its order
      FloatVector xc = FloatVector.fromArray(FS, v, k).max(-TANH_CLAMP).min(TANH_CLAMP);
      FloatVector x2 = xc.mul(xc);
      FloatVector p = x2.mul(-2.76076847742355e-16f).add(2.00018790482477e-13f);
      p = p.mul(x2).add(-8.60467152213735e-11f);
      p = p.mul(x2).add(5.12229709037114e-08f);
      p = p.mul(x2).add(1.48572235717979e-05f);
      p = p.mul(x2).add(6.37261928875436e-04f);
      p = p.mul(x2).add(4.89352455891786e-03f);
      p = p.mul(xc);
      FloatVector q = x2.mul(1.19825839466702e-06f).add(1.18534705686654e-04f);
      q = q.mul(x2).add(2.26843463243900e-03f);
      q = q.mul(x2).add(4.89352518554385e-03f);
      p.div(q).intoArray(v, k);
    }
    if (k + FHL <= to) {
      tanhHalf(v, k);
      k += FHL;
    }
    for (; k < to; k++) {
      v[k] = Activations.tanh(v[k]);
    }
  }

  /** tanh of the {@link #FHL} values of v from k, in a half-width vector: the loop's body in {@link #FH}. */
  private static void tanhHalf(float[] v, int k) {
    FloatVector xc = FloatVector.fromArray(FH, v, k).max(-TANH_CLAMP).min(TANH_CLAMP);
    FloatVector x2 = xc.mul(xc);
    FloatVector p = x2.mul(-2.76076847742355e-16f).add(2.00018790482477e-13f);
    p = p.mul(x2).add(-8.60467152213735e-11f);
    p = p.mul(x2).add(5.12229709037114e-08f);
    p = p.mul(x2).add(1.48572235717979e-05f);
    p = p.mul(x2).add(6.37261928875436e-04f);
    p = p.mul(x2).add(4.89352455891786e-03f);
    p = p.mul(xc);
    FloatVector q = x2.mul(1.19825839466702e-06f).add(1.18534705686654e-04f);
    q = q.mul(x2).add(2.26843463243900e-03f);
    q = q.mul(x2).add(4.89352518554385e-03f);
    p.div(q).intoArray(v, k);
  }

  @Override
  public void sigmoid(float[] v, int from, int to) {
    int k = from;
    for (; k + FL <= to; k += FL) {
      // 0.5 + 0.5·tanh(x/2), the rational as in tanh
      FloatVector xc = FloatVector.fromArray(FS, v, k).mul(0.5f).max(-TANH_CLAMP).min(TANH_CLAMP);
      FloatVector x2 = xc.mul(xc);
      FloatVector p = x2.mul(-2.76076847742355e-16f).add(2.00018790482477e-13f);
      p = p.mul(x2).add(-8.60467152213735e-11f);
      p = p.mul(x2).add(5.12229709037114e-08f);
      p = p.mul(x2).add(1.48572235717979e-05f);
      p = p.mul(x2).add(6.37261928875436e-04f);
      p = p.mul(x2).add(4.89352455891786e-03f);
      p = p.mul(xc);
      FloatVector q = x2.mul(1.19825839466702e-06f).add(1.18534705686654e-04f);
      q = q.mul(x2).add(2.26843463243900e-03f);
      q = q.mul(x2).add(4.89352518554385e-03f);
      p.div(q).mul(0.5f).add(0.5f).intoArray(v, k);
    }
    if (k + FHL <= to) {
      sigmoidHalf(v, k);
      k += FHL;
    }
    for (; k < to; k++) {
      v[k] = Activations.sigmoid(v[k]);
    }
  }

  /** σ of the {@link #FHL} values of v from k, in a half-width vector: the loop's body in {@link #FH}. */
  private static void sigmoidHalf(float[] v, int k) {
    FloatVector xc = FloatVector.fromArray(FH, v, k).mul(0.5f).max(-TANH_CLAMP).min(TANH_CLAMP);
    FloatVector x2 = xc.mul(xc);
    FloatVector p = x2.mul(-2.76076847742355e-16f).add(2.00018790482477e-13f);
    p = p.mul(x2).add(-8.60467152213735e-11f);
    p = p.mul(x2).add(5.12229709037114e-08f);
    p = p.mul(x2).add(1.48572235717979e-05f);
    p = p.mul(x2).add(6.37261928875436e-04f);
    p = p.mul(x2).add(4.89352455891786e-03f);
    p = p.mul(xc);
    FloatVector q = x2.mul(1.19825839466702e-06f).add(1.18534705686654e-04f);
    q = q.mul(x2).add(2.26843463243900e-03f);
    q = q.mul(x2).add(4.89352518554385e-03f);
    p.div(q).mul(0.5f).add(0.5f).intoArray(v, k);
  }

}
