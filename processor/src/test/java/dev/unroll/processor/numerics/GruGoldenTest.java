package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.GruGate;
import dev.unroll.Layer;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The GRU golden cases of {@code golden/layers/} (float64, computed by a torch implementation of
 * Keras's equations and cross-checked by numpy, torch's own {@code nn.GRU} and finite differences):
 * {@code gru_reset_after.json}, {@code GRU(5, reset_after=True) → Dense(2)} over (2, 6, 3), declared on
 * the type; {@code gru_reset_before_seq.json}, {@code GRU(4, reset_after=False, return_sequences=True)}
 * over (3, 5, 2), declared in the member form. Prediction and every gradient (each weight and x) must
 * match to {@value #REL} relative; float32 twins to 1e-5.
 */
class GruGoldenTest {
  static final double REL = 1e-9;
  static final double ABS = 1e-12;

  static final Map<String, String> SOURCES = new LinkedHashMap<>();

  static {
    SOURCES.put("AfterTyped", "@Gru(units = 5, timesteps = 6, features = 3)\n@Dense(units = 2)\ninterface AfterTyped {}\n");
    SOURCES.put("AfterTyped32", "@Float32\n@Gru(units = 5, timesteps = 6, features = 3)\n@Dense(units = 2)\n"
        + "interface AfterTyped32 {}\n");
    SOURCES.put("Before", "@Input(timesteps = 5, features = 2)\ninterface Before {\n"
        + "  @Gru(units = 4, resetAfter = false, returnSequences = true) Layer gru();\n}\n");
    SOURCES.put("Before32", "@Float32\n@Input(timesteps = 5, features = 2)\ninterface Before32 {\n"
        + "  @Gru(units = 4, resetAfter = false, returnSequences = true) Layer gru();\n}\n");
  }

  static Map<String, SequenceModel> models = new LinkedHashMap<>();

  @BeforeAll
  static void compile() throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    SOURCES.forEach((name, body) -> sources.put("g." + name, "package g;\n\nimport dev.unroll.*;\n\n" + body));
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    assertTrue(c.warnings().isEmpty(), () -> c.warnings().toString());
    ClassLoader loader = ModelCompiler.classLoader(c);
    for (String name : SOURCES.keySet()) {
      models.put(name, TestModels.newModel(loader.loadClass("g.Unrolled" + name)));
    }
  }

  record Case(JsonObject json, List<Tensor> weights, Tensor x, Tensor y, Tensor prediction) {
    static Case load(String file) {
      JsonObject json = JsonArrays.load("/golden/layers/" + file);
      List<Tensor> weights = new ArrayList<>();
      for (var name : json.getAsJsonArray("weights_order")) {
        weights.add(JsonArrays.tensor(json.getAsJsonObject("weights").get(name.getAsString()), name.getAsString()));
      }
      return new Case(json, weights, JsonArrays.tensor(json.get("x"), "x"), JsonArrays.tensor(json.get("y"), "y"),
          JsonArrays.tensor(json.get("prediction"), "prediction"));
    }

    Tensor grad(String name) {
      return JsonArrays.tensor(json.getAsJsonObject("grads").get(name), name);
    }
  }

  static Case caseOf(String model) {
    return Case.load(model.startsWith("After") ? "gru_reset_after.json" : "gru_reset_before_seq.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AfterTyped", "Before"})
  void predictionAndEveryGradient(String name) {
    Case c = caseOf(name);
    SequenceModel model = models.get(name);
    model.setWeights(c.weights());
    assertEquals(c.weights(), model.getWeights());
    Tensor prediction = model.predict(c.x());
    Tensors.assertClose(name + " prediction", c.prediction(), prediction, REL, ABS);
    int n = prediction.size();
    Tensor dOutput = Tensor.zeros(prediction.shape());
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double d = prediction.data()[i] - c.y().data()[i];
      loss += d * d / n;
      dOutput.data()[i] = 2 * d / n;
    }
    assertEquals(c.json().get("loss_value").getAsDouble(), loss, REL * loss, name + " loss");
    Gradients g = model.gradients(c.x(), dOutput);
    var order = c.json().getAsJsonArray("weights_order");
    for (int k = 0; k < order.size(); k++) {
      String w = order.get(k).getAsString();
      Tensors.assertClose(name + " grads." + w, c.grad(w), g.weights().get(k), REL, ABS);
    }
    Tensors.assertClose(name + " grads.x", c.grad("x"), g.input(), REL, ABS);
    // again into the same Gradients, after a call at another batch size
    int[] one = prediction.shape().clone();
    one[0] = 1;
    model.gradients(Tensor.zeros(1, c.x().dim(1), c.x().dim(2)), Tensor.zeros(one));
    Gradients again = model.gradients(c.x(), dOutput, g);
    Tensors.assertClose(name + " grads.x again", c.grad("x"), again.input(), REL, ABS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AfterTyped32", "Before32"})
  void float32Agrees(String name) {
    Case c = caseOf(name);
    SequenceModel model = models.get(name);
    model.setWeights(c.weights());
    Tensors.assertClose(name + " prediction", c.prediction(), model.predict(c.x()), 1e-5, 1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AfterTyped", "Before", "AfterTyped32"})
  void streamingMatchesPredict(String name) {
    Case c = caseOf(name);
    SequenceModel model = models.get(name);
    model.setWeights(c.weights());
    Tensor prediction = model.predict(c.x());
    int batch = c.x().dim(0);
    int steps = c.x().dim(1);
    int features = c.x().dim(2);
    int outputs = model.outputShape()[model.outputShape().length - 1];
    boolean sequences = model.outputShape().length == 2;
    for (int b = 0; b < batch; b++) {
      Stepper s = model.stepper();
      for (int t = 0; t < steps; t++) {
        double[] xt = new double[features];
        System.arraycopy(c.x().data(), (b * steps + t) * features, xt, 0, features);
        double[] out = s.step(xt);
        if (sequences || t == steps - 1) {
          int at = sequences ? (b * steps + t) * outputs : b * outputs;
          for (int j = 0; j < outputs; j++) {
            assertEquals(prediction.data()[at + j], out[j], name.endsWith("32") ? 1e-6 : 1e-12,
                name + " sample " + b + " step " + t);
          }
        }
      }
    }
  }

  @Test
  void summaryViewsAndCounts() {
    SequenceModel typed = models.get("AfterTyped");
    // 3*(3*5 + 5*5 + 2*5) + (5*2 + 2)
    assertEquals(150 + 12, typed.paramCount());
    assertTrue(typed.summary().contains(" gru (GRU)                   (None, 5)                 150"), typed.summary());
    SequenceModel before = models.get("Before");
    // 3*(2*4 + 4*4 + 4)
    assertEquals(84, before.paramCount());
    assertArrayEquals(new int[] {5, 4}, before.outputShape());
    Case c = caseOf("AfterTyped");
    typed.setWeights(c.weights());
    Layer gru = typed.layer("gru");
    assertEquals("GRU", gru.kind());
    // the reset gate's block of W: columns [5, 10) of (3, 15)
    Tensor wr = gru.kernel(GruGate.R);
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(c.weights().get(0).data()[r * 15 + 5 + j], wr.data()[r * 5 + j]);
      }
    }
    // b' of the candidate: row 1 of the (2, 15) bias, columns [10, 15)
    Tensor bh = gru.recurrentBias(GruGate.H);
    for (int j = 0; j < 5; j++) {
      assertEquals(c.weights().get(2).data()[15 + 10 + j], bh.data()[j]);
    }
  }
}
