package dev.unroll;

/** How a {@link Bidirectional} layer combines its forward and backward outputs (Keras {@code merge_mode}). */
public enum MergeMode {
  /** Side by side, forward first: twice the units. */
  CONCAT,
  /** Elementwise sum. */
  SUM,
  /** Elementwise product. */
  MUL,
  /** Elementwise mean. */
  AVE;

  /** The Keras name: {@code concat}, {@code sum}, {@code mul}, {@code ave}. */
  public String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
