package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.RTNEURAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.Tensor;
import dev.unroll.io.FileLayer;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import dev.unroll.io.Npz;
import dev.unroll.io.PyTorchWeights;
import dev.unroll.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTNeural's PyTorch model (nn.LSTM(1, 8) → nn.LSTM(8, 8, num_layers=3) → nn.Linear(8, 1), its
 * {@code state_dict()} dumped as JSON), converted here to the {@code .safetensors} file that
 * {@code safetensors.torch.save_file} would write (float32, tensors sorted by name), then loaded
 * through the checked path: it must reproduce PyTorch's 1000 outputs to {@value KerasFilesTest#TOLERANCE}.
 */
class PyTorchFilesTest {
  @TempDir
  Path dir;

  /** lstm_torch.json as tensors, sorted by name (the safetensors writer's order for one dtype). */
  static Map<String, Tensor> stateDict() {
    JsonObject json = JsonParser.parseString(Resources.text(RTNEURAL + "lstm_torch.json")).getAsJsonObject();
    Map<String, Tensor> out = new TreeMap<>();
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      out.put(e.getKey(), tensor(e.getValue()));
    }
    return out;
  }

  static Tensor tensor(JsonElement e) {
    JsonArray outer = e.getAsJsonArray();
    if (!outer.get(0).isJsonArray()) {
      double[] v = new double[outer.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = outer.get(i).getAsDouble();
      }
      return Tensor.of(v);
    }
    List<double[]> rows = new ArrayList<>();
    for (JsonElement row : outer) {
      JsonArray r = row.getAsJsonArray();
      double[] v = new double[r.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(i).getAsDouble();
      }
      rows.add(v);
    }
    return Tensor.of(rows.toArray(new double[0][]));
  }

  Path safetensors() throws IOException {
    Path file = dir.resolve("lstm_torch.safetensors");
    Safetensors.write(file, stateDict());
    return file;
  }

  @Test
  void stateDictHasTheExpectedModules() {
    Map<String, Tensor> sd = stateDict();
    assertEquals(18, sd.size(), "lstm.*_l0 (4), lstm2.*_l0..l2 (12), dense.weight, dense.bias");
    assertArrayEquals(new int[] {32, 1}, sd.get("lstm.weight_ih_l0").shape());
    assertArrayEquals(new int[] {32, 8}, sd.get("lstm2.weight_hh_l2").shape());
    assertArrayEquals(new int[] {1, 8}, sd.get("dense.weight").shape());
  }

  @Test
  void rtNeuralPyTorchModelFromSafetensorsReproducesPyTorch() throws IOException {
    Path file = safetensors();
    UnrolledRtNeuralTorchLstm model = new UnrolledRtNeuralTorchLstm();
    ModelFile read = ModelFiles.load(model, file);
    assertEquals(List.of("lstm", "lstm2.l0", "lstm2.l1", "lstm2.l2", "dense"),
        read.layers().stream().map(FileLayer::name).toList());
    assertEquals(model.paramCount(), read.paramCount());

    double[] x = Resources.column(RTNEURAL + "lstm_torch_x_python.csv");
    double[] expected = Resources.column(RTNEURAL + "lstm_torch_y_python.csv");
    assertEquals(1000, x.length);
    Tensor y = model.predict(Tensor.wrap(x.clone(), 1, 1000, 1));
    double deviation = KerasFilesTest.maxDeviation(expected, y.data());
    KerasFilesTest.report("RTNeural PyTorch lstm_torch (.safetensors), 1000 steps vs lstm_torch_y_python.csv",
        deviation);
    assertTrue(deviation <= KerasFilesTest.TOLERANCE, "max deviation " + deviation);
  }

  @Test
  void rtNeuralPyTorchModelFromNpzReproducesPyTorch() throws IOException {
    // numpy.savez of the state dict keeps its order: lstm, lstm2, dense
    JsonObject json = JsonParser.parseString(Resources.text(RTNEURAL + "lstm_torch.json")).getAsJsonObject();
    Map<String, Tensor> inOrder = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      inOrder.put(e.getKey(), tensor(e.getValue()));
    }
    Path file = dir.resolve("lstm_torch.npz");
    Npz.write(file, inOrder);
    UnrolledRtNeuralTorchLstm model = new UnrolledRtNeuralTorchLstm();
    ModelFile read = ModelFiles.load(model, file);
    assertEquals("PyTorch state dict (.npz)", read.format());
    double[] x = Resources.column(RTNEURAL + "lstm_torch_x_python.csv");
    double[] expected = Resources.column(RTNEURAL + "lstm_torch_y_python.csv");
    double deviation = KerasFilesTest.maxDeviation(expected, model.predict(Tensor.wrap(x.clone(), 1, 1000, 1)).data());
    KerasFilesTest.report("RTNeural PyTorch lstm_torch (.npz), 1000 steps vs lstm_torch_y_python.csv", deviation);
    assertTrue(deviation <= KerasFilesTest.TOLERANCE, "max deviation " + deviation);
  }

  @Test
  void conversionIsTransposeAndSummedBiases() throws IOException {
    Map<String, Tensor> sd = stateDict();
    List<Tensor> w = PyTorchWeights.read(safetensors());
    assertEquals(14, w.size(), "4 LSTM layers × 3 + Dense kernel and bias");
    Tensor kernel = w.get(3);
    Tensor weightIh = sd.get("lstm2.weight_ih_l0");
    assertArrayEquals(new int[] {8, 32}, kernel.shape());
    for (int r = 0; r < 32; r++) {
      for (int c = 0; c < 8; c++) {
        assertEquals((float) weightIh.get(r, c), kernel.get(c, r), 0.0);
      }
    }
    Tensor bias = w.get(2);
    for (int j = 0; j < 32; j++) {
      double sum = (float) sd.get("lstm.bias_ih_l0").data()[j] + (double) (float) sd.get("lstm.bias_hh_l0").data()[j];
      assertEquals(sum, bias.data()[j], 0.0);
    }
  }
}
