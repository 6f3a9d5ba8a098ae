package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.DL4J;
import static dev.unroll.examples.interop.Resources.HERZIOX;
import static dev.unroll.examples.interop.Resources.KERAS3;
import static dev.unroll.examples.interop.Resources.KERASJS;
import static dev.unroll.examples.interop.Resources.TORCH_RECURRENT;
import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.io.DeclarationPrinter;
import dev.unroll.io.ModelFiles;
import dev.unroll.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The declaration printed for each real file, compared with the expected text in
 * {@code interop/expected/}. The models the tests load these files into ({@link Dl4jStackedLstm},
 * {@link LstmDenseForecaster}, {@link MaskingLstm}, {@link RtNeuralTorchLstm}) are these declarations,
 * pasted (for RTNeural with returnSequences = true added to the last LSTM, as the printed note says); so are
 * {@link KjsGru4}, {@link KjsBiGru} and {@link TorchBiGru2Linear} for the GRU and Bidirectional files.
 */
class DeclarationPrinterTest {
  @TempDir
  Path dir;

  static String expected(String name) {
    return Resources.text("expected/" + name);
  }

  @Test
  void dl4jWeightsWithConfiguration() throws IOException {
    assertEquals(expected("dl4j-with-config.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(DL4J + "lstm_th_keras_2_weights.h5"), path(DL4J + "lstm_th_keras_2_config.json")),
        "Dl4jStackedLstm", 0));
  }

  @Test
  void dl4jWeightsAlone() throws IOException {
    assertEquals(expected("dl4j-weights-only.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(DL4J + "lstm_th_keras_2_weights.h5")), "Model", 0));
  }

  @Test
  void herzioxFullModel() throws IOException {
    assertEquals(expected("herziox.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(HERZIOX + "lstm.h5")), "LstmDenseForecaster", 0));
  }

  @Test
  void keras3MaskingArchive() throws IOException {
    assertEquals(expected("keras3-masking.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(KERAS3 + "model.keras")), "MaskingLstm", 0));
  }

  @Test
  void rtNeuralPyTorchSafetensors() throws IOException {
    Path file = dir.resolve("lstm_torch.safetensors");
    Safetensors.write(file, PyTorchFilesTest.stateDict());
    assertEquals(expected("rtneural-torch.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(file), "RtNeuralTorchLstm", 1000));
  }

  @Test
  void kerasGruMemberForm() throws IOException {
    assertEquals(expected("kerasjs-gru4.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(KERASJS + "h5/gru_4.h5")), "KjsGru4", 0));
  }

  @Test
  void kerasBidirectionalGru() throws IOException {
    assertEquals(expected("kerasjs-bidirectional5.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(KERASJS + "h5/bidirectional_5.h5")), "KjsBiGru", 0));
  }

  @Test
  void pyTorchTwoLayerBidirectionalGru() throws IOException {
    assertEquals(expected("torch-bigru2.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(TORCH_RECURRENT + "bigru2_linear.npz")), "TorchBiGru2Linear", 7));
  }

  @Test
  void onnxExportsOfTorch() throws IOException {
    // OnnxModels.LstmStacked, GruDense and BiLstmSeq are these declarations, pasted, and load the files
    String dir = OnnxFilesTest.DIR;
    assertEquals(expected("onnx-lstm-stacked.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(dir + "lstm_stacked.onnx")), "LstmStacked", 0));
    assertEquals(expected("onnx-gru.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(dir + "gru_dense.onnx")), "GruDense", 0));
    assertEquals(expected("onnx-bilstm.txt"), DeclarationPrinter.declaration(
        ModelFiles.read(path(dir + "bilstm_seq.onnx")), "BiLstmSeq", 0));
  }
}
