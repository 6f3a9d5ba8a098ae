package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.testing.compile.Compilation;
import dev.unroll.Gate;
import dev.unroll.Gradients;
import dev.unroll.Layer;
import dev.unroll.SequenceModel;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Bidirectional golden cases of {@code golden/layers/} (float64, a torch implementation of
 * Keras's equations cross-checked by numpy, torch's {@code nn.LSTM(bidirectional=True)} and finite
 * differences): {@code bidi_concat_seq.json}, {@code Bidirectional(LSTM(4, return_sequences=True),
 * concat) → Dense(1)} per step over (2, 6, 3), and {@code bidi_sum_last.json},
 * {@code Bidirectional(LSTM(3), sum)} over (2, 5, 2). Prediction and every gradient to {@value #REL}.
 */
class BidirectionalGoldenTest {
  static final double REL = 1e-9;
  static final double ABS = 1e-12;

  static final Map<String, String> SOURCES = new LinkedHashMap<>();

  static {
    SOURCES.put("Concat", "@Input(timesteps = 6, features = 3)\ninterface Concat {\n"
        + "  @Bidirectional @Lstm(units = 4, returnSequences = true) Layer bidirectional();\n"
        + "  @Dense(units = 1) Layer dense();\n}\n");
    SOURCES.put("Sum", "@Input(timesteps = 5, features = 2)\ninterface Sum {\n"
        + "  @Bidirectional(mergeMode = MergeMode.SUM) @Lstm(units = 3) Layer bidirectional();\n}\n");
    SOURCES.put("Concat32", "@Float32\n@Input(timesteps = 6, features = 3)\ninterface Concat32 {\n"
        + "  @Bidirectional @Lstm(units = 4, returnSequences = true) Layer bidirectional();\n"
        + "  @Dense(units = 1) Layer dense();\n}\n");
  }

  static Map<String, SequenceModel> models = new LinkedHashMap<>();

  @BeforeAll
  static void compile() throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    SOURCES.forEach((name, body) -> sources.put("bi." + name, "package bi;\n\nimport dev.unroll.*;\n\n" + body));
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    ClassLoader loader = ModelCompiler.classLoader(c);
    for (String name : SOURCES.keySet()) {
      models.put(name, TestModels.newModel(loader.loadClass("bi.Unrolled" + name)));
    }
  }

  static JsonObject json(String model) {
    return JsonArrays.load("/golden/layers/" + (model.startsWith("Concat") ? "bidi_concat_seq.json" : "bidi_sum_last.json"));
  }

  static List<Tensor> weights(JsonObject json) {
    List<Tensor> w = new ArrayList<>();
    for (var name : json.getAsJsonArray("weights_order")) {
      w.add(JsonArrays.tensor(json.getAsJsonObject("weights").get(name.getAsString()), name.getAsString()));
    }
    return w;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Concat", "Sum"})
  void predictionAndEveryGradient(String name) {
    JsonObject json = json(name);
    SequenceModel model = models.get(name);
    List<Tensor> w = weights(json);
    model.setWeights(w);
    Tensor x = JsonArrays.tensor(json.get("x"), "x");
    Tensor y = JsonArrays.tensor(json.get("y"), "y");
    Tensor prediction = model.predict(x);
    Tensors.assertClose(name + " prediction", JsonArrays.tensor(json.get("prediction"), "prediction"), prediction,
        REL, ABS);
    int n = prediction.size();
    Tensor dOutput = Tensor.zeros(prediction.shape());
    for (int i = 0; i < n; i++) {
      dOutput.data()[i] = 2 * (prediction.data()[i] - y.data()[i]) / n;
    }
    Gradients g = model.gradients(x, dOutput);
    var order = json.getAsJsonArray("weights_order");
    for (int k = 0; k < order.size(); k++) {
      String wn = order.get(k).getAsString();
      Tensors.assertClose(name + " grads." + wn, JsonArrays.tensor(json.getAsJsonObject("grads").get(wn), wn),
          g.weights().get(k), REL, ABS);
    }
    Tensors.assertClose(name + " grads.x", JsonArrays.tensor(json.getAsJsonObject("grads").get("x"), "x"),
        g.input(), REL, ABS);
  }

  @Test
  void float32Agrees() {
    JsonObject json = json("Concat32");
    SequenceModel model = models.get("Concat32");
    model.setWeights(weights(json));
    Tensors.assertClose("Concat32 prediction", JsonArrays.tensor(json.get("prediction"), "prediction"),
        model.predict(JsonArrays.tensor(json.get("x"), "x")), 1e-5, 1e-6);
  }

  @Test
  void summaryViewsAndNoStepper() {
    SequenceModel model = models.get("Concat");
    assertTrue(model.summary().contains(" bidirectional (Bidirectional) (None, 6, 8)"), model.summary());
    assertEquals(2 * 4 * (3 * 4 + 16 + 4) + 9, model.paramCount());
    JsonObject json = json("Concat");
    model.setWeights(weights(json));
    Layer bi = model.layer("bidirectional");
    assertEquals("Bidirectional", bi.kind());
    assertArrayEquals(new int[] {6, 8}, bi.outputShape());
    assertEquals("forward_lstm/kernel", bi.weightNames().get(0));
    Tensor backwardWf = bi.backwardLayer().kernel(Gate.F);
    Tensor w = weights(json).get(3);
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(w.data()[r * 16 + 4 + j], backwardWf.data()[r * 4 + j]);
      }
    }
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, model::stepper);
    assertTrue(e.getMessage().contains("layer bidirectional is Bidirectional"), e.getMessage());
  }
}
