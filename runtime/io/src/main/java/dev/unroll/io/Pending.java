package dev.unroll.io;

import dev.unroll.Tensor;

/**
 * An array whose header (shape) a reader has read and whose values it has not: what a checked load
 * compares with the model before any array data is read. {@link #values()} reads them, claiming them
 * from the read's {@link ReadBudget} first; a reader's arrays can only be read while its file is open.
 */
final class Pending {
  /** Reads the values of an array, row-major, as many as its shape holds. */
  interface Loader {
    double[] load() throws ModelFileException;
  }

  private final int[] shape;
  private final Loader loader;

  Pending(int[] shape, Loader loader) {
    this.shape = shape.clone();
    this.loader = loader;
  }

  /** An array already in memory. */
  static Pending of(Tensor t) {
    return new Pending(t.shape(), () -> t.data().clone());
  }

  int[] shape() {
    return shape.clone();
  }

  int rank() {
    return shape.length;
  }

  int dim(int axis) {
    return shape[axis];
  }

  boolean hasShape(int... s) {
    return java.util.Arrays.equals(shape, s);
  }

  /** The number of values the shape claims (may exceed what Java arrays hold: a claim, not a fact). */
  long size() {
    long n = 1;
    for (int d : shape) {
      n = d != 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
    }
    return n;
  }

  /** Reads the values. */
  double[] values() throws ModelFileException {
    double[] v = loader.load();
    if (v.length != size()) {
      throw new IllegalStateException("a reader gave " + v.length + " values for shape " + Tensor.format(shape));
    }
    return v;
  }

  Tensor tensor() throws ModelFileException {
    return Tensor.wrap(values(), shape);
  }

  /** The same values under another shape of the same size. */
  Pending reshaped(int... newShape) {
    return new Pending(newShape, this::values);
  }

  /** The transpose of a matrix, read when it is. */
  Pending transposed() {
    int rows = shape[0];
    int cols = shape[1];
    return new Pending(new int[] {cols, rows}, () -> {
      double[] in = values();
      double[] out = new double[in.length];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[c * rows + r] = in[r * cols + c];
        }
      }
      return out;
    });
  }

  /** The elementwise sum of two arrays of the same shape, read when it is. */
  Pending plus(Pending other) {
    return new Pending(shape, () -> {
      double[] a = values();
      double[] b = other.values();
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      return a;
    });
  }
}
