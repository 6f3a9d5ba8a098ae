package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.DL4J;
import static dev.unroll.examples.interop.Resources.HERZIOX;
import static dev.unroll.examples.interop.Resources.KERAS3;
import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.ArchitectureMismatchException;
import dev.unroll.io.ModelFileException;
import dev.unroll.io.ModelFiles;
import dev.unroll.io.Safetensors;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files that must not load: another architecture, truncated files, inconsistent shapes, a broken
 * configuration. Each is a {@link ModelFileException} whose message names the file and what is wrong,
 * and each leaves the model exactly as it was.
 */
class MismatchAndCorruptionTest {
  @TempDir
  Path dir;

  interface Load {
    void run() throws IOException;
  }

  /** Runs a load that must fail; checks the model is unchanged; returns the exception. */
  static ModelFileException refused(SequenceModel model, Load load) {
    List<Tensor> before = model.getWeights();
    ModelFileException e = assertThrows(ModelFileException.class, load::run);
    assertEquals(before, model.getWeights(), "model unchanged after: " + e.getMessage());
    return e;
  }

  Path truncated(String resource, long length) throws IOException {
    byte[] bytes = Files.readAllBytes(path(resource));
    Path file = dir.resolve(Path.of(resource).getFileName());
    Files.write(file, Arrays.copyOf(bytes, (int) Math.min(length, bytes.length)));
    return file;
  }

  @Test
  void fileForAnotherArchitectureNamesEveryDifference() {
    UnrolledDl4jStackedLstm model = new UnrolledDl4jStackedLstm();
    ArchitectureMismatchException e = (ArchitectureMismatchException) refused(model,
        () -> ModelFiles.load(model, path(HERZIOX + "lstm.h5")));
    List<String> d = e.differences();
    assertTrue(d.contains("file has 4 layers (lstm_6 LSTM(50), dense_18 Dense(25), dense_19 Dense(10), dense_20 "
        + "Dense(1)), model declares 3 layers (lstm LSTM(96), lstm_1 LSTM(96), dense Dense(1))"), e.getMessage());
    assertTrue(d.contains("layer lstm_6 (model's lstm): file has units 50, model declares 96"), e.getMessage());
    assertTrue(d.contains("layer lstm_6 (model's lstm): file has 1 features, model declares features = 12"),
        e.getMessage());
    assertTrue(d.contains("layer lstm_6 (model's lstm): file has timesteps 50, model declares 4"), e.getMessage());
    assertTrue(d.contains("layer lstm_6 (model's lstm): file has activation relu, model declares TANH"), e.getMessage());
    assertTrue(d.contains("layer lstm_6 (model's lstm): file has recurrent_activation sigmoid, model declares "
        + "HARD_SIGMOID"), e.getMessage());
    assertTrue(d.contains("layer lstm_6 (model's lstm): file has return_sequences false, model declares "
        + "returnSequences = true"), e.getMessage());
    assertTrue(d.contains("layer dense_18 (model's lstm_1): file has a Dense layer, model declares LSTM"),
        e.getMessage());
    assertTrue(d.contains("layer dense_19 (model's dense): file has activation linear, model declares SIGMOID"),
        e.getMessage());
    assertTrue(e.getMessage().startsWith("lstm.h5 does not fit the model ("), e.getMessage());
  }

