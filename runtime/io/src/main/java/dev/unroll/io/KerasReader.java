package dev.unroll.io;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads Keras files: {@code .h5} written by Keras 1, Keras 2 / tf.keras and Keras 3 ({@code model.save}
 * and {@code save_weights}), Keras 3 {@code .weights.h5}, and Keras 3 {@code .keras} archives.
 *
 * <p>In {@code .h5} files the layer order comes from the {@code layer_names} attribute and each
 * layer's arrays from its {@code weight_names} attribute, read as paths inside the layer's group: the
 * group names inside differ between releases ({@code lstm_1/lstm_1/kernel:0},
 * {@code lstm/lstm/lstm_cell/kernel:0}, {@code lstm_6/lstm_6/lstm_cell_6/kernel:0}), so no path is
 * ever built. In Keras 3 archives the arrays of the k-th layer of a class are under
 * {@code layers/<class in snake_case>[_k]/}, in {@code vars/0, 1, ...} groups (an LSTM's in
 * {@code cell/vars}).
 */
final class KerasReader {
  private static final Pattern TRAILING_COUNTER = Pattern.compile("^(.*?)(?:_(\\d+))?$");
  /** Layers that do nothing at inference: skipped, with a note. */
  private static final List<String> INFERENCE_IDENTITY = List.of("Dropout", "SpatialDropout1D", "GaussianNoise",
      "GaussianDropout", "AlphaDropout", "ActivityRegularization");
  /** Keras 1 LSTM arrays, in the order Keras 1 stores them (gates i, c, f, o). */
  private static final List<String> KERAS1_LSTM = List.of("W_i", "U_i", "b_i", "W_c", "U_c", "b_c", "W_f", "U_f",
      "b_f", "W_o", "U_o", "b_o");

  private KerasReader() {}

  /** A layer's stored arrays, with the names (or paths) the file gives them. */
  record Stored(List<String> names, List<Hdf5.Array> arrays) {
    static final Stored NONE = new Stored(List.of(), List.of());
  }

