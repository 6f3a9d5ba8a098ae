package dev.unroll.io;

import static dev.unroll.io.KerasDialect.activation;
import static dev.unroll.io.KerasDialect.bool;

import dev.unroll.Activation;
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
      out.add(l.isLstm() && timesteps > 0 ? planned.with(l.withTimesteps(timesteps)) : planned);
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
      case "LSTM": {
        List<String> unknown = new ArrayList<>();
        Activation act = c.containsKey("activation") ? activation(c.get("activation"), major, unknown) : Activation.TANH;
        Activation recAct = KerasDialect.recurrentActivation(c, major, unknown);
        boolean useBias = bool(c, "use_bias", true);
        int units = KerasDialect.units(c);
        List<Pending> w = KerasDialect.lstmWeights(file, l.name(), units, useBias, s);
        int inputs = w.get(0).dim(0);
        units = w.get(1).dim(0);
        if (bool(c, "stateful", false)) {
          notes.add("layer " + l.name() + " is stateful in Keras; Unroll's predict starts every call from a zero "
              + "state: use a stepper to carry the state from call to call");
        }
        String problem = unknown.isEmpty() ? null : "layer " + l.name() + ": " + String.join("; ", unknown);
        return new Unread.Layer(FileLayer.builder(l.name(), l.className()).kind("LSTM").units(units).inputs(inputs)
            .activation(act).recurrentActivation(recAct).useBias(useBias)
            .returnSequences(bool(c, "return_sequences", false)).returnState(bool(c, "return_state", false))
            .goBackwards(bool(c, "go_backwards", false)).problem(problem).build(), w);
      }
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
      case "Bidirectional" -> " (it runs a recurrent layer forwards and backwards and joins the outputs)";
      case "GRU", "SimpleRNN", "CuDNNGRU", "CuDNNLSTM", "ConvLSTM1D", "ConvLSTM2D" -> "";
      case "Lambda" -> " (it holds Python code)";
      case "Sequential", "Functional", "Model" -> " (a model nested as a layer)";
      default -> "";
    };
    return new Unread.Layer(FileLayer.builder(l.name(), what)
        .problem("layer " + l.name() + ": " + what + " is not supported" + why + "; Unroll has LSTM and Dense layers")
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
      int n = a.size();
      boolean lstmShapes = (n == 3 || n == 2) && a.get(0).shape().length == 2 && a.get(1).shape().length == 2
          && a.get(1).shape()[1] == 4 * a.get(1).shape()[0] && a.get(0).shape()[1] == a.get(1).shape()[1];
      if (n == 12 || lstmShapes) {
        List<Pending> w = KerasDialect.lstmWeights(file, name, 0, n != 2, s);
        out.add(new Unread.Layer(FileLayer.builder(name, "LSTM").kind("LSTM").units(w.get(1).dim(0))
            .inputs(w.get(0).dim(0)).useBias(n != 2).build(), w));
      } else if ((n == 1 || n == 2) && a.get(0).shape().length == 2
          && (n == 1 || (a.get(1).shape().length == 1 && a.get(1).shape()[0] == a.get(0).shape()[1]))) {
        List<Pending> w = KerasDialect.denseWeights(file, name, 0, n == 2, s);
        out.add(new Unread.Layer(FileLayer.builder(name, "Dense").kind("Dense").units(w.get(0).dim(1))
            .inputs(w.get(0).dim(0)).useBias(n == 2).build(), w));
      } else {
        out.add(new Unread.Layer(FileLayer.builder(name, "?")
            .problem("layer " + name + ": its weights " + s.shapes() + " are neither an LSTM's nor a Dense layer's;"
                + " without the model's configuration (model.to_json()) its type is unknown")
            .build(), s.arrays()));
      }
    }
    notes.add("no configuration: activations, return_sequences and the sequence length are not in the file and "
        + "are not checked; read the weights with the model's JSON configuration (model.to_json()) to check them");
    return out;
  }
}
