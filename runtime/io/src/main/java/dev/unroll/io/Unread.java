package dev.unroll.io;

import java.util.ArrayList;
import java.util.List;

/**
 * A file as its headers describe it (layers, shapes, configuration), its arrays not yet read: readers
 * build this first, a checked load compares {@link #header()} with the model, and only then are the
 * arrays read, by {@link #read()}, while the file is still open.
 */
final class Unread {
  /**
   * A layer and its arrays: {@code layer} says everything but the weights (its weights list is empty),
   * {@code arrays} are the weights in Keras {@code get_weights()} order and shapes, or, for a layer
   * Unroll does not have, as stored.
   */
  record Layer(FileLayer layer, List<Pending> arrays) {
    Layer {
      arrays = List.copyOf(arrays);
    }

    String name() {
      return layer.name();
    }

    /** The same arrays under another description of the layer. */
    Layer with(FileLayer other) {
      return new Layer(other, arrays);
    }
  }

  /** What a reader does once the headers are read and before any array is: a no-op, or a checked load's comparison. */
  interface Gate {
    Gate NONE = u -> { };

    void check(Unread file) throws ModelFileException;
  }

  private final String file;
  private final String format;
  private final String kerasVersion;
  private final boolean configured;
  private final List<Layer> layers;
  private final List<String> notes;

  Unread(String file, String format, String kerasVersion, boolean configured, List<Layer> layers, List<String> notes) {
    this.file = file;
    this.format = format;
    this.kerasVersion = kerasVersion;
    this.configured = configured;
    this.layers = List.copyOf(layers);
    this.notes = List.copyOf(notes);
  }

  String file() {
    return file;
  }

  List<Layer> layers() {
    return layers;
  }

  /** The file without its weights: every layer's description, nothing read from its arrays. */
  ModelFile header() {
    List<FileLayer> out = new ArrayList<>();
    for (Layer l : layers) {
      out.add(l.layer());
    }
    return new ModelFile(file, format, kerasVersion, configured, out, notes);
  }

  /** Reads every array, in file order, and gives the file with its weights. */
  ModelFile read() throws ModelFileException {
    List<FileLayer> out = new ArrayList<>();
    for (Layer l : layers) {
      List<dev.unroll.Tensor> weights = new ArrayList<>();
      for (Pending p : l.arrays()) {
        weights.add(p.tensor());
      }
      out.add(l.layer().toBuilder().weights(weights).build());
    }
    return new ModelFile(file, format, kerasVersion, configured, out, notes);
  }

  /** Checks with {@code gate}, then reads. */
  ModelFile read(Gate gate) throws ModelFileException {
    gate.check(this);
    return read();
  }
}
