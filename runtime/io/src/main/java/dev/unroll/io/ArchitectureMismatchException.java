package dev.unroll.io;

import java.util.List;

/**
 * The architecture a file describes differs from the model it is loaded into. The message lists
 * every difference, one per line, each naming the file's layer, what the file has and what the model
 * declares, e.g. {@code layer lstm_1: file has recurrent_activation hard_sigmoid, model declares SIGMOID}.
 * The model is unchanged.
 */
public final class ArchitectureMismatchException extends ModelFileException {
  private static final long serialVersionUID = 1L;

  private final List<String> differences;

  /**
   * @param file the file's name, for the message
   * @param differences one sentence per difference
   */
  public ArchitectureMismatchException(String file, List<String> differences) {
    super(message(file, differences));
    this.differences = List.copyOf(differences);
  }

  /**
   * The differences, one sentence each, in layer order.
   *
   * @return an unmodifiable list
   */
  public List<String> differences() {
    return differences;
  }

  private static String message(String file, List<String> differences) {
    StringBuilder sb = new StringBuilder(file).append(" does not fit the model (")
        .append(differences.size()).append(differences.size() == 1 ? " difference" : " differences")
        .append("); nothing was loaded:");
    for (String d : differences) {
      sb.append("\n  ").append(d);
    }
    return sb.toString();
  }
}
