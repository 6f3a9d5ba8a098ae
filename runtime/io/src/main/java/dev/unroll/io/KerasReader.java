package dev.unroll.io;

import dev.unroll.io.KerasContainer.Stored;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Keras files: {@code .h5} written by Keras 1, Keras 2 / tf.keras and Keras 3 ({@code model.save}
 * and {@code save_weights}), Keras 3 {@code .weights.h5}, and Keras 3 {@code .keras} archives.
 *
 * <p>It tells the kinds of file apart, finds their configuration and Keras version, and checks that
 * configuration and weights describe the same layers. The work is split by concern:
 * {@link KerasContainer} reads the files (HDF5 groups, attributes and datasets; zip entries),
 * {@link KerasDialect} knows what differs between Keras 1, 2 and 3, and {@link KerasLayers} maps the
 * layers to {@link FileLayer}s.
 */
final class KerasReader {
  private KerasReader() {}

  // ---------------------------------------------------------------------------------------------
  // .h5

  static ModelFile readHdf5(Path file, Path configFile, ReadBudget budget, Unread.Gate gate) throws IOException {
    String name = String.valueOf(file.getFileName());
    KerasContainer.requireJhdf(name);
    String externalConfig = configFile == null ? null : readConfig(configFile);
    String configName = configFile == null ? null : String.valueOf(configFile.getFileName());
    return KerasContainer.readHdf5(file, name, budget, gate, h -> fromHdf5(h, name, externalConfig, configName));
  }

  /** The most a JSON configuration may hold, as config.json in a .keras archive. */
  static final long MAX_CONFIG_BYTES = 64L << 20;

  /** A JSON configuration file, refused unread if it is larger than {@link #MAX_CONFIG_BYTES}. */
  static String readConfig(Path configFile) throws IOException {
    long size = Files.size(configFile);
    if (size > MAX_CONFIG_BYTES) {
      throw new ModelFileException(configFile.getFileName() + ": " + size + " bytes, more than the "
          + MAX_CONFIG_BYTES + " a Keras JSON configuration may hold; is it the right file?");
    }
    try {
      return Files.readString(configFile, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ModelFileException(configFile.getFileName() + ": not UTF-8 text, so not the JSON of"
          + " model.to_json(); is it the right file, or damaged?", e);
    }
  }

  private static Unread fromHdf5(Hdf5 h, String name, String externalConfig, String configName)
      throws ModelFileException {
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
    // Keras 1 wrote no keras_version
    String version = first(h.stringAttribute("", "keras_version"), h.stringAttribute(root, "keras_version"),
        cfg == null ? null : cfg.kerasVersion, "1");
    List<String> layerNames = h.stringsAttribute(root, "layer_names");
    if (layerNames == null) {
      throw new ModelFileException(name + ": the group /" + root + " has no layer_names attribute");
    }
    Map<String, Stored> stored = KerasContainer.layers(h, root, layerNames, name);
    List<String> notes = new ArrayList<>();
    String format = "Keras " + version + (fullModel ? " model (.h5)" : " weights (.h5, save_weights)")
        + (externalConfig != null ? ", configuration " + configName : "");
    if (cfg == null) {
      return new Unread(name, format, version, false, KerasLayers.fromWeightsOnly(stored, name, notes), notes);
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
    List<Unread.Layer> layers = KerasLayers.fromConfig(ordered, l -> stored.get(l.name()), cfg,
        KerasDialect.major(version), name, notes);
    return new Unread(name, format, version, true, layers, notes);
  }

  // ---------------------------------------------------------------------------------------------
  // .keras (Keras 3)

  static ModelFile readKerasArchive(Path file, Path configFile, ReadBudget budget, Unread.Gate gate)
      throws IOException {
    String name = String.valueOf(file.getFileName());
    KerasContainer.requireJhdf(name);
    KerasContainer.Archive archive = KerasContainer.readArchive(file, name, budget);
    String configJson = configFile != null ? readConfig(configFile)
        : archive.config() == null ? null : new String(archive.config(), StandardCharsets.UTF_8);
    if (configJson == null) {
      throw new ModelFileException(name + ": the archive has no config.json");
    }
    KerasConfig cfg = KerasConfig.parse(configJson, configFile != null ? String.valueOf(configFile.getFileName())
        : name + " (config.json)");
    String version = first(KerasContainer.version(archive, name), cfg.kerasVersion, "3");
    return KerasContainer.readWeights(archive, name, budget, gate,
        h -> fromKeras3Weights(h, name, cfg, version, "Keras " + version + " model (.keras)"));
  }

  /** The Keras 3 weights layout, with a configuration (layer order from it) or without (order from the names). */
  private static Unread fromKeras3Weights(Hdf5 h, String name, KerasConfig cfg, String version, String format)
      throws ModelFileException {
    List<String> notes = new ArrayList<>();
    if (cfg == null) {
      Map<String, Stored> stored = new LinkedHashMap<>();
      List<String> groups = new ArrayList<>(h.children("layers"));
      groups.sort(KerasDialect.KERAS3_WEIGHTS_ORDER);
      for (String g : groups) {
        stored.put(g, KerasContainer.vars(h, "layers/" + g));
      }
      notes.add("the layer order of a Keras 3 weights file without configuration is not stored: recurrent layers "
          + "are taken first (lstm, lstm_1, ..., gru, bidirectional), then Dense layers (dense, dense_1, ...)");
      return new Unread(name, format, version, false, KerasLayers.fromWeightsOnly(stored, name, notes), notes);
    }
    Map<String, Integer> used = new HashMap<>();
    Map<KerasConfig.Layer, Stored> stored = new HashMap<>();
    List<KerasConfig.Layer> ordered = new ArrayList<>();
    for (KerasConfig.Layer l : cfg.layers) {
      String path = KerasDialect.keras3Group(l.className(), used); // an InputLayer takes its name too
      if (l.className().equals("InputLayer")) {
        continue;
      }
      ordered.add(l);
      stored.put(l, KerasContainer.vars(h, path));
    }
    List<Unread.Layer> layers = KerasLayers.fromConfig(ordered, stored::get, cfg, KerasDialect.major(version), name,
        notes);
    return new Unread(name, format, version, true, layers, notes);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }
}
