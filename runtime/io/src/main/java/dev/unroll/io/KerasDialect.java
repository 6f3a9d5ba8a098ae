package dev.unroll.io;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import dev.unroll.io.KerasContainer.Stored;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What differs between Keras 1, 2 and 3: version numbers, the names of configuration keys
 * ({@code output_dim}, {@code inner_activation} and {@code bias} in Keras 1), what {@code hard_sigmoid}
 * means, Keras 1's twelve per-gate LSTM arrays (repacked here into Keras 2's kernel, recurrent_kernel
 * and bias), and how Keras 3 names the weight groups of its layers. Every layer's arrays leave here in
 * Keras 2 / 3 order and shapes ({@code layer.get_weights()}).
 */
final class KerasDialect {
  private static final Pattern TRAILING_COUNTER = Pattern.compile("^(.*?)(?:_(\\d+))?$");
  /** Keras 1 LSTM arrays, in the order Keras 1 stores them (gates i, c, f, o). */
  private static final List<String> KERAS1_LSTM = List.of("W_i", "U_i", "b_i", "W_c", "U_c", "b_c", "W_f", "U_f",
      "b_f", "W_o", "U_o", "b_o");

  /**
   * The order in which layer groups of a Keras 3 weights file without configuration are taken, which
   * the file does not store: recurrent layers first ({@code lstm}, {@code lstm_1}, ..., {@code gru},
   * {@code bidirectional}), then Dense layers,
   * then the rest, each by its counter.
   */
  static final Comparator<String> KERAS3_WEIGHTS_ORDER = Comparator.comparingInt(KerasDialect::keras3Rank)
      .thenComparingInt(KerasDialect::counter).thenComparing(Comparator.naturalOrder());

  private KerasDialect() {}

  /** The major version of a Keras version string ({@code "2.12.0"}, {@code "2.2.4-tf"}, {@code "1"}); 2 if unreadable. */
  static int major(String version) {
    Matcher m = Pattern.compile("^(\\d+)").matcher(version == null ? "" : version.trim());
    return m.find() ? Integer.parseInt(m.group(1)) : 2;
  }

  // ---------------------------------------------------------------------------------------------
  // configuration values

  /**
   * A Keras activation: a name, or Keras 3's serialised form {@code {"config": "tanh", ...}}. Keras 1
   * and 2 {@code hard_sigmoid} is {@code clip(0.2x + 0.5, 0, 1)}, Keras 3's {@code clip(x/6 + 0.5, 0, 1)}.
   * Unknown names are added to {@code unknown} and give null.
   */
  static Activation activation(Object value, int major, List<String> unknown) {
    String name = value instanceof String s ? s : null;
    Map<String, Object> m = Json.object(value);
    if (m != null && m.get("config") instanceof String s) {
      name = s;
    } else if (m != null && Json.object(m.get("config")) != null && Json.object(m.get("config")).get("name") instanceof String s) {
      name = s;
    }
    if (value == null) {
      return Activation.LINEAR;
    }
    if (name != null) {
      switch (name) {
        case "tanh":
          return Activation.TANH;
        case "sigmoid":
          return Activation.SIGMOID;
        case "hard_sigmoid":
          return major >= 3 ? Activation.HARD_SIGMOID_KERAS3 : Activation.HARD_SIGMOID;
        case "relu":
          return Activation.RELU;
        case "linear":
          return Activation.LINEAR;
        case "softmax":
          return Activation.SOFTMAX;
        default:
          break;
      }
    }
    unknown.add("activation " + (name != null ? name : String.valueOf(value)) + " is not supported (Unroll has tanh, "
        + "sigmoid, hard_sigmoid, relu, linear and softmax)");
    return null;
  }

