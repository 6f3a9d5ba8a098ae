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

  /**
   * The size of U above which the scalar kernels multiply h_{t-1} by U in tiles (see
   * {@link #prefersTiled(long)}): half of a 2 MB L2. The processor's planner reads this constant for
   * its NOTE; this is the one place it is set.
   */
  public static final long TILED_PRODUCT_BYTES = 1 << 20;

  /**
   * The system property that forces the form of every kernel-form LSTM step initialised after it is
   * set: {@code tiled}, {@code perSample}, or {@code auto} (the default), the rule of
   * {@link #prefersTiled(long)}. For tests, which run one model in both forms, and for measurements.
   */
  public static final String STEP_FORM_PROPERTY = "unroll.stepForm";

  /**
   * Whether a generated LSTM step whose recurrent kernel U has {@code recurrentKernelBytes} bytes
   * should multiply h_{t-1} by U in tiles of columns for all samples of a step at once
   * ({@link #addTiledProduct}), rather than sample by sample ({@link #addRowsProduct}). A generated
   * class that calls the kernels asks this once, when it is initialised, and keeps the answer in a
   * {@code static final boolean}, which C2 folds: the step it does not take costs nothing.
   *
   * <p>The rule, by measurement (JMH UnrollBench, interleaved forks, every kernel-form layer built both
   * ways; tiled time / per-sample time):
   * <ul>
   *   <li>With the Vector API kernels ({@link KernelSupport#explicitVectors()}), tiled at every size: the
   *       per-sample form is bound by loading U once per sample, the tiled form loads each tile once
   *       per step. JDK 25, 512-bit: big inference 0.53 (float32, 54.2 to 28.8 ms) and 0.58 (float64),
   *       big training 0.69 and 0.74, mid inference 0.82 and 0.63, mid training 0.92 and 0.86.
   *   <li>With the scalar kernels, tiled only when U is larger than {@link #TILED_PRODUCT_BYTES}: there
   *       the per-sample form reads all of U from L3 or memory once per sample (256 units in float64:
   *       565 to 340 ms per batch). Below it U streams from L2 fast enough and the tiles measured
   *       slower on JDK 17 (inference: big 1.44 and 1.10, mid 1.20 and 1.28; earlier, the big model in
   *       float32: 37-39 ms tiled against 28-34 ms per sample).
   * </ul>
   * {@value #STEP_FORM_PROPERTY} overrides the rule: {@code tiled} or {@code perSample}. The property is
   * read on every call, so that a test can set it before it loads a model's class.
   *
   * @param recurrentKernelBytes the size of U: units × 4·units values of 4 or 8 bytes
   * @throws IllegalStateException when {@value #STEP_FORM_PROPERTY} is other than auto, tiled or perSample
   */
  public static boolean prefersTiled(long recurrentKernelBytes) {
    return prefersTiled(recurrentKernelBytes, IMPL.explicitVectors(), System.getProperty(STEP_FORM_PROPERTY, "auto"));
  }

  /** The rule of {@link #prefersTiled(long)} for given kernels and property; visible for tests. */
  static boolean prefersTiled(long recurrentKernelBytes, boolean explicitVectors, String stepForm) {
    switch (stepForm.trim()) {
      case "tiled":
        return true;
      case "perSample":
        return false;
      case "auto":
        return explicitVectors || recurrentKernelBytes > TILED_PRODUCT_BYTES;
      default:
        throw new IllegalStateException(
            "-D" + STEP_FORM_PROPERTY + " must be auto, tiled or perSample, found '" + stepForm + "'");
    }
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

  /** See {@link KernelSupport#cellState(double[], int, double[], int, int, int, int)}. */
  public static void cellState(double[] c, int cFrom, double[] z, int fFrom, int iFrom, int gFrom, int n) {
    IMPL.cellState(c, cFrom, z, fFrom, iFrom, gFrom, n);
  }

  /** See {@link KernelSupport#elementMult(double[], int, double[], int, double[], int, int)}. */
  public static void elementMult(double[] out, int outFrom, double[] a, int aFrom, double[] b, int bFrom, int n) {
    IMPL.elementMult(out, outFrom, a, aFrom, b, bFrom, n);
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

  /** See {@link KernelSupport#cellState(float[], int, float[], int, int, int, int)}. */
  public static void cellState(float[] c, int cFrom, float[] z, int fFrom, int iFrom, int gFrom, int n) {
    IMPL.cellState(c, cFrom, z, fFrom, iFrom, gFrom, n);
  }

  /** See {@link KernelSupport#elementMult(float[], int, float[], int, float[], int, int)}. */
  public static void elementMult(float[] out, int outFrom, float[] a, int aFrom, float[] b, int bFrom, int n) {
    IMPL.elementMult(out, outFrom, a, aFrom, b, bFrom, n);
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
