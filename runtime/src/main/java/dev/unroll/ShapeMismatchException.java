package dev.unroll;

/**
 * A tensor given to a model, or a weight given to {@code setWeights}, has the wrong shape. The
 * message names the argument, the expected shape and the shape found.
 */
public final class ShapeMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String actual;

  public ShapeMismatchException(String what, String expected, String actual) {
    super(what + ": expected shape " + expected + ", found " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /** The expected shape, e.g. {@code (batch, 24, 3)}. */
  public String expected() {
    return expected;
  }

  /** The shape found, e.g. {@code (8, 24, 4)}. */
  public String actual() {
    return actual;
  }
}
