package dev.unroll.internal;

/**
 * The kernels generated code calls: the products and elementwise loops of an LSTM step, each a
 * static method that delegates to the implementation {@link KernelProvider} chose when this class
 * was initialised, held in a {@code static final} field. C2 treats that field as a constant, so it
 * knows the implementation's class, and with one implementation loaded every call is monomorphic:
 * C2 inlines this facade and the implementation's method into the generated step.
 *
 * <p>The semantics of each method, and its parameters, are those of the {@link KernelSupport} method
 * of the same signature. Generated code passes the shapes as its constants (UNITS, GATES, ...).
 */
public final class Kernels {
  private Kernels() {}

  /** The implementation, chosen once. */
  private static final KernelSupport IMPL = KernelProvider.kernels();

  /** The name of the implementation in use ("scalar", "vector 512-bit", ...). */
  public static String implementation() {
    return IMPL.name();
  }

  /** See {@link KernelSupport#addRowsProduct(double[], double[], int, double[][], int, int)}. */
  public static void addRowsProduct(double[] dest, double[] coef, int coefOffset, double[][] rows, int n, int width) {
    IMPL.addRowsProduct(dest, coef, coefOffset, rows, n, width);
  }

  /** See {@link KernelSupport#addTiledProduct(double[][], double[], int, int, int, double[][], int, int, int)}. */
  public static void addTiledProduct(double[][] dest, double[] coef, int coefOffset, int coefStride, int batch,
      double[][] rows, int n, int width, int columns) {
    IMPL.addTiledProduct(dest, coef, coefOffset, coefStride, batch, rows, n, width, columns);
  }

  /** See {@link KernelSupport#addTiledProduct(double[][], double[][], int, double[][], int, int, int)}. */
  public static void addTiledProduct(double[][] dest, double[][] coef, int batch, double[][] rows, int n, int width,
      int columns) {
    IMPL.addTiledProduct(dest, coef, batch, rows, n, width, columns);
  }

  /** See {@link KernelSupport#addOuterProducts(double[][], double[], int, int, double[][], int, int, int, int)}. */
  public static void addOuterProducts(double[][] dest, double[] a, int aOffset, int aStride, double[][] e, int eFrom,
      int count, int n, int width) {
    IMPL.addOuterProducts(dest, a, aOffset, aStride, e, eFrom, count, n, width);
  }

  /** See {@link KernelSupport#addRows(double[], double[][], int, int, int)}. */
  public static void addRows(double[] dest, double[][] e, int eFrom, int count, int width) {
    IMPL.addRows(dest, e, eFrom, count, width);
  }

  /** See {@link KernelSupport#cellState(double[], double[], double[], double[], int)}. */
  public static void cellState(double[] c, double[] f, double[] i, double[] g, int n) {
    IMPL.cellState(c, f, i, g, n);
  }

  /** See {@link KernelSupport#cellState(double[], double[], int, int, int, int)}. */
  public static void cellState(double[] c, double[] z, int fFrom, int iFrom, int gFrom, int n) {
    IMPL.cellState(c, z, fFrom, iFrom, gFrom, n);
  }

  /** See {@link KernelSupport#elementMult(double[], double[], double[], int)}. */
  public static void elementMult(double[] out, double[] a, double[] b, int n) {
    IMPL.elementMult(out, a, b, n);
  }

  /** See {@link KernelSupport#elementMult(double[], double[], int, int, int)}. */
  public static void elementMult(double[] out, double[] z, int aFrom, int bFrom, int n) {
    IMPL.elementMult(out, z, aFrom, bFrom, n);
  }

  /** See {@link KernelSupport#transpose(double[][], double[][], int, int)}. */
  public static void transpose(double[][] src, double[][] dest, int n, int width) {
    IMPL.transpose(src, dest, n, width);
  }

  /** See {@link KernelSupport#columnsToRowMajor(double[][], double[], int, int)}. */
  public static void columnsToRowMajor(double[][] columns, double[] dest, int n, int count) {
    IMPL.columnsToRowMajor(columns, dest, n, count);
  }

  /** See {@link KernelSupport#toRows(double[], double[][], int, int)}. */
  public static void toRows(double[] src, double[][] rows, int n, int width) {
    IMPL.toRows(src, rows, n, width);
  }

  /** See {@link KernelSupport#fromRows(double[][], double[], int, int)}. */
  public static void fromRows(double[][] rows, double[] dest, int n, int width) {
    IMPL.fromRows(rows, dest, n, width);
  }

