package dev.unroll.processor.model;

import java.text.NumberFormat;
import java.util.Locale;

/** The Keras (2.x) {@code model.summary()} table of a model. */
public final class Summary {
  private static final int WIDTH = 65;
  private static final int[] COLUMNS = {29, 55, WIDTH};

  private Summary() {}

  public static String of(ModelSpec model) {
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model.sourceName()).append("\"\n");
    sb.append("_".repeat(WIDTH)).append('\n');
    sb.append(row("Layer (type)", "Output Shape", "Param #")).append('\n');
    sb.append("=".repeat(WIDTH)).append('\n');
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(row(layer.name() + " (" + layer.kerasClass() + ")", shape(layer.outputShape()),
          // Keras 2 prints a layer's count as str(layer.count_params()); only the totals are grouped
          Long.toString(layer.paramCount()))).append('\n');
    }
    sb.append("=".repeat(WIDTH)).append('\n');
    long total = model.paramCount();
    sb.append("Total params: ").append(count(total)).append('\n');
    sb.append("Trainable params: ").append(count(total)).append('\n');
    sb.append("Non-trainable params: 0\n");
    sb.append("_".repeat(WIDTH)).append('\n');
    return sb.toString();
  }

  /** A Keras output shape with its batch dimension: {@code (None, 24, 32)}. */
  static String shape(int[] sample) {
    StringBuilder sb = new StringBuilder("(None");
    for (int d : sample) {
      sb.append(", ").append(d);
    }
    return sb.append(')').toString();
  }

  static String count(long n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }

  private static String row(String a, String b, String c) {
    StringBuilder sb = new StringBuilder(" ").append(a);
    pad(sb, COLUMNS[0]);
    sb.append(b);
    pad(sb, COLUMNS[1]);
    sb.append(c);
    return sb.toString().stripTrailing();
  }

  private static void pad(StringBuilder sb, int column) {
    sb.append(sb.length() < column ? " ".repeat(column - sb.length()) : " ");
  }
}
