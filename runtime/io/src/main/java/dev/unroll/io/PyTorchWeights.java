package dev.unroll.io;

import dev.unroll.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The weights of a PyTorch state dict converted to Keras {@code get_weights()} order and shapes, for
 * {@link dev.unroll.SequenceModel#setWeights}.
 *
 * <p>Each {@code nn.LSTM} layer k ({@code weight_ih_l<k>} (4U, F), {@code weight_hh_l<k>} (4U, U),
 * {@code bias_ih_l<k>}, {@code bias_hh_l<k>} (4U)) becomes kernel = weight_ih transposed (F, 4U),
 * recurrent_kernel = weight_hh transposed (U, 4U) and bias = bias_ih + bias_hh (4U): PyTorch's gate
 * rows i, f, g, o are Keras's gate columns i, f, c, o. Each {@code nn.Linear} ({@code weight}
 * (out, in), {@code bias} (out)) becomes a Dense kernel (in, out) and bias. A multi-layer
 * {@code nn.LSTM} gives one Keras LSTM per layer. An {@code nn.GRU} becomes a Keras GRU with
 * {@code reset_after} (gate blocks r, z, n reordered to z, r, h; bias (2, 3U) = [bias_ih; bias_hh]), and a
 * bidirectional module a Bidirectional layer (forward arrays, then the {@code _reverse} ones), as
 * described in {@link ModelFiles}.
 *
 * <p>A state dict does not record the order in which {@code forward} uses its modules, but lists them in
 * the order {@code __init__} registers them. Where the file keeps that order (a {@code .npz}, or a map in
 * memory whose keys are not sorted by name) and the shapes chain in it (each layer's inputs the units of
 * the one before), the modules are taken in that order, so an {@code nn.Linear} before a recurrent module
 * stays before it. Otherwise (a {@code .safetensors} file is sorted by name) recurrent modules come first,
 * in file order, and if their shapes then do not chain in natural name order ({@code lstm < lstm2 < lstm10});
 * failing both, in the only order in which the shapes chain. Pass the order to {@link #convert(Map, List)}
 * where none of these is right; {@link ModelFile#notes()} says which order was taken.
 */
public final class PyTorchWeights {
  private PyTorchWeights() {}

  /**
   * Reads a state dict saved as {@code .safetensors} ({@code safetensors.torch.save_file(model.state_dict(), path)})
   * or as {@code .npz} ({@code numpy.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})},
   * which keeps the state dict's order).
   *
   * @throws ModelFileException if the file cannot be read, or holds other modules than nn.LSTM and nn.Linear
   * @throws IOException if the file cannot be read
   */
  public static List<Tensor> read(Path file) throws IOException {
    ModelFile f = ModelFiles.read(file);
    if (f.kerasVersion() != null) {
      throw new ModelFileException(f.file() + ": a " + f.format() + ", not a PyTorch state dict; use KerasWeights");
    }
    return f.weights();
  }

  /**
   * Converts a state dict given as tensors, the modules taken in {@code moduleOrder} (null for the
   * default order above).
   *
   * @throws ModelFileException if the tensors are not nn.LSTM and nn.Linear weights of consistent shapes
   */
  public static List<Tensor> convert(Map<String, Tensor> stateDict, List<String> moduleOrder)
      throws ModelFileException {
    return ModelFiles.fromStateDict("state dict", stateDict, moduleOrder).weights();
  }
}