  /**
   * An LSTM's {@code recurrent_activation} ({@code inner_activation} in Keras 1); when the configuration
   * has neither, Keras 1's default {@code hard_sigmoid}, or null (not stated) for later versions.
   */
  static Activation recurrentActivation(Map<String, Object> c, int major, List<String> unknown) {
    Object rec = c.containsKey("recurrent_activation") ? c.get("recurrent_activation") : c.get("inner_activation");
    return rec == null && !c.containsKey("recurrent_activation") && !c.containsKey("inner_activation")
        ? (major == 1 ? Activation.HARD_SIGMOID : null)
        : activation(rec, major, unknown);
  }

  /** A layer's {@code units} ({@code output_dim} in Keras 1); 0 if not stated. */
  static int units(Map<String, Object> c) {
    return integer(c, "units", "output_dim");
  }

  /** A Dense layer's {@code use_bias} ({@code bias} in Keras 1); true if not stated. */
  static boolean denseUseBias(Map<String, Object> c) {
    return bool(c, "use_bias", bool(c, "bias", true));
  }

  static boolean bool(Map<String, Object> c, String key, boolean otherwise) {
    return c.get(key) instanceof Boolean b ? b : otherwise;
  }

  private static int integer(Map<String, Object> c, String key, String keras1Key) {
    Object v = c.containsKey(key) ? c.get(key) : c.get(keras1Key);
    return v instanceof Long x && x > 0 && x <= Integer.MAX_VALUE ? (int) (long) x : 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Keras 3 weight groups

  /** Keras 3's {@code naming.to_snake_case}, which names the weight groups of a {@code .keras} archive. */
  static String snakeCase(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /**
   * The weight group of the next layer of a class in a Keras 3 file: the k-th layer of a class is
   * under {@code layers/<class in snake_case>[_k]}. {@code used} counts the layers seen per class.
   */
  static String keras3Group(String className, Map<String, Integer> used) {
    String base = snakeCase(className);
    Integer k = used.get(base);
    used.put(base, k == null ? 0 : k + 1);
    return "layers/" + (k == null ? base : base + "_" + (k + 1));
  }

  private static int keras3Rank(String group) {
    String base = base(group);
    return base.equals("lstm") || base.equals("gru") || base.equals("bidirectional") ? 0 : base.equals("dense") ? 1 : 2;
  }

  private static int counter(String group) {
    Matcher m = TRAILING_COUNTER.matcher(group);
    return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 0;
  }

  private static String base(String group) {
    Matcher m = TRAILING_COUNTER.matcher(group);
    return m.matches() ? m.group(1) : group;
  }

  // ---------------------------------------------------------------------------------------------
  // weights

  /** [kernel (F, 4U), recurrent_kernel (U, 4U), bias (4U,)], from Keras 2/3 arrays or Keras 1's twelve. */
  static List<Pending> lstmWeights(String file, String layer, int units, boolean useBias, Stored s)
      throws ModelFileException {
    List<Pending> a = s.arrays();
    String where = file + ": layer " + layer;
    if (a.size() == 12) {
      return keras1Lstm(where, units, s);
    }
    return recurrentWeights(where, "LSTM", 4, units, useBias, null, s);
  }

  /**
   * [kernel (F, 3U), recurrent_kernel (U, 3U), bias] of a Keras GRU: bias (2, 3U) with
   * {@code reset_after}, (3U,) without. {@code resetAfter} null (not stated): either, as the bias says.
   */
  static List<Pending> gruWeights(String file, String layer, int units, boolean useBias, Boolean resetAfter, Stored s)
      throws ModelFileException {
    String where = file + ": layer " + layer;
    if (s.arrays().size() == 9) {
      throw new ModelFileException(where + " (GRU) has Keras 1's nine arrays " + s.shapes() + " (W, U, b per gate);"
          + " Unroll reads GRU layers from Keras 2 and 3 files");
    }
    return recurrentWeights(where, "GRU", 3, units, useBias, resetAfter, s);
  }

  /**
   * The arrays of a Keras 2/3 LSTM ({@code gates} 4) or GRU (3): kernel (F, gU), recurrent_kernel (U, gU),
   * bias (gU,), or for a GRU with {@code reset_after} (2, gU).
   */
  private static List<Pending> recurrentWeights(String where, String kind, int gates, int units, boolean useBias,
      Boolean resetAfter, Stored s) throws ModelFileException {
    List<Pending> a = s.arrays();
    int expected = useBias ? 3 : 2;
    if (a.size() != expected) {
      throw new ModelFileException(where + " (" + kind + (useBias ? "" : ", use_bias false") + ") has " + a.size()
          + " weight arrays " + s.shapes() + ", expected " + expected
          + (useBias ? " (kernel, recurrent_kernel, bias)" + (gates == 4 ? " or Keras 1's 12" : "")
              : " (kernel, recurrent_kernel)"));
    }
    String g = gates + "·units";
    Pending kernel = a.get(0);
    Pending recurrent = a.get(1);
    if (units > 0 && !java.util.Arrays.equals(recurrent.shape(), new int[] {units, gates * units})) {
      throw new ModelFileException(where + ": recurrent_kernel " + s.names().get(1) + " has shape "
          + Tensor.format(recurrent.shape()) + ", expected " + Tensor.format(units, gates * units) + " for units = "
          + units);
    }
    if (recurrent.shape().length != 2 || recurrent.shape()[1] != gates * recurrent.shape()[0]) {
      throw new ModelFileException(where + ": recurrent_kernel " + s.names().get(1) + " has shape "
          + Tensor.format(recurrent.shape()) + ", expected (units, " + g + ")");
    }
    int u = recurrent.shape()[0];
    if (kernel.shape().length != 2 || kernel.shape()[1] != gates * u) {
      throw new ModelFileException(where + ": kernel " + s.names().get(0) + " has shape " + Tensor.format(kernel.shape())
          + ", expected (features, " + gates * u + ") for units = " + u);
    }
    List<Pending> w = new ArrayList<>();
    w.add(kernel);
    w.add(recurrent);
    if (useBias) {
      Pending bias = a.get(2);
      boolean flat = bias.hasShape(gates * u);
      boolean twoRows = gates == 3 && bias.hasShape(2, gates * u);
      boolean fits = resetAfter == null ? flat || twoRows : resetAfter ? twoRows : flat;
      if (!fits) {
        String want = gates == 4 || Boolean.FALSE.equals(resetAfter) ? Tensor.format(gates * u)
            : Boolean.TRUE.equals(resetAfter) ? Tensor.format(2, gates * u) + " (reset_after true)"
            : Tensor.format(gates * u) + " or " + Tensor.format(2, gates * u);
        throw new ModelFileException(where + ": bias " + s.names().get(2) + " has shape " + Tensor.format(bias.shape())
            + ", expected " + want + " for units = " + u);
      }
      w.add(bias);
    }
    return w;
  }

  /**
   * Keras 1 stores an LSTM as twelve arrays W_x (F, U), U_x (U, U), b_x (U,) for the gates x = i, c, f,
   * o; Keras 2 concatenates them as i, f, c, o. Arrays are matched by their name suffix when every name
   * has one ({@code lstm_1_W_i}), else by position.
   */
  private static List<Pending> keras1Lstm(String where, int units, Stored s) throws ModelFileException {
    Map<String, Pending> bySuffix = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      String n = s.names().get(i);
      for (String suffix : KERAS1_LSTM) {
        if (n.endsWith("_" + suffix) || n.endsWith("_" + suffix + ":0")) {
          bySuffix.put(suffix, s.arrays().get(i));
        }
      }
    }
    Map<String, Pending> part = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      part.put(KERAS1_LSTM.get(i), bySuffix.size() == 12 ? bySuffix.get(KERAS1_LSTM.get(i)) : s.arrays().get(i));
    }
    Pending ui = part.get("U_i");
    if (ui.shape().length != 2 || ui.shape()[0] != ui.shape()[1]) {
      throw new ModelFileException(where + " (Keras 1 LSTM): U_i has shape " + Tensor.format(ui.shape())
          + ", expected (units, units)");
    }
    int u = ui.shape()[0];
    if (units > 0 && u != units) {
      throw new ModelFileException(where + " (Keras 1 LSTM): U_i has shape " + Tensor.format(ui.shape())
          + ", expected " + Tensor.format(units, units) + " for output_dim = " + units);
    }
    Pending wi = part.get("W_i");
    if (wi.shape().length != 2 || wi.shape()[1] != u) {
      throw new ModelFileException(where + " (Keras 1 LSTM): W_i has shape " + Tensor.format(wi.shape())
          + ", expected (input_dim, " + u + ")");
    }
    int f = wi.shape()[0];
    String[] gates = {"i", "f", "c", "o"};
    Pending[] w = new Pending[4];
    Pending[] r = new Pending[4];
    Pending[] b = new Pending[4];
    for (int g = 0; g < 4; g++) {
      w[g] = part.get("W_" + gates[g]);
      r[g] = part.get("U_" + gates[g]);
      b[g] = part.get("b_" + gates[g]);
      requireShape(where, "W_" + gates[g], w[g], f, u);
      requireShape(where, "U_" + gates[g], r[g], u, u);
      requireShape(where, "b_" + gates[g], b[g], u);
    }
    // the gates' arrays side by side, as Keras 2 concatenates them: read when the repacked array is
    return List.of(concatenated(w, f, u), concatenated(r, u, u), concatenated(b, 1, u).reshaped(4 * u));
  }

