package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.JsonArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with real Keras outputs: RTNeural's {@code lstm_1d} test model (test resources
 * {@code rtneural/}, see the README there), a Keras {@code LSTM(8, return_sequences=True) → Dense(1)} run
 * in float32 over one sequence of 100 steps of one feature. Its weights, read from the JSON dump of
 * {@code layer.get_weights()}, go into
 * {@code @Lstm(units = 8, timesteps = 100, features = 1, returnSequences = true) @Dense(units = 1)}
 * (a rolled time loop: 100 steps), in float64 and with {@code @Float32}; both must reproduce Keras's y to
 * {@value #TOLERANCE} absolute (RTNeural's own tolerance), by {@code predict} and by stepping through the
 * sequence with a stepper. {@code unitForgetBias} does not matter: every weight is set.
 */
class RtNeuralParityTest {
  static final double TOLERANCE = 1e-6;
  static final String DECLARATION =
      "@Lstm(units = 8, timesteps = 100, features = 1, returnSequences = true) @Dense(units = 1)";

  private static final class Compiled {
    static final TestModels.Compiled MODELS = TestModels.compile(Map.of(
        "Amp64", DECLARATION,
        "Amp32", "@Float32 " + DECLARATION));
  }

  /** The weights of lstm_1d.json in getWeights order: LSTM kernel, recurrent kernel, bias; Dense kernel, bias. */
  static List<Tensor> weights() {
    JsonObject json = JsonArrays.load("/rtneural/lstm_1d.json");
    JsonArray layers = json.getAsJsonArray("layers");
    assertEquals(2, layers.size(), "lstm_1d.json: two layers");
    JsonObject lstm = layers.get(0).getAsJsonObject();
    JsonObject dense = layers.get(1).getAsJsonObject();
    assertEquals("lstm", lstm.get("type").getAsString());
    assertEquals("tanh", lstm.get("activation").getAsString());
    assertEquals("dense", dense.get("type").getAsString());
    assertEquals("", dense.get("activation").getAsString(), "the Dense layer is linear");
    List<Tensor> w = new ArrayList<>();
    for (JsonObject layer : List.of(lstm, dense)) {
      JsonArray arrays = layer.getAsJsonArray("weights");
      for (int i = 0; i < arrays.size(); i++) {
        w.add(JsonArrays.tensor(arrays.get(i), layer.get("type").getAsString() + " weights[" + i + "]"));
      }
    }
    return w;
  }

  static Tensor x() {
    Tensor column = JsonArrays.csvColumn("/rtneural/lstm_1d_x_python.csv");
    return Tensor.wrap(column.data(), 1, column.size(), 1);
  }

  static Tensor y() {
    Tensor column = JsonArrays.csvColumn("/rtneural/lstm_1d_y_python.csv");
    return Tensor.wrap(column.data(), 1, column.size(), 1);
  }

  static SequenceModel model(String name) {
    SequenceModel model = Compiled.MODELS.model(name);
    List<Tensor> w = weights();
    model.setWeights(w);
    // the dump holds float32 values: a float32 model keeps them exactly too
    assertEquals(w, model.getWeights(), name + ": getWeights returns the weights of lstm_1d.json");
    return model;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Amp64", "Amp32"})
  void predictReproducesKeras(String name) {
    Tensor x = x();
    assertEquals(100, x.dim(1));
    Tensor out = model(name).predict(x);
    Tensors.assertClose("lstm_1d " + name + " predict", y(), out, TOLERANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Amp64", "Amp32"})
  void stepperReproducesKeras(String name) {
    Tensor x = x();
    Tensor y = y();
    Stepper s = model(name).stepper();
    assertEquals(1, s.inputSize());
    assertEquals(1, s.outputSize());
    double[] out = new double[100];
    for (int t = 0; t < 100; t++) {
      out[t] = s.step(new double[] {x.data()[t]})[0];
    }
    Tensors.assertClose("lstm_1d " + name + " stepper", y, Tensor.wrap(out, 1, 100, 1), TOLERANCE);
  }

  @Test
  void floatAndDoubleAgree() {
    Tensor x = x();
    Tensor a = model("Amp64").predict(x);
    Tensor b = model("Amp32").predict(x);
    // float32 round-off over 100 steps, far below the tolerance against Keras
    Tensors.assertClose("lstm_1d float32 vs float64", a, b, TOLERANCE);
  }
}
