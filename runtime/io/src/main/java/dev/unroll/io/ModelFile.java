package dev.unroll.io;

import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Keras or PyTorch weight file holds, read by {@link ModelFiles#read(java.nio.file.Path)}: its
 * layers (architecture and weights) and notes on what was skipped or could not be checked. Immutable.
 */
public final class ModelFile {
  private final String file;
  private final String format;
  private final String kerasVersion;
  private final boolean configured;
  private final List<FileLayer> layers;
  private final List<String> notes;

  ModelFile(String file, String format, String kerasVersion, boolean configured, List<FileLayer> layers,
      List<String> notes) {
    this.file = file;
    this.format = format;
    this.kerasVersion = kerasVersion;
    this.configured = configured;
    this.layers = List.copyOf(layers);
    this.notes = List.copyOf(notes);
  }

  /** The file's name, as messages give it. */
  public String file() {
    return file;
  }

  /**
   * The format, e.g. {@code Keras 2.12.0 .h5 (full model)}, {@code Keras 3.8.0 .keras},
   * {@code PyTorch state dict (.safetensors)}.
   */
  public String format() {
    return format;
  }

  /** The Keras version that wrote the file ({@code "1"} for Keras 1 files that do not say); null for PyTorch. */
  public String kerasVersion() {
    return kerasVersion;
  }

  /**
   * Whether the file (or the configuration read with it) states the architecture: activations,
   * {@code return_sequences} and the like. False for weights-only files and PyTorch state dicts, whose
   * layers carry only what the weight shapes imply.
   */
  public boolean configured() {
    return configured;
  }

  /**
   * The layers in model order, Unroll's or not (an {@code InputLayer} and layers that do nothing at
   * inference, such as {@code Dropout}, are left out and named in {@link #notes()}).
   */
  public List<FileLayer> layers() {
    return layers;
  }

  /** Remarks on what was skipped, folded or could not be checked, one sentence each. */
  public List<String> notes() {
    return notes;
  }

  /** The problems of layers Unroll cannot declare, one per layer, each naming it; empty if there are none. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    for (FileLayer l : layers) {
      if (l.problem() != null) {
        out.add(l.problem());
      }
    }
    return out;
  }

  /** The parameter count of all layers, as Keras counts it. */
  public long paramCount() {
    long n = 0;
    for (FileLayer l : layers) {
      n += l.paramCount();
    }
    return n;
  }

  /**
   * The weights of every layer in the order and shapes of Keras {@code model.get_weights()}, ready for
   * {@link dev.unroll.SequenceModel#setWeights}. Layers without weights (such as {@code Masking}) add
   * nothing.
   *
   * @throws ModelFileException if a layer that has weights is one Unroll does not have (its layout is
   *     not known), naming the layer
   */
  public List<Tensor> weights() throws ModelFileException {
    List<Tensor> out = new ArrayList<>();
    for (FileLayer l : layers) {
      if (l.kind() == null && !l.weights().isEmpty()) {
        throw new ModelFileException(file + ": " + l.problem());
      }
      for (Tensor t : l.weights()) {
        out.add(t.copy());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file).append(" (").append(format).append("): ");
    for (int i = 0; i < layers.size(); i++) {
      FileLayer l = layers.get(i);
      sb.append(i > 0 ? ", " : "").append(l.name()).append(' ').append(l.className());
      if (l.units() > 0) {
        sb.append('(').append(l.units()).append(')');
      }
    }
    return sb.toString();
  }
}
