package dev.unroll.examples.interop;

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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ONNX files exported by Debian's python3-torch 1.13 ({@code torch.onnx.export}, opset 14; see
 * {@code interop/onnx-torch1.13/export_onnx.py}), loaded through the checked path into the models of
 * {@link OnnxModels} (float64): each must reproduce torch's float32 outputs, computed when the file was
 * exported, within 1e-6.
 */
class OnnxFilesTest {
  static final String DIR = "onnx-torch1.13/";
  static final double TOLERANCE = 1e-6;

  static Tensor npy(String name) throws IOException {
    return Npz.readNpy(Files.readAllBytes(Resources.path(DIR + name)));
  }

  /** Loads NAME.onnx into the model, predicts NAME_x.npy and returns the largest deviation from NAME_y.npy. */
  static double agreement(SequenceModel model, String name) throws IOException {
    ModelFile read = ModelFiles.load(model, Resources.path(DIR + name + ".onnx"));
    assertEquals(model.paramCount(), read.paramCount());
    Tensor x = npy(name + "_x.npy");
    Tensor expected = npy(name + "_y.npy");
    assertTrue(java.util.Arrays.stream(expected.data()).distinct().count() > expected.size() / 2,
        name + "_y.npy: too few distinct values to test against");
    Tensor y = model.predict(x);
    assertArrayEquals(expected.shape(), y.shape(), name);
    double deviation = KerasFilesTest.maxDeviation(expected.data(), y.data());
    KerasFilesTest.report("ONNX " + name + ".onnx (torch 1.13) vs " + name + "_y.npy", deviation);
    return deviation;
  }

  @Test
  void singleLstmWithGemmHead() throws IOException {
    assertTrue(agreement(new UnrolledOnnxModels_LstmDense(), "lstm_dense") <= TOLERANCE);
  }

  @Test
  void stackedLstmWithTanhAndSoftmaxHeads() throws IOException {
    assertTrue(agreement(new UnrolledOnnxModels_LstmStacked(), "lstm_stacked") <= TOLERANCE);
  }

  @Test
  void finalStateYhWithReluHead() throws IOException {
    assertTrue(agreement(new UnrolledOnnxModels_LstmHnRelu(), "lstm_hn_relu") <= TOLERANCE);
  }

  @Test
  void gruLinearBeforeResetIsResetAfter() throws IOException {
    assertTrue(agreement(new UnrolledOnnxModels_GruDense(), "gru_dense") <= TOLERANCE);
  }

  @Test
  void bidirectionalLstmSequenceWithMatMulAddSigmoidHead() throws IOException {
    assertTrue(agreement(new UnrolledOnnxModels_BiLstmSeq(), "bilstm_seq") <= TOLERANCE);
  }

  @Test
  void timeMajorInputIsNotedAndTransposedByTheCaller() throws IOException {
    UnrolledOnnxModels_LstmSeqFirst model = new UnrolledOnnxModels_LstmSeqFirst();
    ModelFile read = ModelFiles.load(model, Resources.path(DIR + "lstm_seq_first.onnx"));
    assertTrue(read.notes().stream().anyMatch(n -> n.contains("input x is time-major")), read.notes().toString());
    Tensor x = npy("lstm_seq_first_x.npy"); // (T, B, F)
    Tensor expected = npy("lstm_seq_first_y.npy"); // (T, B, 2)
    Tensor y = model.predict(swap01(x)); // (B, T, 2)
    double deviation = KerasFilesTest.maxDeviation(swap01(expected).data(), y.data());
    KerasFilesTest.report("ONNX lstm_seq_first.onnx (torch 1.13, time-major) vs lstm_seq_first_y.npy", deviation);
    assertTrue(deviation <= TOLERANCE);
  }

  @Test
  void theFileStatesItsArchitecture() throws IOException {
    ModelFile read = ModelFiles.read(Resources.path(DIR + "lstm_stacked.onnx"));
    assertEquals("ONNX from pytorch 1.13.0, opset 14", read.format());
    List<FileLayer> l = read.layers();
    assertEquals(List.of("LSTM", "LSTM", "Dense", "Dense"), l.stream().map(FileLayer::kind).toList());
    assertEquals(List.of(true, false), List.of(l.get(0).returnSequences(), l.get(1).returnSequences()));
    assertEquals(10, l.get(0).timesteps());
    ModelFile bi = ModelFiles.read(Resources.path(DIR + "bilstm_seq.onnx"));
    assertEquals("Bidirectional", bi.layers().get(0).kind());
    assertEquals("LSTM", bi.layers().get(0).wrapped());
    assertEquals(dev.unroll.MergeMode.CONCAT, bi.layers().get(0).mergeMode());
    assertTrue(ModelFiles.read(Resources.path(DIR + "gru_dense.onnx")).layers().get(0).resetAfter());
  }

  @Test
  void anotherLstmIsRefusedNamingEveryDifferenceAndLeftUntouched() throws IOException {
    UnrolledOnnxModels_OtherLstmDense model = new UnrolledOnnxModels_OtherLstmDense();
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, Resources.path(DIR + "lstm_dense.onnx")));
    assertEquals(List.of("layer rnn (model's lstm): file has units 8, model declares 6",
        "layer rnn (model's lstm): file has timesteps 10, model declares 12",
        "layer rnn (model's lstm): file has go_backwards false, model declares goBackwards = true",
        "layer head (model's dense): file has 8 inputs, model gives it 6",
        "layer head (model's dense): file has activation linear, model declares SIGMOID"), e.differences());
    assertEquals(before, model.getWeights());
  }

  @Test
  void anotherModelIsRefusedNamingEveryDifferenceAndLeftUntouched() throws IOException {
    UnrolledOnnxModels_NotLstmDense model = new UnrolledOnnxModels_NotLstmDense();
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, Resources.path(DIR + "lstm_dense.onnx")));
    assertEquals(List.of("layer rnn (model's gru): file has an LSTM layer, model declares GRU",
        "layer head (model's dense): file has 8 inputs, model gives it 6",
        "layer head (model's dense): file has activation linear, model declares SIGMOID"), e.differences());
    assertEquals(before, model.getWeights());

    UnrolledOnnxModels_LstmStacked stacked = new UnrolledOnnxModels_LstmStacked();
    List<Tensor> stackedBefore = stacked.getWeights();
    e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(stacked, Resources.path(DIR + "bilstm_seq.onnx")));
    assertTrue(e.differences().get(0).startsWith("file has 2 layers (rnn Bidirectional(LSTM)(6), head.0 Dense(2)),"
        + " model declares 4 layers"), e.differences().toString());
    assertEquals(stackedBefore, stacked.getWeights());
  }

  /** (a, b, c) → (b, a, c). */
  static Tensor swap01(Tensor t) {
    int[] s = t.shape();
    double[] out = new double[t.size()];
    for (int a = 0; a < s[0]; a++) {
      for (int b = 0; b < s[1]; b++) {
        for (int c = 0; c < s[2]; c++) {
          out[(b * s[0] + a) * s[2] + c] = t.data()[(a * s[1] + b) * s[2] + c];
        }
      }
    }
    return Tensor.wrap(out, s[1], s[0], s[2]);
  }
}