  /** Whether jhdf, the HDF5 reader, is on the class path (a build may exclude it). */
  static boolean jhdfAvailable() {
    try {
      Class.forName("io.jhdf.HdfFile", false, KerasReader.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void requireJhdf(String file) throws ModelFileException {
    if (!jhdfAvailable()) {
      throw new ModelFileException(file + ": reading HDF5 (.h5, .keras) needs io.jhdf:jhdf 0.13.0 on the class path;"
          + " unroll-runtime declares it as an optional dependency: add it to your build");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // .h5

  static ModelFile readHdf5(Path file, Path configFile) throws IOException {
    String name = String.valueOf(file.getFileName());
    requireJhdf(name);
    String externalConfig = configFile == null ? null : Files.readString(configFile, StandardCharsets.UTF_8);
    String configName = configFile == null ? null : String.valueOf(configFile.getFileName());
    try (Hdf5 h = Hdf5.open(file)) {
      return fromHdf5(h, name, externalConfig, configName);
    } catch (IllegalStateException e) {
      throw new ModelFileException(name + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ModelFileException(name + ": cannot read it as HDF5 (" + describe(e) + "); is it truncated or corrupt?", e);
    }
  }

  private static ModelFile fromHdf5(Hdf5 h, String name, String externalConfig, String configName)
      throws ModelFileException {
    requireComplete(h, name);
    boolean fullModel = h.isGroup("model_weights");
    String root;
    if (fullModel) {
      root = "model_weights";
    } else if (h.stringsAttribute("", "layer_names") != null) {
      root = "";
    } else if (h.isGroup("layers")) {
      KerasConfig cfg = externalConfig == null ? null : KerasConfig.parse(externalConfig, configName);
      return fromKeras3Weights(h, name, cfg, cfg == null ? null : cfg.kerasVersion,
          "Keras 3 weights (.weights.h5)" + (cfg == null ? "" : ", configuration " + configName));
    } else {
      throw new ModelFileException(name + ": an HDF5 file, but not one Keras wrote: it has no model_weights group, "
          + "no layer_names attribute and no layers group");
    }
    String modelConfig = fullModel ? h.stringAttribute("", "model_config") : null;
    String configJson = externalConfig != null ? externalConfig : modelConfig;
    KerasConfig cfg = configJson == null ? null
        : KerasConfig.parse(configJson, externalConfig != null ? configName : name + " (model_config)");
    String version = first(h.stringAttribute("", "keras_version"), h.stringAttribute(root, "keras_version"),
        cfg == null ? null : cfg.kerasVersion, "1");
    List<String> layerNames = h.stringsAttribute(root, "layer_names");
    if (layerNames == null) {
      throw new ModelFileException(name + ": the group /" + root + " has no layer_names attribute");
    }
    Map<String, Stored> stored = new LinkedHashMap<>();
    for (String layer : layerNames) {
      String group = join(root, layer);
      if (!h.isGroup(group)) {
        throw new ModelFileException(name + ": layer_names lists " + layer + ", but there is no group /" + group);
      }
      List<String> weightNames = h.stringsAttribute(group, "weight_names");
      List<Hdf5.Array> arrays = new ArrayList<>();
      for (String w : weightNames == null ? List.<String>of() : weightNames) {
        String path = join(group, w);
        if (!h.exists(path)) {
          throw new ModelFileException(name + ": weight_names of layer " + layer + " lists " + w
              + ", but there is no dataset /" + path);
        }
        arrays.add(h.dataset(path));
      }
      stored.put(layer, new Stored(weightNames == null ? List.of() : List.copyOf(weightNames), arrays));
    }
    List<String> notes = new ArrayList<>();
    String format = "Keras " + version + (fullModel ? " model (.h5)" : " weights (.h5, save_weights)")
        + (externalConfig != null ? ", configuration " + configName : "");
    if (cfg == null) {
      return new ModelFile(name, format, version, false, fromWeightsOnly(stored, name, notes), notes);
    }
    Map<String, KerasConfig.Layer> byName = new HashMap<>();
    for (KerasConfig.Layer l : cfg.layers) {
      byName.put(l.name(), l);
    }
    List<KerasConfig.Layer> ordered = new ArrayList<>();
    for (String layer : layerNames) {
      KerasConfig.Layer l = byName.get(layer);
      if (l == null) {
        throw new ModelFileException(name + ": the weights have a layer " + layer + " that the configuration"
            + (configName != null ? " " + configName : "") + " does not describe");
      }
      ordered.add(l);
    }
    for (KerasConfig.Layer l : cfg.layers) {
      if (!stored.containsKey(l.name()) && !l.className().equals("InputLayer")) {
        throw new ModelFileException(name + ": the configuration has a layer " + l.name() + " (" + l.className()
            + ") that layer_names does not list");
      }
    }
    List<FileLayer> layers = fromConfig(ordered, l -> stored.get(l.name()), cfg, major(version), name, notes);
    return new ModelFile(name, format, version, true, layers, notes);
  }

  private static void requireComplete(Hdf5 h, String name) throws ModelFileException {
    long declared = h.declaredSize();
    long actual = h.size();
    if (declared > actual) {
      throw new ModelFileException(name + ": " + actual + " bytes, but its HDF5 superblock says " + declared
          + ": truncated");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // .keras (Keras 3)

  static ModelFile readKerasArchive(Path file, Path configFile) throws IOException {
    String name = String.valueOf(file.getFileName());
    requireJhdf(name);
    byte[] configBytes;
    byte[] metadataBytes;
    byte[] weightsBytes;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      configBytes = entry(zip, "config.json", name, 64L << 20);
      metadataBytes = entry(zip, "metadata.json", name, 1L << 20);
      weightsBytes = entry(zip, "model.weights.h5", name, Integer.MAX_VALUE - 16L);
    } catch (ZipException e) {
      throw new ModelFileException(name + ": not a readable zip archive (" + e.getMessage() + "); is it truncated?", e);
    }
    if (weightsBytes == null) {
      throw new ModelFileException(name + ": a zip archive without model.weights.h5; not a Keras 3 .keras file");
    }
    String configJson = configFile != null ? Files.readString(configFile, StandardCharsets.UTF_8)
        : configBytes == null ? null : new String(configBytes, StandardCharsets.UTF_8);
    if (configJson == null) {
      throw new ModelFileException(name + ": the archive has no config.json");
    }
    KerasConfig cfg = KerasConfig.parse(configJson, configFile != null ? String.valueOf(configFile.getFileName())
        : name + " (config.json)");
    String version = null;
    if (metadataBytes != null) {
      try {
        Map<String, Object> meta = Json.object(Json.parse(new String(metadataBytes, StandardCharsets.UTF_8)));
        version = meta != null && meta.get("keras_version") instanceof String v ? v : null;
      } catch (IllegalArgumentException e) {
        throw new ModelFileException(name + ": metadata.json is not valid JSON (" + e.getMessage() + ")", e);
      }
    }
    version = first(version, cfg.kerasVersion, "3");
    try (Hdf5 h = Hdf5.fromBytes(weightsBytes)) {
      requireComplete(h, name + ": model.weights.h5");
      return fromKeras3Weights(h, name, cfg, version, "Keras " + version + " model (.keras)");
    } catch (IllegalStateException e) {
      throw new ModelFileException(name + ": model.weights.h5: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ModelFileException(name + ": cannot read its model.weights.h5 as HDF5 (" + describe(e)
          + "); is it truncated or corrupt?", e);
    }
  }

  private static byte[] entry(ZipFile zip, String entry, String name, long limit) throws IOException {
    ZipEntry e = zip.getEntry(entry);
    if (e == null) {
      return null;
    }
    if (e.getSize() > limit) {
      throw new ModelFileException(name + ": " + entry + " holds " + e.getSize() + " bytes, more than Unroll reads");
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] bytes = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 16L) + 1);
      if (bytes.length > limit) {
        throw new ModelFileException(name + ": " + entry + " is larger than Unroll reads");
      }
      return bytes;
    } catch (ZipException ex) {
      throw new ModelFileException(name + ": cannot unpack " + entry + " (" + ex.getMessage() + "); is it truncated?",
          ex);
    }
  }

  /** The Keras 3 weights layout, with a configuration (layer order from it) or without (order from the names). */
  private static ModelFile fromKeras3Weights(Hdf5 h, String name, KerasConfig cfg, String version, String format)
      throws ModelFileException {
    List<String> notes = new ArrayList<>();
    if (cfg == null) {
      Map<String, Stored> stored = new LinkedHashMap<>();
      List<String> groups = new ArrayList<>(h.children("layers"));
      groups.sort(Comparator.comparingInt(KerasReader::keras3Rank).thenComparingInt(KerasReader::counter)
          .thenComparing(Comparator.naturalOrder()));
      for (String g : groups) {
        stored.put(g, vars(h, "layers/" + g));
      }
      notes.add("the layer order of a Keras 3 weights file without configuration is not stored: LSTM layers are "
          + "taken first (lstm, lstm_1, ...), then Dense layers (dense, dense_1, ...)");
      return new ModelFile(name, format, version, false, fromWeightsOnly(stored, name, notes), notes);
    }
    Map<String, Integer> used = new HashMap<>();
    Map<KerasConfig.Layer, Stored> stored = new HashMap<>();
    List<KerasConfig.Layer> ordered = new ArrayList<>();
    for (KerasConfig.Layer l : cfg.layers) {
      String base = snakeCase(l.className());
      Integer k = used.get(base);
      String path = "layers/" + (k == null ? base : base + "_" + (k + 1));
      used.put(base, k == null ? 0 : k + 1);
      if (l.className().equals("InputLayer")) {
        continue;
      }
      ordered.add(l);
      stored.put(l, vars(h, path));
    }
    List<FileLayer> layers = fromConfig(ordered, stored::get, cfg, major(version), name, notes);
    return new ModelFile(name, format, version, true, layers, notes);
  }

  /** The arrays under a Keras 3 layer group: its own vars/0, 1, ... first, then its children's, by name. */
  private static Stored vars(Hdf5 h, String path) {
    List<String> names = new ArrayList<>();
    List<Hdf5.Array> arrays = new ArrayList<>();
    collectVars(h, path, names, arrays, 0);
    return new Stored(names, arrays);
  }

  private static void collectVars(Hdf5 h, String path, List<String> names, List<Hdf5.Array> arrays, int depth) {
    if (depth > 16 || !h.isGroup(path)) {
      return;
    }
    String own = path + "/vars";
    if (h.isGroup(own)) {
      List<String> indices = new ArrayList<>(h.children(own));
      indices.sort(Comparator.comparingLong(KerasReader::indexOf).thenComparing(Comparator.naturalOrder()));
      for (String i : indices) {
        if (!h.isGroup(own + "/" + i)) {
          names.add(own + "/" + i);
          arrays.add(h.dataset(own + "/" + i));
        }
      }
    }
    List<String> children = new ArrayList<>(h.children(path));
    children.sort(Comparator.naturalOrder());
    for (String c : children) {
      if (!c.equals("vars")) {
        collectVars(h, path + "/" + c, names, arrays, depth + 1);
      }
    }
  }

  private static long indexOf(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static int keras3Rank(String group) {
    String base = base(group);
    return base.equals("lstm") ? 0 : base.equals("dense") ? 1 : 2;
  }

  private static int counter(String group) {
    Matcher m = TRAILING_COUNTER.matcher(group);
    return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 0;
  }

  private static String base(String group) {
    Matcher m = TRAILING_COUNTER.matcher(group);
    return m.matches() ? m.group(1) : group;
  }

  /** Keras 3's {@code naming.to_snake_case}, which names the weight groups of a {@code .keras} archive. */
  static String snakeCase(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // layers from a configuration

  private interface WeightsOf {
    Stored get(KerasConfig.Layer layer);
  }

  private static List<FileLayer> fromConfig(List<KerasConfig.Layer> ordered, WeightsOf weights, KerasConfig cfg,
      int major, String file, List<String> notes) throws ModelFileException {
    List<FileLayer> raw = new ArrayList<>();
    for (KerasConfig.Layer l : ordered) {
      if (l.className().equals("InputLayer")) {
        continue; // functional models list their inputs among the layers; the input shape is read below
      }
      Stored s = weights.get(l);
      raw.add(layer(l, s == null ? Stored.NONE : s, major, file, notes));
    }
    List<FileLayer> layers = finish(raw, notes);
    int[] shape = cfg.batchShape;
    int timesteps = shape != null && shape.length == 3 ? shape[1] : 0;
    int features = shape != null && shape.length == 3 ? shape[2] : 0;
    List<FileLayer> out = new ArrayList<>();
    boolean first = true;
    for (FileLayer l : layers) {
      if (first && l.kind() != null && features > 0 && l.inputs() > 0 && l.inputs() != features) {
        throw new ModelFileException(file + ": the configuration states " + features + " input features, but the "
            + "kernel of " + l.name() + " has " + l.inputs() + " rows");
      }
      if (l.kind() != null) {
        first = false;
      }
      out.add(l.isLstm() && timesteps > 0 ? l.withTimesteps(timesteps) : l);
    }
    return out;
  }

  private static FileLayer layer(KerasConfig.Layer l, Stored s, int major, String file, List<String> notes)
      throws ModelFileException {
    Map<String, Object> c = l.config();
    switch (l.className()) {
      case "LSTM": {
        List<String> unknown = new ArrayList<>();
        Activation act = c.containsKey("activation") ? activation(c.get("activation"), major, unknown) : Activation.TANH;
        Object rec = c.containsKey("recurrent_activation") ? c.get("recurrent_activation") : c.get("inner_activation");
        Activation recAct = rec == null && !c.containsKey("recurrent_activation") && !c.containsKey("inner_activation")
            ? (major == 1 ? Activation.HARD_SIGMOID : null)
            : activation(rec, major, unknown);
        boolean useBias = bool(c, "use_bias", true);
        int units = integer(c, "units", "output_dim");
        List<Tensor> w = lstmWeights(file, l.name(), units, useBias, s);
        int inputs = w.get(0).dim(0);
        units = w.get(1).dim(0);
        if (bool(c, "stateful", false)) {
          notes.add("layer " + l.name() + " is stateful in Keras; Unroll's predict starts every call from a zero "
              + "state: use a stepper to carry the state from call to call");
        }
        String problem = unknown.isEmpty() ? null : "layer " + l.name() + ": " + String.join("; ", unknown);
        return new FileLayer(l.name(), l.className(), "LSTM", units, inputs, 0, act, recAct, useBias,
            bool(c, "return_sequences", false), bool(c, "return_state", false), bool(c, "go_backwards", false), w,
            problem);
      }
      case "Dense":
        return dense(l.name(), l.className(), c, s, major, file);
      case "TimeDistributed":
        if (l.inner() != null && l.inner().className().equals("Dense")) {
          return dense(l.name(), "TimeDistributed(Dense)", l.inner().config(), s, major, file);
        }
        return unsupported(l, s, "TimeDistributed(" + (l.inner() == null ? "?" : l.inner().className()) + ")");
      case "Activation": {
        List<String> unknown = new ArrayList<>();
        Activation a = activation(c.get("activation"), major, unknown);
        return new FileLayer(l.name(), "Activation", null, 0, 0, 0, a, null, false, null, null, null,
            tensors(s), "layer " + l.name() + ": an Activation layer is supported only after a Dense layer without "
            + "activation (it then becomes that layer's activation)"
            + (unknown.isEmpty() ? "" : "; " + String.join("; ", unknown)));
      }
      default:
        return unsupported(l, s, l.className());
    }
  }

  private static FileLayer dense(String name, String className, Map<String, Object> c, Stored s, int major,
      String file) throws ModelFileException {
    List<String> unknown = new ArrayList<>();
    Activation act = c.containsKey("activation") ? activation(c.get("activation"), major, unknown) : Activation.LINEAR;
    boolean useBias = bool(c, "use_bias", bool(c, "bias", true));
    int units = integer(c, "units", "output_dim");
    List<Tensor> w = denseWeights(file, name, units, useBias, s);
    String problem = unknown.isEmpty() ? null : "layer " + name + ": " + String.join("; ", unknown);
    return new FileLayer(name, className, "Dense", w.get(0).dim(1), w.get(0).dim(0), 0, act, null, useBias, null, null,
        null, w, problem);
  }

  private static FileLayer unsupported(KerasConfig.Layer l, Stored s, String what) {
    String why = switch (l.className()) {
      case "Masking" -> " (it makes the layers after it skip timesteps whose features all equal mask_value)";
      case "Bidirectional" -> " (it runs a recurrent layer forwards and backwards and joins the outputs)";
      case "GRU", "SimpleRNN", "CuDNNGRU", "CuDNNLSTM", "ConvLSTM1D", "ConvLSTM2D" -> "";
      case "Lambda" -> " (it holds Python code)";
      case "Sequential", "Functional", "Model" -> " (a model nested as a layer)";
      default -> "";
    };
    return new FileLayer(l.name(), what, null, 0, 0, 0, null, null, false, null, null, null, tensors(s),
        "layer " + l.name() + ": " + what + " is not supported" + why + "; Unroll has LSTM and Dense layers");
  }

  /** Drops layers that do nothing at inference and folds Activation layers into the Dense layer before them. */
  private static List<FileLayer> finish(List<FileLayer> raw, List<String> notes) {
    List<FileLayer> out = new ArrayList<>();
    for (FileLayer l : raw) {
      if (INFERENCE_IDENTITY.contains(l.className()) && l.weights().isEmpty()) {
        notes.add("layer " + l.name() + " (" + l.className() + ") is skipped: it does nothing at inference");
        continue;
      }
      if (l.className().equals("TimeDistributed(Dense)")) {
        notes.add("layer " + l.name() + " is TimeDistributed(Dense): read as a Dense layer, which Keras and Unroll "
            + "apply to every timestep of a sequence");
      }
      if (l.className().equals("Activation") && l.activation() != null && !out.isEmpty()) {
        FileLayer prev = out.get(out.size() - 1);
        if ("Dense".equals(prev.kind()) && prev.activation() == Activation.LINEAR && prev.problem() == null) {
          out.set(out.size() - 1, prev.withActivation(l.activation()));
          notes.add("layer " + l.name() + " (Activation " + l.activation().kerasName() + ") is folded into "
              + prev.name() + ", which becomes Dense with activation " + l.activation().kerasName());
          continue;
        }
      }
      out.add(l);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // layers from weights alone

  private static List<FileLayer> fromWeightsOnly(Map<String, Stored> stored, String file, List<String> notes)
      throws ModelFileException {
    List<FileLayer> out = new ArrayList<>();
    for (Map.Entry<String, Stored> e : stored.entrySet()) {
      String name = e.getKey();
      Stored s = e.getValue();
      List<Hdf5.Array> a = s.arrays();
      if (a.isEmpty()) {
        notes.add("layer " + name + " has no weights and, without a configuration, no known type: skipped");
        continue;
      }
      int n = a.size();
      boolean lstmShapes = (n == 3 || n == 2) && a.get(0).shape().length == 2 && a.get(1).shape().length == 2
          && a.get(1).shape()[1] == 4 * a.get(1).shape()[0] && a.get(0).shape()[1] == a.get(1).shape()[1];
      if (n == 12 || lstmShapes) {
        List<Tensor> w = lstmWeights(file, name, 0, n != 2, s);
        out.add(new FileLayer(name, "LSTM", "LSTM", w.get(1).dim(0), w.get(0).dim(0), 0, null, null, n != 2, null,
            null, null, w, null));
      } else if ((n == 1 || n == 2) && a.get(0).shape().length == 2
          && (n == 1 || (a.get(1).shape().length == 1 && a.get(1).shape()[0] == a.get(0).shape()[1]))) {
        List<Tensor> w = denseWeights(file, name, 0, n == 2, s);
        out.add(new FileLayer(name, "Dense", "Dense", w.get(0).dim(1), w.get(0).dim(0), 0, null, null, n == 2, null,
            null, null, w, null));
      } else {
        out.add(new FileLayer(name, "?", null, 0, 0, 0, null, null, false, null, null, null, tensors(s),
            "layer " + name + ": its weights " + shapes(s) + " are neither an LSTM's nor a Dense layer's; without the"
            + " model's configuration (model.to_json()) its type is unknown"));
      }
    }
    notes.add("no configuration: activations, return_sequences and the sequence length are not in the file and "
        + "are not checked; read the weights with the model's JSON configuration (model.to_json()) to check them");
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // weights

  /** [kernel (F, 4U), recurrent_kernel (U, 4U), bias (4U,)], from Keras 2/3 arrays or Keras 1's twelve. */
  private static List<Tensor> lstmWeights(String file, String layer, int units, boolean useBias, Stored s)
      throws ModelFileException {
    List<Hdf5.Array> a = s.arrays();
    String where = file + ": layer " + layer;
    if (a.size() == 12) {
      return keras1Lstm(where, units, s);
    }
    int expected = useBias ? 3 : 2;
    if (a.size() != expected) {
      throw new ModelFileException(where + " (LSTM" + (useBias ? "" : ", use_bias false") + ") has " + a.size()
          + " weight arrays " + shapes(s) + ", expected " + expected
          + (useBias ? " (kernel, recurrent_kernel, bias) or Keras 1's 12" : " (kernel, recurrent_kernel)"));
    }
    Hdf5.Array kernel = a.get(0);
    Hdf5.Array recurrent = a.get(1);
    if (units > 0 && !java.util.Arrays.equals(recurrent.shape(), new int[] {units, 4 * units})) {
      throw new ModelFileException(where + ": recurrent_kernel " + s.names().get(1) + " has shape "
          + Tensor.format(recurrent.shape()) + ", expected " + Tensor.format(units, 4 * units) + " for units = " + units);
    }
    if (recurrent.shape().length != 2 || recurrent.shape()[1] != 4 * recurrent.shape()[0]) {
      throw new ModelFileException(where + ": recurrent_kernel " + s.names().get(1) + " has shape "
          + Tensor.format(recurrent.shape()) + ", expected (units, 4·units)");
    }
    int u = recurrent.shape()[0];
    if (kernel.shape().length != 2 || kernel.shape()[1] != 4 * u) {
      throw new ModelFileException(where + ": kernel " + s.names().get(0) + " has shape " + Tensor.format(kernel.shape())
          + ", expected (features, " + 4 * u + ") for units = " + u);
    }
    List<Tensor> w = new ArrayList<>();
    w.add(tensor(kernel));
    w.add(tensor(recurrent));
    if (useBias) {
      Hdf5.Array bias = a.get(2);
      if (bias.shape().length != 1 || bias.shape()[0] != 4 * u) {
        throw new ModelFileException(where + ": bias " + s.names().get(2) + " has shape " + Tensor.format(bias.shape())
            + ", expected " + Tensor.format(4 * u) + " for units = " + u);
      }
      w.add(tensor(bias));
    }
    return w;
  }

  /**
   * Keras 1 stores an LSTM as twelve arrays W_x (F, U), U_x (U, U), b_x (U,) for the gates x = i, c, f,
   * o; Keras 2 concatenates them as i, f, c, o. Arrays are matched by their name suffix when every name
   * has one ({@code lstm_1_W_i}), else by position.
   */
  private static List<Tensor> keras1Lstm(String where, int units, Stored s) throws ModelFileException {
    Map<String, Hdf5.Array> bySuffix = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      String n = s.names().get(i);
      for (String suffix : KERAS1_LSTM) {
        if (n.endsWith("_" + suffix) || n.endsWith("_" + suffix + ":0")) {
          bySuffix.put(suffix, s.arrays().get(i));
        }
      }
    }
    Map<String, Hdf5.Array> part = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      part.put(KERAS1_LSTM.get(i), bySuffix.size() == 12 ? bySuffix.get(KERAS1_LSTM.get(i)) : s.arrays().get(i));
    }
    Hdf5.Array ui = part.get("U_i");
    if (ui.shape().length != 2 || ui.shape()[0] != ui.shape()[1]) {
      throw new ModelFileException(where + " (Keras 1 LSTM): U_i has shape " + Tensor.format(ui.shape())
          + ", expected (units, units)");
    }
    int u = ui.shape()[0];
    if (units > 0 && u != units) {
      throw new ModelFileException(where + " (Keras 1 LSTM): U_i has shape " + Tensor.format(ui.shape())
          + ", expected " + Tensor.format(units, units) + " for output_dim = " + units);
    }
    Hdf5.Array wi = part.get("W_i");
    if (wi.shape().length != 2 || wi.shape()[1] != u) {
      throw new ModelFileException(where + " (Keras 1 LSTM): W_i has shape " + Tensor.format(wi.shape())
          + ", expected (input_dim, " + u + ")");
    }
    int f = wi.shape()[0];
    String[] gates = {"i", "f", "c", "o"};
    double[] kernel = new double[f * 4 * u];
    double[] recurrent = new double[u * 4 * u];
    double[] bias = new double[4 * u];
    for (int g = 0; g < 4; g++) {
      Hdf5.Array w = part.get("W_" + gates[g]);
      Hdf5.Array r = part.get("U_" + gates[g]);
      Hdf5.Array b = part.get("b_" + gates[g]);
      requireShape(where, "W_" + gates[g], w, f, u);
      requireShape(where, "U_" + gates[g], r, u, u);
      requireShape(where, "b_" + gates[g], b, u);
      for (int row = 0; row < f; row++) {
        System.arraycopy(w.data(), row * u, kernel, row * 4 * u + g * u, u);
      }
      for (int row = 0; row < u; row++) {
        System.arraycopy(r.data(), row * u, recurrent, row * 4 * u + g * u, u);
      }
      System.arraycopy(b.data(), 0, bias, g * u, u);
    }
    return List.of(Tensor.wrap(kernel, f, 4 * u), Tensor.wrap(recurrent, u, 4 * u), Tensor.wrap(bias, 4 * u));
  }

  private static void requireShape(String where, String what, Hdf5.Array a, int... shape) throws ModelFileException {
    if (!java.util.Arrays.equals(a.shape(), shape)) {
      throw new ModelFileException(where + " (Keras 1 LSTM): " + what + " has shape " + Tensor.format(a.shape())
          + ", expected " + Tensor.format(shape));
    }
  }

  /** [kernel (inputs, units), bias (units,)]. */
  private static List<Tensor> denseWeights(String file, String layer, int units, boolean useBias, Stored s)
      throws ModelFileException {
    List<Hdf5.Array> a = s.arrays();
    String where = file + ": layer " + layer;
    int expected = useBias ? 2 : 1;
    if (a.size() != expected) {
      throw new ModelFileException(where + " (Dense" + (useBias ? "" : ", use_bias false") + ") has " + a.size()
          + " weight arrays " + shapes(s) + ", expected " + expected + (useBias ? " (kernel, bias)" : " (kernel)"));
    }
    Hdf5.Array kernel = a.get(0);
    if (kernel.shape().length != 2 || (units > 0 && kernel.shape()[1] != units)) {
      throw new ModelFileException(where + ": kernel " + s.names().get(0) + " has shape " + Tensor.format(kernel.shape())
          + ", expected (inputs, " + (units > 0 ? units : "units") + ")");
    }
    int u = kernel.shape()[1];
    List<Tensor> w = new ArrayList<>();
    w.add(tensor(kernel));
    if (useBias) {
      Hdf5.Array bias = a.get(1);
      if (bias.shape().length != 1 || bias.shape()[0] != u) {
        throw new ModelFileException(where + ": bias " + s.names().get(1) + " has shape " + Tensor.format(bias.shape())
            + ", expected " + Tensor.format(u));
      }
      w.add(tensor(bias));
    }
    return w;
  }

  private static Tensor tensor(Hdf5.Array a) {
    return Tensor.wrap(a.data(), a.shape());
  }

  private static List<Tensor> tensors(Stored s) {
    List<Tensor> out = new ArrayList<>();
    for (Hdf5.Array a : s.arrays()) {
      out.add(tensor(a));
    }
    return out;
  }

  private static String shapes(Stored s) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < s.arrays().size(); i++) {
      sb.append(i > 0 ? ", " : "").append(s.names().get(i)).append(' ').append(Tensor.format(s.arrays().get(i).shape()));
    }
    return sb.append(']').toString();
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

  private static boolean bool(Map<String, Object> c, String key, boolean otherwise) {
    return c.get(key) instanceof Boolean b ? b : otherwise;
  }

  private static int integer(Map<String, Object> c, String key, String keras1Key) {
    Object v = c.containsKey(key) ? c.get(key) : c.get(keras1Key);
    return v instanceof Long x && x > 0 && x <= Integer.MAX_VALUE ? (int) (long) x : 0;
  }

  /** The major version of a Keras version string ({@code "2.12.0"}, {@code "2.2.4-tf"}, {@code "1"}); 2 if unreadable. */
  static int major(String version) {
    Matcher m = Pattern.compile("^(\\d+)").matcher(version == null ? "" : version.trim());
    return m.find() ? Integer.parseInt(m.group(1)) : 2;
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  private static String join(String group, String child) {
    return group.isEmpty() ? child : group + "/" + child;
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
