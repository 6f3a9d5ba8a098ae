package dev.unroll.io;

import static dev.unroll.io.ModelFilesTest.dense;
import static dev.unroll.io.ModelFilesTest.lstm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import dev.unroll.io.ModelFilesTest.StubModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads refuse NaN and infinite weights unless asked to allow them, and leave the model as it was. */
class NonFiniteLoadTest {
  @TempDir
  Path dir;

  /** nn.LSTM(3, 2) and nn.Linear(2, 1), every value 0.5, one of them replaced by {@code bad}. */
  private static Map<String, Tensor> stateDict(String badArray, int badIndex, double bad) {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    sd.put("lstm.weight_ih_l0", filled(8, 3));
    sd.put("lstm.weight_hh_l0", filled(8, 2));
    sd.put("lstm.bias_ih_l0", filled(8));
    sd.put("lstm.bias_hh_l0", filled(8));
    sd.put("fc.weight", filled(1, 2));
    sd.put("fc.bias", filled(1));
    if (badArray != null) {
      sd.get(badArray).data()[badIndex] = bad;
    }
    return sd;
  }

  private static Tensor filled(int... shape) {
    Tensor t = Tensor.zeros(shape);
    java.util.Arrays.fill(t.data(), 0.5);
    return t;
  }

  private static StubModel model() {
    return new StubModel(lstm("lstm", 2, 3, 10, false), dense("dense", 1, 2, Activation.LINEAR));
  }

  @Test
  void safetensorsWithNaNIsRefusedNamingFileLayerArrayAndIndex() throws Exception {
    Path file = dir.resolve("diverged.safetensors");
    // weight_hh (8, 2) flat index 5 is row 2, column 1: Keras recurrent_kernel (2, 8) index (1, 2)
    Safetensors.write(file, stateDict("lstm.weight_hh_l0", 5, Double.NaN));
    StubModel model = model();
    List<Tensor> before = model.getWeights();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model, file));
    assertEquals("diverged.safetensors: layer lstm, array recurrent_kernel [1]: value NaN at index (1, 2) is not"
        + " finite: the file is damaged, or the model diverged before it was saved"
        + " (ModelFiles.NonFinite.ALLOW loads it anyway)", e.getMessage());
    assertEquals(before, model.getWeights());
  }

  @Test
  void npzWithInfinityInDenseBiasIsRefused() throws Exception {
    Path file = dir.resolve("inf.npz");
    Npz.write(file, stateDict("fc.bias", 0, Double.NEGATIVE_INFINITY));
    StubModel model = model();
    List<Tensor> before = model.getWeights();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model, file));
    assertTrue(e.getMessage().startsWith("inf.npz: layer fc, array bias [1]: value -Infinity at index (0,)"),
        e.getMessage());
    assertEquals(before, model.getWeights());
  }

  @Test
  void allowLoadsNonFiniteWeights() throws Exception {
    Path file = dir.resolve("diverged.safetensors");
    Safetensors.write(file, stateDict("lstm.weight_ih_l0", 0, Double.POSITIVE_INFINITY));
    StubModel model = model();
    ModelFiles.load(model, file, ModelFiles.NonFinite.ALLOW);
    assertEquals(Double.POSITIVE_INFINITY, model.getWeights().get(0).get(0, 0));
  }

  @Test
  void finiteFileLoads() throws Exception {
    Path file = dir.resolve("ok.safetensors");
    Safetensors.write(file, stateDict(null, 0, 0));
    StubModel model = model();
    ModelFiles.load(model, file);
    assertEquals(0.5, model.getWeights().get(0).get(2, 7));
    // the bias is bias_ih + bias_hh
    assertEquals(1.0, model.getWeights().get(2).get(3));
  }
  @Test
  void keras2H5WithInfinityInTheRecurrentKernelIsRefusedNamingFileLayerArrayAndIndex() throws Exception {
    float[][] recurrent = H5.counting(2, 8, 0.5f);
    recurrent[1][6] = Float.POSITIVE_INFINITY;
    Path file = new H5()
        .attr("", "keras_version", "2.12.0")
        .attr("", "layer_names", new String[] {"lstm", "dense"})
        .layer("", "lstm", KerasReaderTest.weights("lstm/lstm_cell/kernel:0", H5.counting(3, 8, 0.1f),
            "lstm/lstm_cell/recurrent_kernel:0", recurrent, "lstm/lstm_cell/bias:0", H5.zeros(8)))
        .layer("", "dense", KerasReaderTest.weights("dense/kernel:0", H5.zeros(2, 1), "dense/bias:0", H5.zeros(1)))
        .write(dir.resolve("diverged.h5"));
    StubModel model = model();
    List<Tensor> before = model.getWeights();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model, file));
    assertEquals("diverged.h5: layer lstm, array recurrent_kernel [1]: value Infinity at index (1, 6) is not"
        + " finite: the file is damaged, or the model diverged before it was saved"
        + " (ModelFiles.NonFinite.ALLOW loads it anyway)", e.getMessage());
    assertEquals(before, model.getWeights());
    ModelFiles.load(model, file, ModelFiles.NonFinite.ALLOW);
    assertEquals(Double.POSITIVE_INFINITY, model.getWeights().get(1).get(1, 6));
  }

  @Test
  void keras3WeightsH5WithNaNInTheDenseKernelIsRefused() throws Exception {
    float[][] kernel = H5.counting(2, 1, 0.5f);
    kernel[1][0] = Float.NaN;
    Path file = new H5()
        .data("layers/dense/vars/0", kernel)
        .data("layers/dense/vars/1", H5.zeros(1))
        .data("layers/lstm/cell/vars/0", H5.counting(3, 8, 0.01f))
        .data("layers/lstm/cell/vars/1", H5.counting(2, 8, 0.02f))
        .data("layers/lstm/cell/vars/2", H5.zeros(8))
        .write(dir.resolve("diverged.weights.h5"));
    StubModel model = model();
    List<Tensor> before = model.getWeights();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model, file));
    assertEquals("diverged.weights.h5: layer dense, array kernel [0]: value NaN at index (1, 0) is not"
        + " finite: the file is damaged, or the model diverged before it was saved"
        + " (ModelFiles.NonFinite.ALLOW loads it anyway)", e.getMessage());
    assertEquals(before, model.getWeights());
  }
}
