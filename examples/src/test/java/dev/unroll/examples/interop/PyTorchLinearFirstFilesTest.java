package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.DeclarationPrinter;
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
 * PyTorch models with an {@code nn.Linear} before the {@code nn.LSTM} (test resources
 * {@code interop/torch-linear-first/}, written by make_torch.py there with torch 1.13): the modules are
 * taken in the state dict's order, so the Linear stays first, and the loaded model reproduces PyTorch's
 * outputs (float64 and float32 runs) to {@value PyTorchRecurrentFilesTest#TOLERANCE}.
 */
class PyTorchLinearFirstFilesTest {
  static final String DIR = "torch-linear-first/";

  @TempDir
  Path dir;

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("linear_lstm_linear", (Supplier<SequenceModel>) UnrolledTorchLinearLstmLinear::new,
            List.of("embed", "lstm", "head")),
        Arguments.of("square_linear_lstm", (Supplier<SequenceModel>) UnrolledTorchSquareLinearLstm::new,
            List.of("proj", "rnn", "out")));
  }

  static Tensor npy(String name) throws IOException {
    return Npz.readNpy(Files.readAllBytes(path(DIR + name)));
  }

  static void assertReproducesPyTorch(String name, SequenceModel model, String what) throws IOException {
    Tensor y = model.predict(npy(name + "_x.npy"));
    for (String reference : List.of("_y.npy", "_y32.npy")) {
      Tensor expected = npy(name + reference);
      assertArrayEquals(expected.shape(), y.shape());
      double deviation = KerasFilesTest.maxDeviation(expected.data(), y.data());
      KerasFilesTest.report("PyTorch " + name + " (" + what + ") vs " + name + reference, deviation);
      assertTrue(deviation <= PyTorchRecurrentFilesTest.TOLERANCE, "max deviation " + deviation);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theLinearStaysFirstAndTheModelReproducesPyTorch(String name, Supplier<SequenceModel> declared,
      List<String> order) throws IOException {
    Path npz = path(DIR + name + ".npz");
    ModelFile file = ModelFiles.read(npz);
    assertEquals(order, file.layers().stream().map(FileLayer::name).toList());
    assertEquals(List.of("Dense", "LSTM", "Dense"), file.layers().stream().map(FileLayer::kind).toList());
    SequenceModel model = declared.get();
    ModelFile read = ModelFiles.load(model, npz);
    assertEquals(model.paramCount(), read.paramCount());
    assertReproducesPyTorch(name, model, npz.getFileName().toString());

    // the same state dict in memory, sorted by name, in the explicit module order
    Map<String, Tensor> sorted = new TreeMap<>(Npz.read(npz));
    SequenceModel explicit = declared.get();
    explicit.setWeights(ModelFiles.fromStateDict(name, sorted, order).weights());
    assertReproducesPyTorch(name, explicit, "sorted, explicit order");
  }

  @Test
  void aSafetensorsFileSortedByNameStillLoadsWhereOnlyOneOrderChains() throws IOException {
    Path file = dir.resolve("linear_lstm_linear.safetensors");
    Safetensors.write(file, new TreeMap<>(Npz.read(path(DIR + "linear_lstm_linear.npz"))));
    SequenceModel model = new UnrolledTorchLinearLstmLinear();
    ModelFile read = ModelFiles.load(model, file);
    assertEquals(List.of("embed", "lstm", "head"), read.layers().stream().map(FileLayer::name).toList());
    assertTrue(read.notes().contains("module order (not recorded in a state dict): embed → lstm → head, from the "
        + "only order in which the shapes chain"), read.notes().toString());
    assertReproducesPyTorch("linear_lstm_linear", model, "safetensors");
  }

  @Test
  void theDeclarationIsInTheMemberForm() throws IOException {
    assertEquals(Resources.text("expected/torch-linear-first.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(DIR + "linear_lstm_linear.npz")), "TorchLinearLstmLinear", 7));
  }
}
