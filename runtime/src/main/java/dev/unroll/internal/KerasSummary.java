package dev.unroll.internal;

import dev.unroll.LayerInfo;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Keras (2.x) {@code model.summary()} table of a model, built from its layers: what a generated
 * class's {@code summary()} returns, and what the processor prints in its NOTE while compiling.
 */
public final class KerasSummary {
  private static final int WIDTH = 65;
  private static final int[] COLUMNS = {29, 55, WIDTH};

  private KerasSummary() {}

  /** One row of the table: the layer's name and Keras class, its output shape, its parameter count. */
  public record Row(String name, String kerasClass, String outputShape, long paramCount) {}

  /**
   * The table of a model named {@code model} (the declaration's simple name, as Keras prints the model's
   * name) with these layers, input first.
   */
  public static String of(String model, List<LayerInfo> layers) {
    List<Row> rows = new ArrayList<>(layers.size());
    long total = 0;
    for (LayerInfo layer : layers) {
      rows.add(new Row(layer.name(), layer.kind(), shape(layer), layer.paramCount()));
      total += layer.paramCount();
    }
    return table(model, rows, total);
  }

  /**
   * The table of any rows (the command line's {@code summary} builds them from a model file): Keras's
   * header, one row per layer with a blank line between rows, then the totals, grouped by thousands.
   */
  public static String table(String model, List<Row> rows, long total) {
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model).append("\"\n");
    sb.append("_".repeat(WIDTH)).append('\n');
    sb.append(row("Layer (type)", "Output Shape", "Param #")).append('\n');
    sb.append("=".repeat(WIDTH)).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (i > 0) {
        sb.append('\n');
      }
      // Keras 2 prints a layer's count as str(layer.count_params()); only the totals are grouped
      sb.append(row(r.name() + " (" + r.kerasClass() + ")", r.outputShape(), Long.toString(r.paramCount())))
          .append('\n');
    }
    sb.append("=".repeat(WIDTH)).append('\n');
    sb.append("Total params: ").append(count(total)).append('\n');
    sb.append("Trainable params: ").append(count(total)).append('\n');
    sb.append("Non-trainable params: 0\n");
    sb.append("_".repeat(WIDTH)).append('\n');
    return sb.toString();
  }

  /** A layer's output shape with its batch dimension: {@code (None, 24, 32)} or {@code (None, 32)}. */
  static String shape(LayerInfo layer) {
    return layer.returnSequences()
        ? "(None, " + layer.timesteps() + ", " + layer.outputWidth() + ")"
        : "(None, " + layer.outputWidth() + ")";
  }

  /** A count as Keras prints the totals: {@code 1,037}. */
  public static String count(long n) {
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
