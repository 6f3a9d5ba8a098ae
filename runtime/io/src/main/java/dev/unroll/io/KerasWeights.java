package dev.unroll.io;

import dev.unroll.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The weights of a Keras file, in the order and shapes of Keras {@code model.get_weights()}, for
 * {@link dev.unroll.SequenceModel#setWeights}. Reads {@code .h5} files of Keras 1, 2 and 3 (models and
 * {@code save_weights} files; Keras 1 LSTMs repacked into Keras 2's layout) and Keras 3 {@code .keras}
 * archives; layers without weights, such as {@code Masking}, add nothing.
 *
 * <p>This does not check the architecture: {@link ModelFiles#load(dev.unroll.SequenceModel, Path)}
 * does, and should be preferred.
 */
public final class KerasWeights {
  private KerasWeights() {}

  /**
   * The weights of a Keras file in {@code get_weights()} order.
   *
   * @throws ModelFileException if the file cannot be read, or a layer with weights is not one Unroll has
   * @throws IOException if the file cannot be read
   */
  public static List<Tensor> read(Path file) throws IOException {
    return requireKeras(ModelFiles.read(file)).weights();
  }

  /**
   * As {@link #read(Path)}, with the model's JSON configuration ({@code model.to_json()}) for a
   * {@code save_weights} file, which tells layer types apart where shapes cannot.
   */
  public static List<Tensor> read(Path file, Path config) throws IOException {
    return requireKeras(ModelFiles.read(file, config)).weights();
  }

  private static ModelFile requireKeras(ModelFile f) throws ModelFileException {
    if (f.kerasVersion() == null) {
      throw new ModelFileException(f.file() + ": a " + f.format() + ", not a Keras file; use PyTorchWeights");
    }
    return f;
  }
}
