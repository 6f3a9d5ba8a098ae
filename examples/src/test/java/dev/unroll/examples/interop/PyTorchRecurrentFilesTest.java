package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.TORCH_RECURRENT;
import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.MergeMode;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.FileLayer;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import dev.unroll.io.Npz;
import dev.unroll.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PyTorch nn.GRU and bidirectional nn.LSTM / nn.GRU models (test resources
 * {@code interop/torch-gru-bidirectional/}, written by make_torch.py there with torch 1.13): each state
 * dict is loaded through the checked path from the {@code .npz} numpy.savez wrote and from the
 * {@code .safetensors} Unroll writes from it, and must reproduce PyTorch's outputs (float64 and float32
 * runs) on the float32 inputs to {@value #TOLERANCE}.
 */
class PyTorchRecurrentFilesTest {
  static final double TOLERANCE = 1e-6;

  @TempDir
  Path dir;

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("gru_linear", (Supplier<SequenceModel>) UnrolledTorchGruLinear::new),
        Arguments.of("bilstm_linear", (Supplier<SequenceModel>) UnrolledTorchBiLstmLinear::new),
        Arguments.of("bigru2_linear", (Supplier<SequenceModel>) UnrolledTorchBiGru2Linear::new));
  }

  static Tensor npy(String name) throws IOException {
    return Npz.readNpy(Files.readAllBytes(path(TORCH_RECURRENT + name)));
  }

  /** The .npz state dict rewritten as .safetensors (sorted by name, as the safetensors writer sorts). */
  Path safetensors(String name) throws IOException {
    Map<String, Tensor> sd = new TreeMap<>(Npz.read(path(TORCH_RECURRENT + name + ".npz")));
    Path file = dir.resolve(name + ".safetensors");
    Safetensors.write(file, sd);
    return file;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void stateDictReproducesPyTorch(String name, Supplier<SequenceModel> declared) throws IOException {
    Tensor x = npy(name + "_x.npy");
    assertArrayEquals(new int[] {4, 7, 3}, x.shape());
    for (Path file : List.of(path(TORCH_RECURRENT + name + ".npz"), safetensors(name))) {
      SequenceModel model = declared.get();
      ModelFile read = ModelFiles.load(model, file);
      assertEquals(model.paramCount(), read.paramCount());
      Tensor y = model.predict(x);
      for (String reference : List.of("_y.npy", "_y32.npy")) {
        Tensor expected = npy(name + reference);
        assertArrayEquals(expected.shape(), y.shape());
        double deviation = KerasFilesTest.maxDeviation(expected.data(), y.data());
        KerasFilesTest.report("PyTorch " + name + " (" + file.getFileName() + ") vs " + name + reference, deviation);
        assertTrue(deviation <= TOLERANCE, "max deviation " + deviation);
      }
    }
  }

  @Test
  void layersAreGruAndBidirectionalConcat() throws IOException {
    ModelFile gru = ModelFiles.read(path(TORCH_RECURRENT + "gru_linear.npz"));
    assertEquals(List.of("gru", "fc"), gru.layers().stream().map(FileLayer::name).toList());
    assertEquals("GRU", gru.layers().get(0).kind());
    assertEquals(Boolean.TRUE, gru.layers().get(0).resetAfter());

    ModelFile bigru = ModelFiles.read(path(TORCH_RECURRENT + "bigru2_linear.npz"));
    assertEquals(List.of("gru.l0", "gru.l1", "fc"), bigru.layers().stream().map(FileLayer::name).toList());
    FileLayer top = bigru.layers().get(1);
    assertEquals("Bidirectional", top.kind());
    assertEquals("GRU", top.wrapped());
    assertEquals(MergeMode.CONCAT, top.mergeMode());
    assertEquals(8, top.inputs(), "layer 1 reads both directions of layer 0");
  }

  @Test
  void gruConversionReordersGatesAndStacksBiases() throws IOException {
    Map<String, Tensor> sd = Npz.read(path(TORCH_RECURRENT + "gru_linear.npz"));
    List<Tensor> w = ModelFiles.read(path(TORCH_RECURRENT + "gru_linear.npz")).weights();
    Tensor kernel = w.get(0);
    Tensor bias = w.get(2);
    assertArrayEquals(new int[] {3, 15}, kernel.shape());
    assertArrayEquals(new int[] {2, 15}, bias.shape());
    Tensor wih = sd.get("gru.weight_ih_l0");
    int u = 5;
    int[] torchBlockOfKeras = {1, 0, 2}; // Keras z, r, h are PyTorch's blocks z (1), r (0), n (2)
    for (int g = 0; g < 3; g++) {
      for (int j = 0; j < u; j++) {
        int torchRow = torchBlockOfKeras[g] * u + j;
        for (int f = 0; f < 3; f++) {
          assertEquals(wih.get(torchRow, f), kernel.get(f, g * u + j), 0.0);
        }
        assertEquals(sd.get("gru.bias_ih_l0").data()[torchRow], bias.get(0, g * u + j), 0.0);
        assertEquals(sd.get("gru.bias_hh_l0").data()[torchRow], bias.get(1, g * u + j), 0.0);
      }
    }
  }
}
