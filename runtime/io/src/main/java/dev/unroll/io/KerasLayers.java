package dev.unroll.io;

import static dev.unroll.io.KerasDialect.activation;
import static dev.unroll.io.KerasDialect.bool;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.Tensor;
import dev.unroll.io.KerasContainer.Stored;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Keras file's layers as {@link FileLayer}s: from its configuration (every attribute stated) or,
 * without one, from the weight shapes alone. Layers that do nothing at inference are dropped, an
 * Activation layer after a Dense layer without activation is folded into it, and layers Unroll does
 * not have are kept with the reason.
 */
final class KerasLayers {
  /** Layers that do nothing at inference: skipped, with a note. */
  private static final List<String> INFERENCE_IDENTITY = List.of("Dropout", "SpatialDropout1D", "GaussianNoise",
      "GaussianDropout", "AlphaDropout", "ActivityRegularization");

  private KerasLayers() {}

  /** The stored arrays of a layer of the configuration; null if it has none. */
  interface WeightsOf {
    Stored get(KerasConfig.Layer layer);
  }

  // ---------------------------------------------------------------------------------------------
  // layers from a configuration

  static List<Unread.Layer> fromConfig(List<KerasConfig.Layer> ordered, WeightsOf weights, KerasConfig cfg,
      int major, String file, List<String> notes) throws ModelFileException {
    List<Unread.Layer> raw = new ArrayList<>();
    for (KerasConfig.Layer l : ordered) {
      if (l.className().equals("InputLayer")) {
        continue; // functional models list their inputs among the layers; the input shape is read below
      }
      Stored s = weights.get(l);
      raw.add(layer(l, s == null ? Stored.NONE : s, major, file, notes));
    }
    List<Unread.Layer> layers = finish(raw, notes);
    int[] shape = cfg.batchShape;
    int timesteps = shape != null && shape.length == 3 ? shape[1] : 0;
    int features = shape != null && shape.length == 3 ? shape[2] : 0;
    List<Unread.Layer> out = new ArrayList<>();
    boolean first = true;
    for (Unread.Layer planned : layers) {
      FileLayer l = planned.layer();
      if (first && l.kind() != null && features > 0 && l.inputs() > 0 && l.inputs() != features) {
        throw new ModelFileException(file + ": the configuration states " + features + " input features, but the "
            + "kernel of " + l.name() + " has " + l.inputs() + " rows");
      }
      if (l.kind() != null && !l.isMasking()) {
        first = false;
      }
      if (l.isMasking()) {
        // its output is its input: (timesteps, features) of the model, or the next layer's inputs
        int width = features > 0 ? features : nextInputs(layers, planned);
        out.add(planned.with(l.toBuilder().units(width).inputs(width).timesteps(timesteps).build()));
        continue;
      }
      out.add(l.isRecurrent() && timesteps > 0 ? planned.with(l.withTimesteps(timesteps)) : planned);
    }
    return out;
  }

