package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
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
import org.junit.jupiter.api.Test;

/**
 * The golden case {@code golden/layers/dense_first.json}: {@code Dense(4, tanh)} applied per step,
 * then {@code LSTM(3)}, then {@code Dense(1)}, over (2, 5, 2), float64, computed by a torch
 * implementation and cross-checked by a numpy one and by finite differences (see its README). Only
 * the member form can declare a Dense before an LSTM. The model must reproduce the prediction and
 * every gradient to {@value #REL} relative, in the file's {@code weights_order}.
 */
class LayerOrderGoldenTest {
  static final double REL = 1e-9;
  static final double ABS = 1e-12;

  private static final String SOURCE = "package golden;\n\nimport dev.unroll.*;\n\n"
      + "@Input(timesteps = 5, features = 2)\n"
      + "interface DenseFirst {\n"
      + "  @Dense(units = 4, activation = Activation.TANH) Layer dense();\n"
      + "  @Lstm(units = 3) Layer lstm();\n"
      + "  @Dense(units = 1) Layer dense_1();\n"
      + "}\n";

  private static final String FLOAT32 = "package golden;\n\nimport dev.unroll.*;\n\n"
      + "@Float32\n"
      + "@Input(timesteps = 5, features = 2)\n"
      + "interface DenseFirst32 {\n"
      + "  @Dense(units = 4, activation = Activation.TANH) Layer dense();\n"
      + "  @Lstm(units = 3) Layer lstm();\n"
      + "  @Dense(units = 1) Layer dense_1();\n"
      + "}\n";

  static JsonObject json;
  static SequenceModel model;
  static SequenceModel model32;
  static List<Tensor> weights;

  @BeforeAll
  static void load() throws Exception {
    json = JsonArrays.load("/golden/layers/dense_first.json");
    assertEquals("float64", json.get("dtype").getAsString());
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("golden.DenseFirst", SOURCE);
    sources.put("golden.DenseFirst32", FLOAT32);
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    ClassLoader loader = ModelCompiler.classLoader(c);
    model = TestModels.newModel(loader.loadClass("golden.UnrolledDenseFirst"));
    model32 = TestModels.newModel(loader.loadClass("golden.UnrolledDenseFirst32"));
    weights = new ArrayList<>();
    for (var name : json.getAsJsonArray("weights_order")) {
      weights.add(JsonArrays.tensor(json.getAsJsonObject("weights").get(name.getAsString()), name.getAsString()));
    }
  }

  static Tensor array(String key) {
    return JsonArrays.tensor(json.get(key), key);
  }

  @Test
  void summaryAndShapes() {
    assertArrayEquals(new int[] {5, 2}, model.inputShape());
    assertArrayEquals(new int[] {1}, model.outputShape());
    String summary = model.summary();
    assertTrue(summary.contains(" dense (Dense)               (None, 5, 4)              12"), summary);
    assertTrue(summary.contains(" lstm (LSTM)                 (None, 3)                 96"), summary);
    assertTrue(summary.contains(" dense_1 (Dense)             (None, 1)                 4"), summary);
    assertEquals(12 + 96 + 4, model.paramCount());
  }

  @Test
  void predictionAndEveryGradient() {
    model.setWeights(weights);
    Tensor x = array("x");
    Tensor y = array("y");
    Tensor prediction = model.predict(x);
    Tensors.assertClose("dense_first.json prediction", array("prediction"), prediction, REL, ABS);

    // MSE over every element, as the file's loss
    int n = prediction.size();
    double loss = 0;
    Tensor dOutput = Tensor.zeros(prediction.shape());
    for (int i = 0; i < n; i++) {
      double d = prediction.data()[i] - y.data()[i];
      loss += d * d / n;
      dOutput.data()[i] = 2 * d / n;
    }
    assertEquals(json.get("loss_value").getAsDouble(), loss, REL * Math.abs(loss), "loss");
    Gradients g = model.gradients(x, dOutput);
    var order = json.getAsJsonArray("weights_order");
    for (int k = 0; k < order.size(); k++) {
      String name = order.get(k).getAsString();
      Tensor expected = JsonArrays.tensor(json.getAsJsonObject("grads").get(name), name);
      Tensors.assertClose("dense_first.json grads." + name, expected, g.weights().get(k), REL, ABS);
    }
    Tensor dx = JsonArrays.tensor(json.getAsJsonObject("grads").get("x"), "x");
    Tensors.assertClose("dense_first.json grads.x", dx, g.input(), REL, ABS);
  }

  @Test
  void streamingMatchesTheWholeSequence() {
    model.setWeights(weights);
    Tensor x = array("x");
    Tensor prediction = model.predict(x);
    int batch = x.dim(0);
    for (int b = 0; b < batch; b++) {
      Stepper s = model.stepper();
      double[] out = null;
      for (int t = 0; t < 5; t++) {
        double[] step = {x.data()[(b * 5 + t) * 2], x.data()[(b * 5 + t) * 2 + 1]};
        out = s.step(step);
      }
      assertEquals(prediction.data()[b], out[0], 1e-12, "sample " + b);
    }
  }

  @Test
  void float32Agrees() {
    model32.setWeights(weights);
    Tensor x = array("x");
    Tensors.assertClose("dense_first.json prediction (float32)", array("prediction"), model32.predict(x), 1e-5, 1e-6);
  }
}
