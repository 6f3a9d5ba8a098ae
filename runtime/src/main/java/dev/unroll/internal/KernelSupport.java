package dev.unroll.internal;

/**
 * The products and elementwise loops of an LSTM step, as one implementation provides them: the
 * scalar loops ({@link ScalarKernels}), or another (a Vector API one) that {@link KernelProvider}
 * chooses once at run time. Generated code does not call this interface; it calls the static
 * facade {@link Kernels}, which delegates to the chosen implementation.
 *
 * <p>Matrices are arrays of rows ({@code rows[k]} is row k, indexed from 0), so that each inner loop
 * indexes its arrays by the loop variable alone; vectors are flat arrays read from an offset. Every
 * product <em>adds</em> into its destination: the caller zeroes or seeds it (with the bias, say).
 * No method allocates, checks its arguments beyond what the array accesses check, or keeps a
 * reference to an argument. Destination arrays must not alias the arrays read.
 *
 * <p>Every method exists in float64 and float32 with the same semantics; an implementation may
 * change the order in which the terms of a sum are added (a Vector API one does), the scalar one
 * does not.
 */
public interface KernelSupport {

  /** A short name for logs: "scalar", "vector 512-bit", ... */
  String name();

  /**
   * Whether this implementation computes with the Vector API's explicit vectors ({@code VectorKernels}),
   * rather than scalar loops that C2 may auto-vectorise. {@link Kernels#prefersTiled(long)} chooses the
   * form of a generated step by it.
   */
  default boolean explicitVectors() {
    return false;
  }

  /**
   * A vector-matrix product added into {@code dest}: {@code dest[j] += Σ_{k<n} coef[coefOffset + k] · rows[k][j]}
   * for j &lt; width. Serves x_t·W (rows: W's rows), h_{t-1}·U, dz_t·Uᵀ (rows: Uᵀ's rows) and
   * dxᵀ = W·dzᵀ (rows: dzᵀ's rows).
   *
   * @param dest the product is added to {@code dest[0, width)}. Modified.
   * @param coef the coefficients, {@code coef[coefOffset, coefOffset + n)}. Not modified.
   * @param rows n rows of at least {@code width} values. Not modified.
   */
  void addRowsProduct(double[] dest, double[] coef, int coefOffset, double[][] rows, int n, int width);

  /**
   * The same product for {@code batch} coefficient vectors laid out in one flat array, as the rows of
   * a matrix (h_{t-1} of every sample): {@code dest[b][j] += Σ_{k<n} coef[coefOffset + b·coefStride + k] · rows[k][j]}
   * for b &lt; batch, j &lt; width. Computed in tiles of {@code columns} columns of {@code rows}, so that the
   * four rows of a tile in use stay in L1 while they serve every sample (for an {@code n × width}
   * matrix larger than the cache).
   *
   * @param dest batch rows of at least {@code width} values. Modified.
   * @param coef row b's coefficients at {@code coefOffset + b·coefStride}, n of them. Not modified.
   * @param rows n rows of at least {@code width} values. Not modified.
   * @param columns the width of a tile, &gt; 0; need not divide {@code width}
   */
  void addTiledProduct(double[][] dest, double[] coef, int coefOffset, int coefStride, int batch,
      double[][] rows, int n, int width, int columns);

  /**
   * The tiled product with the coefficients in arrays of rows (dz_t of every sample):
   * {@code dest[b][k] += Σ_{j<n} coef[b][j] · rows[j][k]} for b &lt; batch, k &lt; width, in tiles of
   * {@code columns} values of k. Serves dL/dh_{t-1} = dz_t·Uᵀ for every sample at once (rows: Uᵀ's
   * rows), reading Uᵀ once per step.
   *
   * @param dest batch rows of at least {@code width} values. Modified.
   * @param coef batch rows of at least n values. Not modified.
   * @param rows n rows of at least {@code width} values. Not modified.
   * @param columns the width of a tile, &gt; 0; need not divide {@code width}
   */
  void addTiledProduct(double[][] dest, double[][] coef, int batch, double[][] rows, int n, int width,
      int columns);

  /**
   * A sum of outer products added into {@code dest}, Aᵀ·E for A's rows in a flat array and E's in
   * arrays of rows: {@code dest[k][j] += Σ_{s<count} a[aOffset + s·aStride + k] · e[eFrom + s][j]} for
   * k &lt; n, j &lt; width. Serves the weight gradients dW += x_tᵀ·dz_t and dU += h_{t-1}ᵀ·dz_t, summed over
   * the samples of a step; four samples per pass, so that each row of dest is read and written once
   * for four samples.
   *
   * @param dest n rows of at least {@code width} values. Modified.
   * @param a sample s's n values at {@code aOffset + s·aStride}. Not modified.
   * @param e rows {@code eFrom .. eFrom + count - 1}, at least {@code width} values each. Not modified.
   */
  void addOuterProducts(double[][] dest, double[] a, int aOffset, int aStride, double[][] e, int eFrom,
      int count, int n, int width);

  /**
   * A sum of rows added into {@code dest}: {@code dest[j] += Σ_{s<count} e[eFrom + s][j]} for j &lt; width,
   * four rows per pass. Serves the bias gradient db += dz_t.
   *
   * @param dest Modified.
   * @param e rows {@code eFrom .. eFrom + count - 1}. Not modified.
   */
  void addRows(double[] dest, double[][] e, int eFrom, int count, int width);