  @Test
  void everyDifferenceIsReportedTheOtherWayRoundToo() {
    UnrolledLstmDenseForecaster model = new UnrolledLstmDenseForecaster();
    ArchitectureMismatchException e = (ArchitectureMismatchException) refused(model, () -> ModelFiles.load(model,
        path(DL4J + "lstm_th_keras_2_weights.h5"), path(DL4J + "lstm_th_keras_2_config.json")));
    assertTrue(e.differences().contains("layer lstm_1 (model's lstm): file has recurrent_activation hard_sigmoid "
        + "(Keras 1/2: 0.2·x + 0.5), model declares SIGMOID"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 7, 600, 4096, 94_756, 189_000})
  void truncatedH5(long length) throws IOException {
    Path file = truncated(HERZIOX + "lstm.h5", length);
    UnrolledLstmDenseForecaster model = new UnrolledLstmDenseForecaster();
    ModelFileException e = refused(model, () -> ModelFiles.load(model, file));
    assertFalse(e instanceof ArchitectureMismatchException, e.getMessage());
    assertTrue(e.getMessage().startsWith("lstm.h5: "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {4, 1000, 8182, 16_000})
  void truncatedKerasArchive(long length) throws IOException {
    Path file = truncated(KERAS3 + "model.keras", length);
    UnrolledMaskingLstm model = new UnrolledMaskingLstm();
    ModelFileException e = refused(model, () -> ModelFiles.load(model, file));
    assertFalse(e instanceof ArchitectureMismatchException, e.getMessage());
    assertTrue(e.getMessage().startsWith("model.keras: "), e.getMessage());
  }

  @Test
  void truncatedSafetensors() throws IOException {
    Path full = dir.resolve("full.safetensors");
    Safetensors.write(full, PyTorchFilesTest.stateDict());
    byte[] bytes = Files.readAllBytes(full);
    UnrolledRtNeuralTorchLstm model = new UnrolledRtNeuralTorchLstm();
    for (int length : new int[] {3, 100, bytes.length / 2, bytes.length - 4}) {
      Path file = dir.resolve("lstm_torch.safetensors");
      Files.write(file, Arrays.copyOf(bytes, length));
      ModelFileException e = refused(model, () -> ModelFiles.load(model, file));
      assertTrue(e.getMessage().startsWith("lstm_torch.safetensors: "), e.getMessage());
    }
    Path file = dir.resolve("lstm_torch.safetensors");
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 4));
    ModelFileException e = refused(model, () -> ModelFiles.load(model, file));
    assertEquals("lstm_torch.safetensors: the header describes " + (bytes.length - 8 - headerLength(bytes))
        + " bytes of tensor data, the file has " + (bytes.length - 12 - headerLength(bytes)) + ": truncated",
        e.getMessage());
  }

  private static long headerLength(byte[] bytes) {
    return java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
  }

  @Test
  void safetensorsWithInconsistentShapes() throws IOException {
    Map<String, Tensor> sd = PyTorchFilesTest.stateDict();
    sd.put("lstm2.weight_ih_l1", Tensor.zeros(32, 7));
    Path file = dir.resolve("bad.safetensors");
    Safetensors.write(file, sd);
    UnrolledRtNeuralTorchLstm model = new UnrolledRtNeuralTorchLstm();
    ModelFileException e = refused(model, () -> ModelFiles.load(model, file));
    assertEquals("bad.safetensors: module lstm2: weight_ih_l1 has shape (32, 7), expected (32, 8): layer 1 reads "
        + "the 8 outputs of layer 0", e.getMessage());
  }

  @Test
  void kerasFileWithInconsistentShapes() throws IOException {
    Path file = dir.resolve("bad.h5");
    try (WritableHdfFile h = HdfFile.write(file)) {
      h.putAttribute("keras_version", "2.0.8");
      h.putAttribute("layer_names", new String[] {"lstm_1", "lstm_2", "dense_1"});
      String[] layers = {"lstm_1", "lstm_2"};
      int[] features = {12, 96};
      for (int i = 0; i < 2; i++) {
        WritableGroup g = h.putGroup(layers[i]);
        g.putAttribute("weight_names", new String[] {layers[i] + "/kernel", layers[i] + "/recurrent_kernel",
            layers[i] + "/bias"});
        WritableGroup inner = g.putGroup(layers[i]);
        inner.putDataset("kernel", new float[features[i]][384]);
        inner.putDataset("recurrent_kernel", new float[96][i == 1 ? 380 : 384]);
        inner.putDataset("bias", new float[384]);
      }
      WritableGroup d = h.putGroup("dense_1");
      d.putAttribute("weight_names", new String[] {"dense_1/kernel", "dense_1/bias"});
      WritableGroup inner = d.putGroup("dense_1");
      inner.putDataset("kernel", new float[96][1]);
      inner.putDataset("bias", new float[1]);
    }
    UnrolledDl4jStackedLstm model = new UnrolledDl4jStackedLstm();
    ModelFileException e = refused(model,
        () -> ModelFiles.load(model, file, path(DL4J + "lstm_th_keras_2_config.json")));
    assertEquals("bad.h5: layer lstm_2: recurrent_kernel lstm_2/recurrent_kernel has shape (96, 380), expected "
        + "(96, 384) for units = 96", e.getMessage());
  }

  @Test
  void brokenConfiguration() throws IOException {
    Path config = dir.resolve("config.json");
    String json = Resources.text(DL4J + "lstm_th_keras_2_config.json");
    Files.writeString(config, json.substring(0, json.length() / 2));
    UnrolledDl4jStackedLstm model = new UnrolledDl4jStackedLstm();
    ModelFileException e = refused(model,
        () -> ModelFiles.load(model, path(DL4J + "lstm_th_keras_2_weights.h5"), config));
    assertTrue(e.getMessage().startsWith("config.json: the model configuration is not valid JSON"), e.getMessage());
  }

  @Test
  void notAWeightFile() throws IOException {
    UnrolledMaskingLstm model = new UnrolledMaskingLstm();
    ModelFileException e = refused(model, () -> ModelFiles.load(model, path(KERAS3 + "SOURCE.md")));
    assertInstanceOf(ModelFileException.class, e);
    assertTrue(e.getMessage().startsWith("SOURCE.md: not a file Unroll reads"), e.getMessage());
  }
}
