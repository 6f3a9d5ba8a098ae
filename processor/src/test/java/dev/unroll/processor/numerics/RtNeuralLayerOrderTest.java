package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.testing.compile.Compilation;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.JsonArrays;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with real Keras outputs for a Dense layer before an LSTM: RTNeural's {@code lstm.json} test
 * model (test resources {@code rtneural/}, see the README there), a Keras
 * {@code TimeDistributed(Dense(8, tanh)) → LSTM(8, return_sequences=True) → Dense(1)} run in float32
 * over one sequence of 100 steps of one feature. Declared in the member form (the type-level form
 * puts every LSTM first), in float64 and float32, the model must reproduce Keras's y to
 * {@value #TOLERANCE} absolute (RTNeural's tolerance), by {@code predict} and by a stepper.
 */
class RtNeuralLayerOrderTest {
  static final double TOLERANCE = 1e-6;

  private static String declaration(String name, boolean float32) {
    return "package rt;\n\nimport dev.unroll.*;\n\n" + (float32 ? "@Float32\n" : "")
        + "@Input(timesteps = 100, features = 1)\n"
        + "interface " + name + " {\n"
        + "  @Dense(units = 8, activation = Activation.TANH) Layer time_distributed();\n"
        + "  @Lstm(units = 8, returnSequences = true) Layer lstm();\n"
        + "  @Dense(units = 1) Layer dense();\n"
        + "}\n";
  }

  private static final class Compiled {
    static final Map<String, Class<?>> CLASSES = new LinkedHashMap<>();

    static {
      Map<String, String> sources = new LinkedHashMap<>();
      sources.put("rt.Amp64", declaration("Amp64", false));
      sources.put("rt.Amp32", declaration("Amp32", true));
      Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
      assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
      ClassLoader loader = ModelCompiler.classLoader(c);
      for (String name : List.of("Amp64", "Amp32")) {
        try {
          CLASSES.put(name, loader.loadClass("rt.Unrolled" + name));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  /** The weights of lstm.json in its layers' order, each layer's as Keras {@code get_weights()}. */
  static List<Tensor> weights() {
    JsonObject json = JsonArrays.load("/rtneural/lstm.json");
    JsonArray layers = json.getAsJsonArray("layers");
    assertEquals(3, layers.size(), "lstm.json: three layers");
    List<String> types = List.of("time-distributed-dense", "lstm", "dense");
    List<String> activations = List.of("tanh", "tanh", "");
    List<Tensor> w = new ArrayList<>();
    for (int l = 0; l < 3; l++) {
      JsonObject layer = layers.get(l).getAsJsonObject();
      assertEquals(types.get(l), layer.get("type").getAsString());
      assertEquals(activations.get(l), layer.get("activation").getAsString());
      JsonArray arrays = layer.getAsJsonArray("weights");
      for (int i = 0; i < arrays.size(); i++) {
        w.add(JsonArrays.tensor(arrays.get(i), types.get(l) + " weights[" + i + "]"));
      }
    }
    return w;
  }

  static SequenceModel model(String name) {
    SequenceModel model = TestModels.newModel(Compiled.CLASSES.get(name));
    List<Tensor> w = weights();
    model.setWeights(w);
    assertEquals(w, model.getWeights(), name + ": getWeights returns the weights of lstm.json");
    return model;
  }

  static Tensor column(String resource) {
    Tensor c = JsonArrays.csvColumn(resource);
    return Tensor.wrap(c.data(), 1, c.size(), 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Amp64", "Amp32"})
  void predictReproducesKeras(String name) {
    Tensor x = column("/rtneural/lstm_1d_x_python.csv"); // byte-identical to lstm_x_python.csv
    Tensor out = model(name).predict(x);
    Tensors.assertClose("lstm.json " + name + " predict", column("/rtneural/lstm_y_python.csv"), out, TOLERANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Amp64", "Amp32"})
  void stepperReproducesKeras(String name) {
    Tensor x = column("/rtneural/lstm_1d_x_python.csv");
    Stepper s = model(name).stepper();
    double[] out = new double[100];
    for (int t = 0; t < 100; t++) {
      out[t] = s.step(new double[] {x.data()[t]})[0];
    }
    Tensors.assertClose("lstm.json " + name + " stepper", column("/rtneural/lstm_y_python.csv"),
        Tensor.wrap(out, 1, 100, 1), TOLERANCE);
  }
}
