package dev.unroll;

import java.util.Arrays;

/**
 * A small dense n-dimensional array of {@code double}, stored row-major (the last index varies
 * fastest), as NumPy and Keras store theirs. A model's input is a tensor of shape
 * (batch, timesteps, features).
 *
 * <p>The shape is fixed; the values are mutable through {@link #data()}, which returns the backing
 * array itself so that callers can fill and reuse a tensor without copying.
 */
public final class Tensor {
  private final int[] shape;
  private final double[] data;

  private Tensor(int[] shape, double[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** A tensor of zeros. */
  public static Tensor zeros(int... shape) {
    int[] s = shape.clone();
    return new Tensor(s, new double[checkedSize(s)]);
  }

  /**
   * A tensor over {@code data}, without copying it.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the product of the dimensions
   */
  public static Tensor wrap(double[] data, int... shape) {
    int[] s = shape.clone();
    int size = checkedSize(s);
    if (data.length != size) {
      throw new IllegalArgumentException(
          "Tensor.wrap: shape " + format(s) + " holds " + size + " values, data has " + data.length);
    }
    return new Tensor(s, data);
  }

  /** A copy of a rank-1 array, shape (n). */
  public static Tensor of(double[] values) {
    return new Tensor(new int[] {values.length}, values.clone());
  }

  /**
   * A copy of a rank-2 array, shape (rows, cols).
   *
   * @throws IllegalArgumentException if the rows have different lengths
   */
  public static Tensor of(double[][] values) {
    int rows = values.length;
    int cols = rows == 0 ? 0 : values[0].length;
    double[] data = new double[checkedSize(new int[] {rows, cols})];
    for (int r = 0; r < rows; r++) {
      if (values[r].length != cols) {
        throw new IllegalArgumentException(
            "Tensor.of: ragged array, row 0 has " + cols + " values, row " + r + " has " + values[r].length);
      }
      System.arraycopy(values[r], 0, data, r * cols, cols);
    }
    return new Tensor(new int[] {rows, cols}, data);
  }

  /**
   * A copy of a rank-3 array, shape (d0, d1, d2), e.g. a batch of sequences (batch, timesteps, features).
   *
   * @throws IllegalArgumentException if the nested arrays have different lengths
   */
  public static Tensor of(double[][][] values) {
    int d0 = values.length;
    int d1 = d0 == 0 ? 0 : values[0].length;
    int d2 = d1 == 0 ? 0 : values[0][0].length;
    double[] data = new double[checkedSize(new int[] {d0, d1, d2})];
    int pos = 0;
    for (int i = 0; i < d0; i++) {
      if (values[i].length != d1) {
        throw new IllegalArgumentException(
            "Tensor.of: ragged array, [0] has " + d1 + " rows, [" + i + "] has " + values[i].length);
      }
      for (int j = 0; j < d1; j++) {
        if (values[i][j].length != d2) {
          throw new IllegalArgumentException("Tensor.of: ragged array, [0][0] has " + d2
              + " values, [" + i + "][" + j + "] has " + values[i][j].length);
        }
        System.arraycopy(values[i][j], 0, data, pos, d2);
        pos += d2;
      }
    }
    return new Tensor(new int[] {d0, d1, d2}, data);
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code axis}. */
  public int dim(int axis) {
    return shape[axis];
  }

  /** The number of values, the product of the dimensions. */
  public int size() {
    return data.length;
  }

  /** The backing array, row-major. Not a copy: writes change the tensor. */
  public double[] data() {
    return data;
  }

  /** The value at the given index, one coordinate per dimension. */
  public double get(int... index) {
    return data[offset(index)];
  }

  /** Sets the value at the given index, one coordinate per dimension. */
  public void set(double value, int... index) {
    data[offset(index)] = value;
  }

  /** A deep copy. */
  public Tensor copy() {
    return new Tensor(shape.clone(), data.clone());
  }

  /** The values as a new array; the tensor must have rank 1. */
  public double[] toArray1d() {
    requireRank(1);
    return data.clone();
  }

  /** The values as a new array of rows; the tensor must have rank 2. */
  public double[][] toArray2d() {
    requireRank(2);
    double[][] out = new double[shape[0]][shape[1]];
    for (int r = 0; r < shape[0]; r++) {
      System.arraycopy(data, r * shape[1], out[r], 0, shape[1]);
    }
    return out;
  }

  /** The values as a new nested array; the tensor must have rank 3. */
  public double[][][] toArray3d() {
    requireRank(3);
    double[][][] out = new double[shape[0]][shape[1]][shape[2]];
    int pos = 0;
    for (int i = 0; i < shape[0]; i++) {
      for (int j = 0; j < shape[1]; j++) {
        System.arraycopy(data, pos, out[i][j], 0, shape[2]);
        pos += shape[2];
      }
    }
    return out;
  }

  /** Whether this tensor has exactly the given shape. */
  public boolean hasShape(int... expected) {
    return Arrays.equals(shape, expected);
  }

  /** A shape written as Keras and NumPy write it: {@code (2, 5, 3)}, {@code (4,)}. */
  public static String format(int... shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(shape[i]);
    }
    return sb.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor && Arrays.equals(shape, ((Tensor) o).shape)
        && Arrays.equals(data, ((Tensor) o).data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    int shown = Math.min(data.length, 8);
    StringBuilder sb = new StringBuilder("Tensor").append(format(shape)).append(" [");
    for (int i = 0; i < shown; i++) {
      sb.append(i > 0 ? ", " : "").append(data[i]);
    }
    return sb.append(data.length > shown ? ", ...]" : "]").toString();
  }

  private int offset(int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "Tensor" + format(shape) + " needs " + shape.length + " indices, got " + index.length);
    }
    int off = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " out of bounds for shape " + format(shape));
      }
      off = off * shape[i] + index[i];
    }
    return off;
  }

  private void requireRank(int rank) {
    if (shape.length != rank) {
      throw new IllegalStateException("Tensor" + format(shape) + " has rank " + shape.length + ", not " + rank);
    }
  }

  private static int checkedSize(int[] shape) {
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + format(shape));
      }
      size *= d;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + format(shape) + " holds more values than a Java array can");
      }
    }
    return (int) size;
  }
}
