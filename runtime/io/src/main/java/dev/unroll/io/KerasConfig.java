package dev.unroll.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Keras model configuration ({@code model.to_json()}, the {@code model_config} attribute of an
 * {@code .h5} model, {@code config.json} of a {@code .keras} archive) reduced to what Unroll needs:
 * the layers of a chain, in order, and the input shape. Reads the Keras 1 and 2.0 {@code Sequential}
 * form (a list of layers), the Keras 2.2+ and 3 form ({@code {"layers": [...]}}), and functional models
 * ({@code Model}, {@code Functional}) whose layers form one chain.
 */
final class KerasConfig {
  /** One layer: Keras class name, name, its {@code config} object, and for wrappers the wrapped layer. */
  record Layer(String className, String name, Map<String, Object> config, Layer inner, int[] buildShape) {}

  final List<Layer> layers;
  /** (batch, timesteps, features) as stated, 0 for null; null if the configuration states no input shape. */
  final int[] batchShape;
  /** The {@code keras_version} the configuration states, or null. */
  final String kerasVersion;

  private KerasConfig(List<Layer> layers, int[] batchShape, String kerasVersion) {
    this.layers = layers;
    this.batchShape = batchShape;
    this.kerasVersion = kerasVersion;
  }

  /**
   * Parses a configuration.
   *
   * @param source the file the configuration comes from, for messages
   * @throws ModelFileException if the JSON is not a Keras model configuration, or a functional model
   *     whose layers do not form one chain
   */
  static KerasConfig parse(String json, String source) throws ModelFileException {
    Map<String, Object> root;
    try {
      root = Json.object(Json.parse(json));
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(source + ": the model configuration is not valid JSON (" + e.getMessage() + ")", e);
    }
    if (root == null || !(root.get("class_name") instanceof String cls)) {
      throw new ModelFileException(source + ": not a Keras model configuration (no \"class_name\")");
    }
    String version = root.get("keras_version") instanceof String v ? v : null;
    Object body = root.get("config");
    List<Object> rawLayers;
    Map<String, Object> bodyMap = Json.object(body);
    boolean functional;
    if (cls.equals("Sequential")) {
      rawLayers = bodyMap != null ? Json.array(bodyMap.get("layers")) : Json.array(body);
      functional = false;
    } else if (cls.equals("Model") || cls.equals("Functional")) {
      rawLayers = bodyMap == null ? null : Json.array(bodyMap.get("layers"));
      functional = true;
    } else {
      throw new ModelFileException(source + ": the configuration describes a " + cls
          + ", not a Sequential or functional model; Unroll reads those (a subclassed model has no configuration:"
          + " read its weights and declare the layers)");
    }
    if (rawLayers == null) {
      throw new ModelFileException(source + ": the " + cls + " configuration has no list of layers");
    }
    List<Layer> layers = new ArrayList<>();
    for (Object o : rawLayers) {
      layers.add(layer(o, source));
    }
    if (functional) {
      checkChain(rawLayers, layers, source);
    }
    int[] shape = inputShape(layers, bodyMap);
    return new KerasConfig(layers, shape, version);
  }

  private static Layer layer(Object o, String source) throws ModelFileException {
    Map<String, Object> m = Json.object(o);
    if (m == null || !(m.get("class_name") instanceof String cls)) {
      throw new ModelFileException(source + ": a layer of the configuration has no \"class_name\"");
    }
    Map<String, Object> config = Json.object(m.get("config"));
    if (config == null) {
      config = Map.of();
    }
    String name = config.get("name") instanceof String n ? n : m.get("name") instanceof String n2 ? n2 : cls;
    Layer inner = null;
    if (config.get("layer") != null && Json.object(config.get("layer")) != null) {
      inner = layer(config.get("layer"), source);
    }
    Map<String, Object> build = Json.object(m.get("build_config"));
    return new Layer(cls, name, config, inner, build == null ? null : shape(build.get("input_shape")));
  }

  /** The stated input shape: InputLayer, the first layer's batch_input_shape, input_length/input_dim, build shapes. */
  private static int[] inputShape(List<Layer> layers, Map<String, Object> body) {
    for (Layer l : layers) {
      int[] s = shape(l.config().get("batch_input_shape"));
      if (s == null) {
        s = shape(l.config().get("batch_shape"));
      }
      if (s == null && l.className().equals("InputLayer")) {
        s = shape(l.config().get("input_shape"));
      }
      if (s == null && (l.config().containsKey("input_length") || l.config().containsKey("input_dim"))) {
        // Keras 1: input_length (timesteps) and input_dim (features)
        int t = l.config().get("input_length") instanceof Long x ? (int) (long) x : 0;
        int f = l.config().get("input_dim") instanceof Long x ? (int) (long) x : 0;
        if (t > 0 || f > 0) {
          s = new int[] {0, t, f};
        }
      }
      if (s == null) {
        s = l.buildShape();
      }
      if (s != null) {
        return s;
      }
      if (!l.className().equals("InputLayer")) {
        break;
      }
    }
    return body == null ? null : shape(body.get("build_input_shape"));
  }

  private static int[] shape(Object o) {
    List<Object> list = Json.array(o);
    if (list == null) {
      return null;
    }
    int[] s = new int[list.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = list.get(i) instanceof Long x ? (int) (long) x : 0;
    }
    return s;
  }

  /** A functional model must be a chain: each layer takes the one before it as its only input. */
  private static void checkChain(List<Object> raw, List<Layer> layers, String source) throws ModelFileException {
    String previous = null;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      Map<String, Object> m = Json.object(raw.get(i));
      List<String> sources = new ArrayList<>();
      List<Object> nodes = Json.array(m.get("inbound_nodes"));
      int nodeCount = nodes == null ? 0 : nodes.size();
      if (nodes != null) {
        for (Object node : nodes) {
          collectSources(node, sources, 0);
        }
      }
      if (l.className().equals("InputLayer")) {
        if (previous != null) {
          throw new ModelFileException(source + ": the model has more than one input (" + previous + ", " + l.name()
              + "); Unroll reads models whose layers form one chain");
        }
        previous = l.name();
        continue;
      }
      boolean chained = nodeCount == 1 && sources.size() == 1 && (previous == null || sources.get(0).equals(previous));
      if (!chained) {
        throw new ModelFileException(source + ": layer " + l.name() + " takes its input from "
            + (sources.isEmpty() ? "no layer" : String.join(", ", sources))
            + (nodeCount > 1 ? " (it is called " + nodeCount + " times)" : "")
            + (previous == null ? "" : ", not only from " + previous)
            + "; Unroll reads models whose layers form one chain");
      }
      previous = l.name();
    }
  }

  /** Layer names an inbound node refers to: Keras 1/2 {@code [name, node, tensor, kwargs]}, Keras 3 {@code keras_history}. */
  private static void collectSources(Object node, List<String> out, int depth) {
    if (depth > 50) {
      return;
    }
    List<Object> list = Json.array(node);
    if (list != null) {
      if (list.size() >= 3 && list.get(0) instanceof String name && list.get(1) instanceof Long
          && list.get(2) instanceof Long) {
        out.add(name);
        return;
      }
      for (Object o : list) {
        collectSources(o, out, depth + 1);
      }
      return;
    }
    Map<String, Object> map = Json.object(node);
    if (map == null) {
      return;
    }
    List<Object> history = Json.array(map.get("keras_history"));
    if (history != null && !history.isEmpty() && history.get(0) instanceof String name) {
      out.add(name);
      return;
    }
    for (Object o : map.values()) {
      collectSources(o, out, depth + 1);
    }
  }
}
