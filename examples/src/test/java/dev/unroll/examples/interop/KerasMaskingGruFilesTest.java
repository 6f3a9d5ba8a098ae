package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.ArchitectureMismatchException;
import dev.unroll.io.FileLayer;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import dev.unroll.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras 2 files with a Masking layer before a GRU (test resources {@code interop/keras2-masking-gru/},
 * written by make_h5.py there; the container is not Keras's): loaded through the checked path, the models
 * reproduce the script's numpy computation of Keras's masked GRU (itself checked against torch's nn.GRU on
 * the kept steps) on five samples masked at the end, at the start, in the middle, nowhere and everywhere,
 * to {@value #TOLERANCE}: the arithmetic is float64 on the file's float32 values on both sides.
 */
class KerasMaskingGruFilesTest {
  static final double TOLERANCE = 1e-12;
  static final String DIR = "keras2-masking-gru/";

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("masking_gru", (Supplier<SequenceModel>) UnrolledMaskingGru::new,
            List.of("Masking", "GRU", "Dense")),
        Arguments.of("masking_bigru", (Supplier<SequenceModel>) UnrolledMaskingBiGru::new,
            List.of("Masking", "Bidirectional", "Dense")));
  }

  static Tensor npy(String name) throws IOException {
    return Npz.readNpy(Files.readAllBytes(path(DIR + name)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void maskedGruReproducesTheReference(String name, Supplier<SequenceModel> declared, List<String> kinds)
      throws IOException {
    Path file = path(DIR + name + ".h5");
    ModelFile read = ModelFiles.read(file);
    assertEquals(kinds, read.layers().stream().map(FileLayer::kind).toList());
    assertEquals(0.0, read.layers().get(0).maskValue());
    SequenceModel model = declared.get();
    ModelFiles.load(model, file);
    Tensor x = npy(name + "_x.npy");
    assertArrayEquals(new int[] {5, 6, 3}, x.shape());
    Tensor expected = npy(name + "_y.npy");
    Tensor y = model.predict(x);
    assertArrayEquals(expected.shape(), y.shape());
    double deviation = KerasFilesTest.maxDeviation(expected.data(), y.data());
    KerasFilesTest.report("Keras 2 " + name + ".h5 vs make_h5.py's numpy reference", deviation);
    assertTrue(deviation <= TOLERANCE, "max deviation " + deviation);
    // the masks matter: the same x with its padding replaced by other values gives other outputs
    Tensor unmasked = x.copy();
    for (int i = 0; i < unmasked.size(); i++) {
      if (unmasked.data()[i] == 0.0) {
        unmasked.data()[i] = 0.25;
      }
    }
    assertTrue(KerasFilesTest.maxDeviation(expected.data(), model.predict(unmasked).data()) > 1e-3);
  }

  @Test
  void theFileDoesNotLoadIntoTheModelWithoutMasking() {
    SequenceModel model = new UnrolledUnmaskedGru();
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, path(DIR + "masking_gru.h5")));
    assertTrue(e.getMessage().contains("masking"), e.getMessage());
    assertEquals(before, model.getWeights(), "nothing was loaded");
  }
}