  /**
   * Keras {@code mask_value}: a number (Keras 2), or as Keras 3 serialises a tensor,
   * {@code {"class_name": "__tensor__", "config": {"value": [0.0], ...}}}; NaN when it is neither.
   */
  private static double maskValue(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> config) {
      Object value = config.get("value");
      if (value instanceof List<?> list && list.size() == 1) {
        value = list.get(0);
      }
      if (value instanceof Number n) {
        return n.doubleValue();
      }
    }
    return Double.NaN;
  }

  /** The inputs of the first layer with weights after {@code layer}, or 0. */
  private static int nextInputs(List<Unread.Layer> layers, Unread.Layer layer) {
    for (int i = layers.indexOf(layer) + 1; i < layers.size(); i++) {
      FileLayer l = layers.get(i).layer();
      if (l.kind() != null && !l.isMasking()) {
        return l.inputs();
      }
    }
    return 0;
  }

  private static Unread.Layer layer(KerasConfig.Layer l, Stored s, int major, String file, List<String> notes)
      throws ModelFileException {
    Map<String, Object> c = l.config();
    switch (l.className()) {
      case "LSTM":
      case "GRU":
        return recurrent(l.name(), l.className(), l.className(), c, s, major, file, notes);
      case "Bidirectional":
        return bidirectional(l, s, major, file, notes);
      case "Dense":
        return dense(l.name(), l.className(), c, s, major, file);
      case "Masking": {
        Object v = c.getOrDefault("mask_value", 0.0);
        double value = maskValue(v);
        String problem = Double.isFinite(value) ? null : "layer " + l.name() + ": mask_value " + v
            + " is not a finite number, which @Masking needs";
        return new Unread.Layer(FileLayer.builder(l.name(), l.className()).kind("Masking").maskValue(value)
            .problem(problem).build(), s.arrays());
      }
      case "TimeDistributed":
        if (l.inner() != null && l.inner().className().equals("Dense")) {
          return dense(l.name(), "TimeDistributed(Dense)", l.inner().config(), s, major, file);
        }
        return unsupported(l, s, "TimeDistributed(" + (l.inner() == null ? "?" : l.inner().className()) + ")");
      case "Activation": {
        List<String> unknown = new ArrayList<>();
        Activation a = activation(c.get("activation"), major, unknown);
        return new Unread.Layer(FileLayer.builder(l.name(), "Activation").activation(a)
            .problem("layer " + l.name() + ": an Activation layer is supported only after a Dense layer without "
                + "activation (it then becomes that layer's activation)"
                + (unknown.isEmpty() ? "" : "; " + String.join("; ", unknown)))
            .build(), s.arrays());
      }
      default:
        return unsupported(l, s, l.className());
    }
  }

  /** An LSTM or GRU layer ({@code kind}), from its configuration {@code c} and its arrays. */
  private static Unread.Layer recurrent(String name, String className, String kind, Map<String, Object> c, Stored s,
      int major, String file, List<String> notes) throws ModelFileException {
    List<String> unknown = new ArrayList<>();
    Activation act = c.containsKey("activation") ? activation(c.get("activation"), major, unknown) : Activation.TANH;
    Activation recAct = KerasDialect.recurrentActivation(c, major, unknown);
    boolean useBias = bool(c, "use_bias", true);
    int units = KerasDialect.units(c);
    boolean gru = kind.equals("GRU");
    // Keras before 2.1.3 had no reset_after: its GRU computes as reset_after false
    Boolean resetAfter = gru ? (Boolean) bool(c, "reset_after", false) : null;
    List<Pending> w = gru ? KerasDialect.gruWeights(file, name, units, useBias, resetAfter, s)
        : KerasDialect.lstmWeights(file, name, units, useBias, s);
    int inputs = w.get(0).dim(0);
    units = w.get(1).dim(0);
    if (bool(c, "stateful", false)) {
      notes.add("layer " + name + " is stateful in Keras; Unroll's predict starts every call from a zero "
          + "state: use a stepper to carry the state from call to call");
    }
    String problem = unknown.isEmpty() ? null : "layer " + name + ": " + String.join("; ", unknown);
    return new Unread.Layer(FileLayer.builder(name, className).kind(kind).units(units).inputs(inputs)
        .activation(act).recurrentActivation(recAct).useBias(useBias)
        .returnSequences(bool(c, "return_sequences", false)).returnState(bool(c, "return_state", false))
        .goBackwards(bool(c, "go_backwards", false)).resetAfter(resetAfter).problem(problem).build(), w);
  }

  /**
   * A Bidirectional layer: the wrapped LSTM or GRU read twice, from the forward layer's arrays and from
   * the backward layer's ({@code forward_lstm}, {@code backward_lstm} in weight names; Keras 3's
   * {@code forward_layer}, {@code backward_layer} groups), its weights the forward arrays then the backward.
   */
  private static Unread.Layer bidirectional(KerasConfig.Layer l, Stored s, int major, String file, List<String> notes)
      throws ModelFileException {
    KerasConfig.Layer inner = l.inner();
    String innerClass = inner == null ? "?" : inner.className();
    if (!innerClass.equals("LSTM") && !innerClass.equals("GRU")) {
      return unsupported(l, s, "Bidirectional(" + innerClass + ")");
    }
    Map<String, Object> c = l.config();
    List<String> problems = new ArrayList<>();
    MergeMode mergeMode = null;
    Object mm = c.get("merge_mode");
    if (mm instanceof String m && List.of("concat", "sum", "mul", "ave").contains(m)) {
      mergeMode = MergeMode.valueOf(m.toUpperCase(java.util.Locale.ROOT));
    } else {
      problems.add("merge_mode " + (mm == null ? "null (the two directions' outputs returned as a list)"
          : String.valueOf(mm)) + " is not supported (Unroll has concat, sum, mul and ave)");
    }
    String backwardDiffers = backwardLayerDiffers(inner, c.get("backward_layer"));
    if (backwardDiffers != null) {
      problems.add("its backward_layer differs from the forward layer (" + backwardDiffers + "); Unroll's "
          + "@Bidirectional runs two copies of one layer");
    }
    Stored[] halves = halves(s, l.name(), file);
    Unread.Layer forward = recurrent(l.name(), innerClass, innerClass, inner.config(), halves[0], major, file, notes);
    Unread.Layer backward = recurrent(l.name(), innerClass, innerClass, inner.config(), halves[1], major, file,
        new ArrayList<>());
    FileLayer f = forward.layer();
    FileLayer b = backward.layer();
    if (f.inputs() != b.inputs() || f.units() != b.units()
        || !java.util.Arrays.equals(forward.arrays().get(forward.arrays().size() - 1).shape(),
            backward.arrays().get(backward.arrays().size() - 1).shape())) {
      throw new ModelFileException(file + ": layer " + l.name() + ": the forward arrays " + halves[0].shapes()
          + " and the backward arrays " + halves[1].shapes() + " differ in shape");
    }
    if (Boolean.TRUE.equals(f.goBackwards()) || Boolean.TRUE.equals(f.returnState())) {
      problems.add("the wrapped " + innerClass + " has " + (Boolean.TRUE.equals(f.goBackwards()) ? "go_backwards"
          : "return_state") + " true, which Unroll's @Bidirectional does not wrap");
    }
    if (f.problem() != null) {
      problems.add(f.problem().substring(("layer " + l.name() + ": ").length()));
    }
    List<Pending> arrays = new ArrayList<>(forward.arrays());
    arrays.addAll(backward.arrays());
    String problem = problems.isEmpty() ? null : "layer " + l.name() + ": " + String.join("; ", problems);
    return new Unread.Layer(copy(f, l.name(), "Bidirectional(" + innerClass + ")").kind("Bidirectional")
        .wrapped(innerClass).mergeMode(mergeMode).problem(problem).build(), arrays);
  }

  private static FileLayer.Builder copy(FileLayer f, String name, String className) {
    return FileLayer.builder(name, className).kind(f.kind()).units(f.units()).inputs(f.inputs())
        .timesteps(f.timesteps()).activation(f.activation()).recurrentActivation(f.recurrentActivation())
        .useBias(f.useBias()).returnSequences(f.returnSequences()).returnState(f.returnState())
        .goBackwards(f.goBackwards()).resetAfter(f.resetAfter());
  }

  /** Configuration keys a backward_layer may differ in from the forward layer without computing anything else. */
  private static final List<String> DIRECTION_KEYS = List.of("name", "go_backwards", "seed", "trainable");

  /**
   * Why a Bidirectional's {@code backward_layer} configuration (stated when the model gave one, and
   * always by Keras 3) is not the wrapped layer run backwards: the keys that differ; null if it is, or
   * if there is none.
   */
  static String backwardLayerDiffers(KerasConfig.Layer forward, Object backwardLayer) {
    Map<String, Object> bw = Json.object(backwardLayer);
    if (bw == null) {
      return null;
    }
    String cls = bw.get("class_name") instanceof String x ? x : null;
    if (cls != null && !cls.equals(forward.className())) {
      return "it is a " + cls + ", the forward layer a " + forward.className();
    }
    Map<String, Object> bc = Json.object(bw.get("config"));
    if (bc == null) {
      return null;
    }
    Map<String, Object> fc = forward.config();
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(fc.keySet());
    keys.addAll(bc.keySet());
    List<String> differ = new ArrayList<>();
    for (String k : keys) {
      if (!DIRECTION_KEYS.contains(k) && !java.util.Objects.equals(fc.get(k), bc.get(k))) {
        differ.add(k + " " + fc.get(k) + " forward, " + bc.get(k) + " backward");
      }
    }
    if (bool(bc, "go_backwards", true) == bool(fc, "go_backwards", false)) {
      differ.add("go_backwards " + bool(bc, "go_backwards", true) + " in both");
    }
    return differ.isEmpty() ? null : String.join(", ", differ);
  }

  /**
   * A Bidirectional layer's arrays split into the forward layer's and the backward layer's: by name when
   * each names its direction ({@code bidirectional/forward_lstm/kernel:0}, Keras 3's
   * {@code layers/bidirectional/backward_layer/cell/vars/0}), else the first half and the second.
   */
  static Stored[] halves(Stored s, String layer, String file) throws ModelFileException {
    int n = s.arrays().size();
    List<String> fn = new ArrayList<>();
    List<Pending> fa = new ArrayList<>();
    List<String> bn = new ArrayList<>();
    List<Pending> ba = new ArrayList<>();
    boolean named = true;
    for (int i = 0; i < n; i++) {
      String name = s.names().get(i);
      boolean f = name.contains("forward_");
      boolean b = name.contains("backward_");
      if (f == b) {
        named = false;
        break;
      }
      (f ? fn : bn).add(name);
      (f ? fa : ba).add(s.arrays().get(i));
    }
    if (named && fa.size() == ba.size()) {
      return new Stored[] {new Stored(fn, fa), new Stored(bn, ba)};
    }
    if (n % 2 != 0) {
      throw new ModelFileException(file + ": layer " + layer + " (Bidirectional) has " + n + " weight arrays "
          + s.shapes() + ", expected as many for the forward layer as for the backward layer");
    }
    return new Stored[] {new Stored(s.names().subList(0, n / 2), s.arrays().subList(0, n / 2)),
        new Stored(s.names().subList(n / 2, n), s.arrays().subList(n / 2, n))};
  }

  private static Unread.Layer dense(String name, String className, Map<String, Object> c, Stored s, int major,
      String file) throws ModelFileException {
    List<String> unknown = new ArrayList<>();
    Activation act = c.containsKey("activation") ? activation(c.get("activation"), major, unknown) : Activation.LINEAR;
    boolean useBias = KerasDialect.denseUseBias(c);
    int units = KerasDialect.units(c);
    List<Pending> w = KerasDialect.denseWeights(file, name, units, useBias, s);
    String problem = unknown.isEmpty() ? null : "layer " + name + ": " + String.join("; ", unknown);
    return new Unread.Layer(FileLayer.builder(name, className).kind("Dense").units(w.get(0).dim(1))
        .inputs(w.get(0).dim(0)).activation(act).useBias(useBias).problem(problem).build(), w);
  }

  private static Unread.Layer unsupported(KerasConfig.Layer l, Stored s, String what) {
    String why = switch (l.className()) {
      case "Masking" -> " (it makes the layers after it skip timesteps whose features all equal mask_value)";
      case "Bidirectional" -> " (Unroll's @Bidirectional wraps an LSTM or GRU)";
      case "SimpleRNN", "CuDNNGRU", "CuDNNLSTM", "ConvLSTM1D", "ConvLSTM2D" -> "";
      case "Lambda" -> " (it holds Python code)";
      case "Sequential", "Functional", "Model" -> " (a model nested as a layer)";
      default -> "";
    };
    return new Unread.Layer(FileLayer.builder(l.name(), what)
        .problem("layer " + l.name() + ": " + what + " is not supported" + why + "; Unroll has LSTM, GRU, Bidirectional and Dense layers")
        .build(), s.arrays());
  }

  /** Drops layers that do nothing at inference and folds Activation layers into the Dense layer before them. */
  private static List<Unread.Layer> finish(List<Unread.Layer> raw, List<String> notes) {
    List<Unread.Layer> out = new ArrayList<>();
    for (Unread.Layer planned : raw) {
      FileLayer l = planned.layer();
      if (INFERENCE_IDENTITY.contains(l.className()) && planned.arrays().isEmpty()) {
        notes.add("layer " + l.name() + " (" + l.className() + ") is skipped: it does nothing at inference");
        continue;
      }
      if (l.className().equals("TimeDistributed(Dense)")) {
        notes.add("layer " + l.name() + " is TimeDistributed(Dense): read as a Dense layer, which Keras and Unroll "
            + "apply to every timestep of a sequence");
      }
      if (l.className().equals("Activation") && l.activation() != null && !out.isEmpty()) {
        FileLayer prev = out.get(out.size() - 1).layer();
        if ("Dense".equals(prev.kind()) && prev.activation() == Activation.LINEAR && prev.problem() == null
            && planned.arrays().isEmpty()) {
          out.set(out.size() - 1, out.get(out.size() - 1).with(prev.withActivation(l.activation())));
          notes.add("layer " + l.name() + " (Activation " + l.activation().kerasName() + ") is folded into "
              + prev.name() + ", which becomes Dense with activation " + l.activation().kerasName());
          continue;
        }
      }
      out.add(planned);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // layers from weights alone

  /**
   * An LSTM (recurrent_kernel (U, 4U), or Keras 1's twelve arrays) or a GRU (recurrent_kernel (U, 3U);
   * reset_after as the bias shape says) from the shapes of its arrays alone; null if they are neither.
   */
  private static Unread.Layer recurrentFromShapes(String name, Stored s, String file)
      throws ModelFileException {
    List<Pending> a = s.arrays();
    int n = a.size();
    if (n == 12) {
      List<Pending> w = KerasDialect.lstmWeights(file, name, 0, true, s);
      return new Unread.Layer(FileLayer.builder(name, "LSTM").kind("LSTM").units(w.get(1).dim(0))
          .inputs(w.get(0).dim(0)).useBias(true).build(), w);
    }
    if ((n != 3 && n != 2) || a.get(0).rank() != 2 || a.get(1).rank() != 2 || a.get(0).dim(1) != a.get(1).dim(1)) {
      return null;
    }
    int u = a.get(1).dim(0);
    int cols = a.get(1).dim(1);
    if (cols == 4 * u) {
      List<Pending> w = KerasDialect.lstmWeights(file, name, 0, n == 3, s);
      return new Unread.Layer(FileLayer.builder(name, "LSTM").kind("LSTM")
          .units(u).inputs(w.get(0).dim(0)).useBias(n == 3).build(), w);
    }
    if (cols == 3 * u) {
      List<Pending> w = KerasDialect.gruWeights(file, name, 0, n == 3, null, s);
      Boolean resetAfter = n == 3 ? (Boolean) (w.get(2).rank() == 2) : null;
      return new Unread.Layer(FileLayer.builder(name, "GRU").kind("GRU")
          .units(u).inputs(w.get(0).dim(0)).useBias(n == 3).resetAfter(resetAfter).build(), w);
    }
    return null;
  }

  static List<Unread.Layer> fromWeightsOnly(Map<String, Stored> stored, String file, List<String> notes)
      throws ModelFileException {
    List<Unread.Layer> out = new ArrayList<>();
    for (Map.Entry<String, Stored> e : stored.entrySet()) {
      String name = e.getKey();
      Stored s = e.getValue();
      List<Pending> a = s.arrays();
      if (a.isEmpty()) {
        notes.add("layer " + name + " has no weights and, without a configuration, no known type: skipped");
        continue;
      }
      Unread.Layer recurrent = recurrentFromShapes(name, s, file);
      if (recurrent == null && a.size() % 2 == 0 && a.size() >= 4) {
        Stored[] halves = halves(s, name, file);
        boolean named = halves[0].names().stream().allMatch(x -> x.contains("forward_"));
        Unread.Layer f = named ? recurrentFromShapes(name, halves[0], file) : null;
        Unread.Layer b = named ? recurrentFromShapes(name, halves[1], file) : null;
        if (f != null && b != null && f.layer().kind().equals(b.layer().kind())) {
          List<Pending> arrays = new ArrayList<>(f.arrays());
          arrays.addAll(b.arrays());
          String cell = f.layer().kind();
          recurrent = new Unread.Layer(copy(f.layer(), name, "Bidirectional(" + cell + ")").kind("Bidirectional")
              .wrapped(cell).build(), arrays);
          notes.add("layer " + name + " is read as Bidirectional(" + cell + ") from its weight names; its merge_mode"
              + " is not in the file and is not checked");
        }
      }
      int n = a.size();
      if (recurrent != null) {
        out.add(recurrent);
      } else if ((n == 1 || n == 2) && a.get(0).shape().length == 2
          && (n == 1 || (a.get(1).shape().length == 1 && a.get(1).shape()[0] == a.get(0).shape()[1]))) {
        List<Pending> w = KerasDialect.denseWeights(file, name, 0, n == 2, s);
        out.add(new Unread.Layer(FileLayer.builder(name, "Dense").kind("Dense").units(w.get(0).dim(1))
            .inputs(w.get(0).dim(0)).useBias(n == 2).build(), w));
      } else {
        out.add(new Unread.Layer(FileLayer.builder(name, "?")
            .problem("layer " + name + ": its weights " + s.shapes() + " are neither an LSTM's, a GRU's, a "
                + "Bidirectional layer's nor a Dense layer's; without the model's configuration (model.to_json()) "
                + "its type is unknown")
            .build(), s.arrays()));
      }
    }
    notes.add("no configuration: activations, return_sequences and the sequence length are not in the file and "
        + "are not checked; read the weights with the model's JSON configuration (model.to_json()) to check them");
    return out;
  }
}