  /** See {@link KernelSupport#addRowsProduct(float[], float[], int, float[][], int, int)}. */
  public static void addRowsProduct(float[] dest, float[] coef, int coefOffset, float[][] rows, int n, int width) {
    IMPL.addRowsProduct(dest, coef, coefOffset, rows, n, width);
  }

  /** See {@link KernelSupport#addTiledProduct(float[][], float[], int, int, int, float[][], int, int, int)}. */
  public static void addTiledProduct(float[][] dest, float[] coef, int coefOffset, int coefStride, int batch,
      float[][] rows, int n, int width, int columns) {
    IMPL.addTiledProduct(dest, coef, coefOffset, coefStride, batch, rows, n, width, columns);
  }

  /** See {@link KernelSupport#addTiledProduct(float[][], float[][], int, float[][], int, int, int)}. */
  public static void addTiledProduct(float[][] dest, float[][] coef, int batch, float[][] rows, int n, int width,
      int columns) {
    IMPL.addTiledProduct(dest, coef, batch, rows, n, width, columns);
  }

  /** See {@link KernelSupport#addOuterProducts(float[][], float[], int, int, float[][], int, int, int, int)}. */
  public static void addOuterProducts(float[][] dest, float[] a, int aOffset, int aStride, float[][] e, int eFrom,
      int count, int n, int width) {
    IMPL.addOuterProducts(dest, a, aOffset, aStride, e, eFrom, count, n, width);
  }

  /** See {@link KernelSupport#addRows(float[], float[][], int, int, int)}. */
  public static void addRows(float[] dest, float[][] e, int eFrom, int count, int width) {
    IMPL.addRows(dest, e, eFrom, count, width);
  }

  /** See {@link KernelSupport#cellState(float[], float[], float[], float[], int)}. */
  public static void cellState(float[] c, float[] f, float[] i, float[] g, int n) {
    IMPL.cellState(c, f, i, g, n);
  }

  /** See {@link KernelSupport#cellState(float[], float[], int, int, int, int)}. */
  public static void cellState(float[] c, float[] z, int fFrom, int iFrom, int gFrom, int n) {
    IMPL.cellState(c, z, fFrom, iFrom, gFrom, n);
  }

  /** See {@link KernelSupport#elementMult(float[], float[], float[], int)}. */
  public static void elementMult(float[] out, float[] a, float[] b, int n) {
    IMPL.elementMult(out, a, b, n);
  }

  /** See {@link KernelSupport#elementMult(float[], float[], int, int, int)}. */
  public static void elementMult(float[] out, float[] z, int aFrom, int bFrom, int n) {
    IMPL.elementMult(out, z, aFrom, bFrom, n);
  }

  /** See {@link KernelSupport#transpose(float[][], float[][], int, int)}. */
  public static void transpose(float[][] src, float[][] dest, int n, int width) {
    IMPL.transpose(src, dest, n, width);
  }

  /** See {@link KernelSupport#columnsToRowMajor(float[][], float[], int, int)}. */
  public static void columnsToRowMajor(float[][] columns, float[] dest, int n, int count) {
    IMPL.columnsToRowMajor(columns, dest, n, count);
  }

  /** See {@link KernelSupport#toRows(float[], float[][], int, int)}. */
  public static void toRows(float[] src, float[][] rows, int n, int width) {
    IMPL.toRows(src, rows, n, width);
  }

  /** See {@link KernelSupport#fromRows(float[][], float[], int, int)}. */
  public static void fromRows(float[][] rows, float[] dest, int n, int width) {
    IMPL.fromRows(rows, dest, n, width);
  }

  /** See {@link KernelSupport#tanh(double[], int, int)}. */
  public static void tanh(double[] v, int from, int to) {
    IMPL.tanh(v, from, to);
  }

  /** See {@link KernelSupport#sigmoid(double[], int, int)}. */
  public static void sigmoid(double[] v, int from, int to) {
    IMPL.sigmoid(v, from, to);
  }

  /** See {@link KernelSupport#tanh(float[], int, int)}. */
  public static void tanh(float[] v, int from, int to) {
    IMPL.tanh(v, from, to);
  }

  /** See {@link KernelSupport#sigmoid(float[], int, int)}. */
  public static void sigmoid(float[] v, int from, int to) {
    IMPL.sigmoid(v, from, to);
  }
}
