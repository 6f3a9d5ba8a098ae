package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.JsonArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The golden case {@code golden/stacked.json} (kind {@code stacked}, see {@code golden/README.md}):
 * {@code LSTM(6, return_sequences) → LSTM(4) → Dense(1)} over (3, 7, 3), computed in float64 by PyTorch
 * and cross-checked by an independent numpy implementation. Declared as
 * {@code @Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true) @Lstm(units = 4) @Dense(units = 1)}
 * with the file's weights, the model must reproduce the prediction, the MSE loss and every gradient
 * (of each weight and of x), and, through twin declarations with the same weights, every intermediate
 * the file holds (each layer's h sequence, h_T and c_T), to {@value #REL} relative (absolute floor
 * {@value #ABS}).
 */
class StackedGoldenTest {
  static final double REL = 1e-9;
  static final double ABS = 1e-12;

  private static final class Compiled {
    static final TestModels.Compiled MODELS = TestModels.compile(Map.of(
        "Stacked", "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true) @Lstm(units = 4) @Dense(units = 1)",
        // lstm: its sequence, h_T and c_T
        "First", "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true, returnState = true)",
        // lstm_1: its sequence, h_T and c_T
        "Both", "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true)"
            + " @Lstm(units = 4, returnSequences = true, returnState = true)",
        // lstm_1's last output and its state, when it does not return sequences
        "BothLast", "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true)"
            + " @Lstm(units = 4, returnState = true)"));
  }

  static JsonObject json;
  static Tensor x;
  static Tensor y;

  @BeforeAll
  static void load() {
    json = JsonArrays.load("/golden/stacked.json");
    assertEquals("stacked", json.get("kind").getAsString());
    assertEquals("float64", json.get("dtype").getAsString());
    assertEquals(6, json.get("units1").getAsInt());
    assertEquals(4, json.get("units2").getAsInt());
    assertEquals(1, json.get("dense_units").getAsInt());
    assertEquals(3, json.get("features").getAsInt());
    assertEquals(7, json.get("timesteps").getAsInt());
    x = golden("x");
    y = golden("y");
  }

  static Tensor golden(String key) {
    return JsonArrays.golden(json, key);
  }

  static List<Tensor> weights(String... keys) {
    List<Tensor> list = new ArrayList<>();
    for (String k : keys) {
      list.add(golden(k));
    }
    return list;
  }

  static final String[] ALL = {"lstm1_kernel", "lstm1_recurrent_kernel", "lstm1_bias", "lstm2_kernel",
      "lstm2_recurrent_kernel", "lstm2_bias", "dense_kernel", "dense_bias"};

  static void close(String what, Tensor expected, Tensor actual) {
    Tensors.assertClose("stacked.json " + what, expected, actual, REL, ABS);
  }

  @Test
  void predictionLossAndGradients() {
    SequenceModel model = Compiled.MODELS.model("Stacked");
    List<Tensor> w = weights(ALL);
    model.setWeights(w);
    assertEquals(w, model.getWeights(), "getWeights returns what setWeights set");
    assertArrayEquals(new int[] {1}, model.outputShape());

    Tensor prediction = model.predict(x);
    close("prediction", golden("prediction"), prediction);

    int batch = x.dim(0);
    int outputs = 1;
    double loss = 0;
    Tensor dOutput = Tensor.zeros(batch, outputs);
    for (int i = 0; i < prediction.size(); i++) {
      double d = prediction.data()[i] - y.data()[i];
      loss += d * d / (batch * outputs);
      dOutput.data()[i] = 2 * d / (batch * outputs);
    }
    double expectedLoss = json.get("loss").getAsDouble();
    assertEquals(expectedLoss, loss, Math.max(REL * Math.abs(expectedLoss), ABS), "loss");

    Gradients g = model.gradients(x, dOutput);
    assertEquals(ALL.length, g.weights().size());
    for (int k = 0; k < ALL.length; k++) {
      close("grads." + ALL[k], golden("grads." + ALL[k]), g.weights().get(k));
    }
    close("grads.x", golden("grads.x"), g.input());

    // the same through a reused Gradients, and the same again after a call at another batch size
    Gradients into = model.gradients(x, dOutput, null);
    model.gradients(Tensor.zeros(1, 7, 3), Tensor.zeros(1, 1));
    model.gradients(x, dOutput, into);
    for (int k = 0; k < ALL.length; k++) {
      close("grads." + ALL[k] + " (into)", golden("grads." + ALL[k]), into.weights().get(k));
    }
    close("grads.x (into)", golden("grads.x"), into.input());
  }

  @Test
  void firstLayerIntermediates() {
    SequenceModel model = Compiled.MODELS.model("First");
    model.setWeights(weights("lstm1_kernel", "lstm1_recurrent_kernel", "lstm1_bias"));
    List<Tensor> out = TestModels.predictWithState(model, x, null);
    close("lstm1_h_seq", golden("lstm1_h_seq"), out.get(0));
    close("lstm1_h_T", golden("lstm1_h_T"), out.get(1));
    close("lstm1_c_T", golden("lstm1_c_T"), out.get(2));
  }

  @Test
  void secondLayerIntermediates() {
    List<Tensor> w = weights("lstm1_kernel", "lstm1_recurrent_kernel", "lstm1_bias", "lstm2_kernel",
        "lstm2_recurrent_kernel", "lstm2_bias");
    SequenceModel both = Compiled.MODELS.model("Both");
    both.setWeights(w);
    List<Tensor> out = TestModels.predictWithState(both, x, null);
    close("lstm2_h_seq", golden("lstm2_h_seq"), out.get(0));
    close("lstm2_h_T", golden("lstm2_h_T"), out.get(1));
    close("lstm2_c_T", golden("lstm2_c_T"), out.get(2));

    SequenceModel last = Compiled.MODELS.model("BothLast");
    last.setWeights(w);
    out = TestModels.predictWithState(last, x, null);
    close("lstm2_h_T (last output)", golden("lstm2_h_T"), out.get(0));
    close("lstm2_h_T (state)", golden("lstm2_h_T"), out.get(1));
    close("lstm2_c_T (state)", golden("lstm2_c_T"), out.get(2));
  }

  @Test
  void stepperReachesThePrediction() {
    SequenceModel model = Compiled.MODELS.model("Stacked");
    model.setWeights(weights(ALL));
    Tensor expected = golden("prediction");
    Stepper s = model.stepper();
    int t = x.dim(1);
    for (int b = 0; b < x.dim(0); b++) {
      s.reset();
      double[] last = null;
      for (int step = 0; step < t; step++) {
        last = s.step(Tensors.row(x, b, step));
      }
      close("prediction of sample " + b + " by stepping", Tensor.wrap(Tensors.row(expected, b), 1, 1),
          Tensor.wrap(last.clone(), 1, 1));
    }
  }
}
