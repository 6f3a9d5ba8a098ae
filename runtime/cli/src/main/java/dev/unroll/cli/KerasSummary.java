package dev.unroll.cli;

import dev.unroll.io.FileLayer;
import dev.unroll.io.ModelFile;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Keras (2.x) {@code model.summary()} table of the model a file describes: the table a generated
 * class's {@code summary()} prints for the same model (layer, output shape with its batch dimension
 * {@code None}, parameter count, totals).
 */
final class KerasSummary {
  private static final int WIDTH = 65;
  private static final int[] COLUMNS = {29, 55, WIDTH};

  private KerasSummary() {}

  /** The table and, after it, the remarks on what the file does not state. */
  record Result(String table, List<String> remarks) {}

  /**
   * @param modelName the name in the first line, {@code Model: "..."}
   * @param timesteps the sequence length where the file does not state one; 0 prints {@code None}
   */
  static Result of(ModelFile file, String modelName, int timesteps) {
    List<FileLayer> layers = file.layers();
    List<String> remarks = new ArrayList<>();
    int t = timesteps;
    int features = 0;
    for (FileLayer l : layers) {
      if (l.isRecurrent() && l.timesteps() > 0) {
        t = l.timesteps();
        break;
      }
    }
    for (FileLayer l : layers) {
      if (l.kind() != null) {
        features = l.inputs();
        break;
      }
    }
    String steps = t > 0 ? Integer.toString(t) : "None";
    if (t <= 0 && hasLstm(layers)) {
      remarks.add("the sequence length is not in the file: shown as None (give it with --timesteps N)");
    }
    // the shape of one sample as the next layer sees it: (steps, width) when a sequence, else (width)
    boolean sequence = true;
    int width = features;
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(modelName).append("\"\n");
    sb.append("_".repeat(WIDTH)).append('\n');
    sb.append(row("Layer (type)", "Output Shape", "Param #")).append('\n');
    sb.append("=".repeat(WIDTH)).append('\n');
    for (int i = 0; i < layers.size(); i++) {
      FileLayer l = layers.get(i);
      String shape;
      if (l.isRecurrent()) {
        Boolean rs = l.returnSequences();
        if (rs == null) {
          rs = nextKnownIsLstm(layers, i);
          if (!rs && isLastLstm(layers, i)) {
            remarks.add("whether " + l.name() + " returns the whole sequence is not in the file: shown as not");
          }
        }
        sequence = rs;
        width = l.outputWidth();
        shape = sequence ? "(None, " + steps + ", " + width + ")" : "(None, " + width + ")";
      } else if ("Dense".equals(l.kind())) {
        width = l.units();
        shape = sequence ? "(None, " + steps + ", " + width + ")" : "(None, " + width + ")";
      } else if (l.weights().isEmpty() && "Masking".equals(l.className())) {
        shape = sequence ? "(None, " + steps + ", " + (width > 0 ? width : "None") + ")" : "(None, " + width + ")";
      } else {
        shape = "?";
        remarks.add("layer " + l.name() + " (" + l.className() + ") is not one Unroll has: its output shape is not"
            + " known here");
      }
      if (i > 0) {
        sb.append('\n');
      }
      // Keras 2 prints a layer's count as str(layer.count_params()); only the totals are grouped
      sb.append(row(l.name() + " (" + kerasClass(l) + ")", shape, Long.toString(l.paramCount()))).append('\n');
    }
    sb.append("=".repeat(WIDTH)).append('\n');
    long total = file.paramCount();
    sb.append("Total params: ").append(count(total)).append('\n');
    sb.append("Trainable params: ").append(count(total)).append('\n');
    sb.append("Non-trainable params: 0\n");
    sb.append("_".repeat(WIDTH)).append('\n');
    return new Result(sb.toString(), remarks);
  }

  /** The class Keras names in the table: {@code TimeDistributed} for {@code TimeDistributed(Dense)}. */
  private static String kerasClass(FileLayer l) {
    String c = l.className();
    int paren = c.indexOf('(');
    return paren > 0 ? c.substring(0, paren) : c;
  }

  private static boolean hasLstm(List<FileLayer> layers) {
    return layers.stream().anyMatch(FileLayer::isRecurrent);
  }

  private static boolean nextKnownIsLstm(List<FileLayer> layers, int i) {
    for (int j = i + 1; j < layers.size(); j++) {
      if (layers.get(j).kind() != null) {
        return layers.get(j).isRecurrent();
      }
    }
    return false;
  }

  private static boolean isLastLstm(List<FileLayer> layers, int i) {
    for (int j = i + 1; j < layers.size(); j++) {
      if (layers.get(j).isRecurrent()) {
        return false;
      }
    }
    return true;
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