  /**
   * The LSTM cell state, in place, with the gates in blocks of one array:
   * {@code c[cFrom + k] = z[fFrom + k]·c[cFrom + k] + z[iFrom + k]·z[gFrom + k]} for k &lt; n
   * (c_t = f⊙c_{t-1} + i⊙c~).
   *
   * @param c c_{t-1} in, c_t out, at {@code cFrom}. Modified.
   * @param z the gates f, i and c~ at {@code fFrom}, {@code iFrom}, {@code gFrom}. Not modified.
   */
  void cellState(double[] c, int cFrom, double[] z, int fFrom, int iFrom, int gFrom, int n);

  /**
   * The elementwise product {@code out[outFrom + k] = a[aFrom + k]·b[bFrom + k]} for k &lt; n
   * (h_t = o⊙tanh(c_t)); a and b may be the same array.
   *
   * @param out Modified.
   * @param a Not modified.
   * @param b Not modified.
   */
  void elementMult(double[] out, int outFrom, double[] a, int aFrom, double[] b, int bFrom, int n);

  /**
   * The transpose of an array of rows: {@code dest[j][k] = src[k][j]} for k &lt; n, j &lt; width (U → Uᵀ).
   *
   * @param src n rows of at least {@code width} values. Not modified.
   * @param dest width rows of at least n values. Modified.
   */
  void transpose(double[][] src, double[][] dest, int n, int width);

  /**
   * Columns into a row-major flat array: {@code dest[r·n + k] = columns[k][r]} for k &lt; n, r &lt; count
   * (dxᵀ → dx, a (count, n) matrix).
   *
   * @param columns n arrays of at least {@code count} values. Not modified.
   * @param dest at least {@code count·n} values. Modified.
   */
  void columnsToRowMajor(double[][] columns, double[] dest, int n, int count);

  /**
   * A row-major flat (n, width) matrix into an array of rows: {@code rows[k][j] = src[k·width + j]}.
   *
   * @param src Not modified.
   * @param rows n rows of at least {@code width} values. Modified.
   */
  void toRows(double[] src, double[][] rows, int n, int width);

  /**
   * An array of rows into a row-major flat (n, width) matrix: {@code dest[k·width + j] = rows[k][j]}.
   *
   * @param rows Not modified.
   * @param dest Modified.
   */
  void fromRows(double[][] rows, double[] dest, int n, int width);

  /**
   * tanh of every value of {@code v[from, to)}, in place: {@link Activations#tanh(double)}'s formula
   * (the scalar kernels compute exactly it; others within 1e-12 relative).
   *
   * @param v Modified.
   */
  void tanh(double[] v, int from, int to);

  /**
   * σ of every value of {@code v[from, to)}, in place: {@link Activations#sigmoid(double)}'s formula
   * (the scalar kernels compute exactly it; others within 1e-12 relative).
   *
   * @param v Modified.
   */
  void sigmoid(double[] v, int from, int to);

  // float32: the same operations in float

  /** {@link #addRowsProduct(double[], double[], int, double[][], int, int)} in float. */
  void addRowsProduct(float[] dest, float[] coef, int coefOffset, float[][] rows, int n, int width);

  /** {@link #addTiledProduct(double[][], double[], int, int, int, double[][], int, int, int)} in float. */
  void addTiledProduct(float[][] dest, float[] coef, int coefOffset, int coefStride, int batch,
      float[][] rows, int n, int width, int columns);

  /** {@link #addTiledProduct(double[][], double[][], int, double[][], int, int, int)} in float. */
  void addTiledProduct(float[][] dest, float[][] coef, int batch, float[][] rows, int n, int width, int columns);

  /** {@link #addOuterProducts(double[][], double[], int, int, double[][], int, int, int, int)} in float. */
  void addOuterProducts(float[][] dest, float[] a, int aOffset, int aStride, float[][] e, int eFrom,
      int count, int n, int width);

  /** {@link #addRows(double[], double[][], int, int, int)} in float. */
  void addRows(float[] dest, float[][] e, int eFrom, int count, int width);

  /** {@link #cellState(double[], int, double[], int, int, int, int)} in float. */
  void cellState(float[] c, int cFrom, float[] z, int fFrom, int iFrom, int gFrom, int n);

  /** {@link #elementMult(double[], int, double[], int, double[], int, int)} in float. */
  void elementMult(float[] out, int outFrom, float[] a, int aFrom, float[] b, int bFrom, int n);

  /** {@link #transpose(double[][], double[][], int, int)} in float. */
  void transpose(float[][] src, float[][] dest, int n, int width);

  /** {@link #columnsToRowMajor(double[][], double[], int, int)} in float. */
  void columnsToRowMajor(float[][] columns, float[] dest, int n, int count);

  /** {@link #toRows(double[], double[][], int, int)} in float. */
  void toRows(float[] src, float[][] rows, int n, int width);

  /** {@link #fromRows(double[][], double[], int, int)} in float. */
  void fromRows(float[][] rows, float[] dest, int n, int width);

  /** {@link #tanh(double[], int, int)} in float: {@link Activations#tanh(float)}'s rational. */
  void tanh(float[] v, int from, int to);

  /** {@link #sigmoid(double[], int, int)} in float: {@link Activations#sigmoid(float)}'s rational. */
  void sigmoid(float[] v, int from, int to);
}
