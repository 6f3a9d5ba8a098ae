package dev.unroll.processor.diagram;

import dev.unroll.Activation;

/** Sizes, colours and notations shared by the figures. */
final class Style {
  private Style() {}

  static final double TITLE = 20;
  static final double HEADING = 16;
  static final double BODY = 14;
  static final double SMALL = 12;
  static final double LINE = 20;

  static final String INK = "#222";
  static final String GREY = "#666";
  static final String BOX = "#f4f4f4";
  static final String EDGE = "#888";

  /** The gates i, f, c, o: stroke and fill (Keras's column order). */
  static final String[] GATE_STROKE = {"#2b6cb0", "#c05621", "#2f855a", "#c53030"};
  static final String[] GATE_FILL = {"#ebf4ff", "#fffaf0", "#f0fff4", "#fff5f5"};

  static String bold() {
    return "font-weight=\"bold\"";
  }

  static String fill(String colour) {
    return "fill=\"" + colour + "\"";
  }

  /** An activation as the equations write it: σ for the sigmoid, else its Keras name. */
  static String math(Activation a) {
    return switch (a) {
      case SIGMOID -> "σ";
      case HARD_SIGMOID -> "hard_sigmoid";
      case HARD_SIGMOID_KERAS3 -> "hard_sigmoid3";
      default -> a.kerasName();
    };
  }

  /** A shape as Keras prints it: (3, 128), (128,). */
  static String shape(int... dims) {
    if (dims.length == 1) {
      return "(" + dims[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return sb.append(')').toString();
  }

  /** "one value" or "a vector of 3 values": what x_t, h_t are. */
  static String values(int n) {
    return n == 1 ? "one value" : "a vector of " + n + " values";
  }

  /** A count with thousands separators: 4,608. */
  static String count(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }
}