  /** Four (rows, u) arrays side by side: (rows, 4u). */
  private static Pending concatenated(Pending[] parts, int rows, int u) {
    return new Pending(new int[] {rows, 4 * u}, () -> {
      double[] out = new double[rows * 4 * u];
      for (int g = 0; g < 4; g++) {
        double[] p = parts[g].values();
        for (int row = 0; row < rows; row++) {
          System.arraycopy(p, row * u, out, row * 4 * u + g * u, u);
        }
      }
      return out;
    });
  }

  private static void requireShape(String where, String what, Pending a, int... shape) throws ModelFileException {
    if (!java.util.Arrays.equals(a.shape(), shape)) {
      throw new ModelFileException(where + " (Keras 1 LSTM): " + what + " has shape " + Tensor.format(a.shape())
          + ", expected " + Tensor.format(shape));
    }
  }

  /** [kernel (inputs, units), bias (units,)]. */
  static List<Pending> denseWeights(String file, String layer, int units, boolean useBias, Stored s)
      throws ModelFileException {
    List<Pending> a = s.arrays();
    String where = file + ": layer " + layer;
    int expected = useBias ? 2 : 1;
    if (a.size() != expected) {
      throw new ModelFileException(where + " (Dense" + (useBias ? "" : ", use_bias false") + ") has " + a.size()
          + " weight arrays " + s.shapes() + ", expected " + expected + (useBias ? " (kernel, bias)" : " (kernel)"));
    }
    Pending kernel = a.get(0);
    if (kernel.shape().length != 2 || (units > 0 && kernel.shape()[1] != units)) {
      throw new ModelFileException(where + ": kernel " + s.names().get(0) + " has shape " + Tensor.format(kernel.shape())
          + ", expected (inputs, " + (units > 0 ? units : "units") + ")");
    }
    int u = kernel.shape()[1];
    List<Pending> w = new ArrayList<>();
    w.add(kernel);
    if (useBias) {
      Pending bias = a.get(1);
      if (bias.shape().length != 1 || bias.shape()[0] != u) {
        throw new ModelFileException(where + ": bias " + s.names().get(1) + " has shape " + Tensor.format(bias.shape())
            + ", expected " + Tensor.format(u));
      }
      w.add(bias);
    }
    return w;
  }
}
