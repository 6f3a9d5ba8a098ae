package dev.unroll.processor.model;

import java.util.Arrays;

/**
 * One weight tensor of a layer, as Keras names and shapes it: {@code kernel (3, 128)}.
 *
 * @param name the Keras name within the layer: {@code kernel}, {@code recurrent_kernel}, {@code bias}
 * @param symbol how the equations write it: {@code W}, {@code U}, {@code b}
 * @param shape the Keras shape; the values are stored flat, row-major, in that shape
 */
public record Weight(String name, String symbol, int... shape) {

  public Weight {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The number of values: the product of the shape. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The shape as Keras prints it: {@code (3, 128)}, {@code (128,)}. */
  public String shapeText() {
    return shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims() + ")";
  }

  /** The shape as an argument list: {@code 3, 128}. */
  public String dims() {
    StringBuilder sb = new StringBuilder();
    for (int d : shape) {
      sb.append(sb.length() == 0 ? "" : ", ").append(d);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Weight w && w.name.equals(name) && w.symbol.equals(symbol) && Arrays.equals(w.shape, shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + shapeText();
  }
}
