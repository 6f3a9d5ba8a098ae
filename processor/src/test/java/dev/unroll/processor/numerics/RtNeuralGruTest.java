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
 * Parity with real Keras outputs for GRU layers: RTNeural's {@code gru.json} ({@code TimeDistributed(Dense(8,
 * tanh)) → GRU(8) → Dense(8, sigmoid) → Dense(1)}) and {@code gru_1d.json} ({@code GRU(8) → Dense(8, sigmoid)
 * → Dense(1)}), Keras 2 GRUs with reset_after=True returning sequences, run in float32 over one
 * sequence of 100 steps (test resources {@code rtneural/}). In float64 and float32, by {@code predict}
 * and by a stepper, the model must reproduce Keras's y to {@value #TOLERANCE} (RTNeural's tolerance for them).
 */
class RtNeuralGruTest {
  static final double TOLERANCE = 5e-6;

  private static String declaration(String name, boolean float32, boolean denseFirst) {
    return "package rtg;\n\nimport dev.unroll.*;\n\n" + (float32 ? "@Float32\n" : "")
        + "@Input(timesteps = 100, features = 1)\n"
        + "interface " + name + " {\n"
        + (denseFirst ? "  @Dense(units = 8, activation = Activation.TANH) Layer time_distributed();\n" : "")
        + "  @Gru(units = 8, returnSequences = true) Layer gru();\n"
        + "  @Dense(units = 8, activation = Activation.SIGMOID) Layer dense();\n"
        + "  @Dense(units = 1) Layer dense_1();\n"
        + "}\n";
  }

  private static final class Compiled {
    static final Map<String, Class<?>> CLASSES = new LinkedHashMap<>();

    static {
      Map<String, String> sources = new LinkedHashMap<>();
      sources.put("rtg.Gru64", declaration("Gru64", false, true));
      sources.put("rtg.Gru32", declaration("Gru32", true, true));
      sources.put("rtg.Gru1d64", declaration("Gru1d64", false, false));
      sources.put("rtg.Gru1d32", declaration("Gru1d32", true, false));
      Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
      assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
      ClassLoader loader = ModelCompiler.classLoader(c);
      for (String name : List.of("Gru64", "Gru32", "Gru1d64", "Gru1d32")) {
        try {
          CLASSES.put(name, loader.loadClass("rtg.Unrolled" + name));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  static String file(String name) {
    return name.startsWith("Gru1d") ? "gru_1d" : "gru";
  }

  /** The weights of the file, in its layers' order, each layer's as Keras {@code get_weights()}. */
  static List<Tensor> weights(String file) {
    JsonObject json = JsonArrays.load("/rtneural/" + file + ".json");
    JsonArray layers = json.getAsJsonArray("layers");
    List<Tensor> w = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      JsonObject layer = layers.get(l).getAsJsonObject();
      JsonArray arrays = layer.getAsJsonArray("weights");
      for (int i = 0; i < arrays.size(); i++) {
        w.add(JsonArrays.tensor(arrays.get(i), layer.get("type").getAsString() + " weights[" + i + "]"));
      }
    }
    return w;
  }

  static SequenceModel model(String name) {
    SequenceModel model = TestModels.newModel(Compiled.CLASSES.get(name));
    List<Tensor> w = weights(file(name));
    model.setWeights(w);
    assertEquals(w, model.getWeights(), name + ": getWeights returns the file's weights");
    return model;
  }

  static Tensor column(String resource) {
    Tensor c = JsonArrays.csvColumn(resource);
    return Tensor.wrap(c.data(), 1, c.size(), 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Gru64", "Gru32", "Gru1d64", "Gru1d32"})
  void predictReproducesKeras(String name) {
    Tensor x = column("/rtneural/lstm_1d_x_python.csv"); // byte-identical to gru_x_python.csv
    Tensor out = model(name).predict(x);
    Tensors.assertClose(file(name) + ".json " + name + " predict",
        column("/rtneural/" + file(name) + "_y_python.csv"), out, TOLERANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Gru64", "Gru1d32"})
  void stepperReproducesKeras(String name) {
    Tensor x = column("/rtneural/lstm_1d_x_python.csv");
    Stepper s = model(name).stepper();
    double[] out = new double[100];
    for (int t = 0; t < 100; t++) {
      out[t] = s.step(new double[] {x.data()[t]})[0];
    }
    Tensors.assertClose(file(name) + ".json " + name + " stepper", column("/rtneural/" + file(name) + "_y_python.csv"),
        Tensor.wrap(out, 1, 100, 1), TOLERANCE);
  }
}
