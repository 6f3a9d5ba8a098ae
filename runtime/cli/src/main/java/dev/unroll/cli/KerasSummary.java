package dev.unroll.cli;

import dev.unroll.io.FileLayer;
import dev.unroll.io.ModelFile;
import dev.unroll.internal.KerasSummary.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * The Keras (2.x) {@code model.summary()} table of the model a file describes: the table a generated
 * class's {@code summary()} prints for the same model (layer, output shape with its batch dimension
 * {@code None}, parameter count, totals). The rows come from the file; the table is written by the
 * runtime's {@link dev.unroll.internal.KerasSummary}, as a generated class's is.
 */
final class KerasSummary {
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
    List<Row> rows = new ArrayList<>();
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
      rows.add(new Row(l.name(), kerasClass(l), shape, l.paramCount()));
    }
    return new Result(dev.unroll.internal.KerasSummary.table(modelName, rows, file.paramCount()), remarks);
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
    return dev.unroll.internal.KerasSummary.count(n);
  }
}
