package dev.unroll.processor.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.testing.Golden;
import dev.unroll.processor.testing.Tensors;
import com.google.gson.JsonObject;
import dev.unroll.processor.testing.JsonArrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The self-check's interpreter against references that do not come from it: the golden vectors
 * (PyTorch float64, cross-checked by numpy; single LSTM layers and the stacked LSTM-LSTM-Dense case)
 * and the seed's numbers in the README (kernel_c of TwoFeatures at the default seed, and its output).
 */
class InterpreterTest {

  private static LstmLayer lstm(String name, int units, int timesteps, int features, boolean returnSequences) {
    return new LstmLayer(name, units, timesteps, features, Activation.TANH, Activation.SIGMOID, true, true,
        returnSequences, false, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"seed1", "seed2", "small", "medium"})
  void singleLayersAgreeWithTheGoldenVectors(String name) {
    Golden g = Golden.load(name);
    List<double[]> weights = List.of(g.tensor("kernel").data(), g.tensor("recurrent_kernel").data(), g.tensor("bias").data());
    for (boolean sequences : new boolean[] {true, false}) {
      ModelSpec model = ModelSpec.of("p", "M", List.<Layer>of(lstm("lstm", g.units, g.timesteps, g.features, sequences)), false);
      double[] y = new Interpreter(model, weights).predict(g.tensor("x").data(), g.batch);
      Tensor expected = sequences ? g.tensor("h_seq") : g.tensor("h_T");
      Tensors.assertClose(name + (sequences ? " h_seq" : " h_T"), expected, Tensor.wrap(y, expected.shape()), 1e-12, 1e-14);
    }
  }

  @Test
  void aStackAgreesWithTheGoldenVector() {
    JsonObject g = JsonArrays.load("/golden/stacked.json");
    int u1 = g.get("units1").getAsInt();
    int u2 = g.get("units2").getAsInt();
    int d = g.get("dense_units").getAsInt();
    int t = g.get("timesteps").getAsInt();
    ModelSpec model = ModelSpec.of("p", "M", List.of(
        lstm("lstm", u1, t, g.get("features").getAsInt(), true),
        lstm("lstm_1", u2, t, u1, false),
        new DenseLayer("dense", d, u2, 0, Activation.LINEAR, true)), false);
    List<double[]> weights = new ArrayList<>();
    for (String key : List.of("lstm1_kernel", "lstm1_recurrent_kernel", "lstm1_bias", "lstm2_kernel",
        "lstm2_recurrent_kernel", "lstm2_bias", "dense_kernel", "dense_bias")) {
      weights.add(JsonArrays.golden(g, key).data());
    }
    double[] y = new Interpreter(model, weights).predict(JsonArrays.golden(g, "x").data(), g.get("batch").getAsInt());
    Tensor expected = JsonArrays.golden(g, "prediction");
    Tensors.assertClose("stacked prediction", expected, Tensor.wrap(y, expected.shape()), 1e-12, 1e-14);
  }

  @Test
  void theSeedsNumbersInTheReadme() {
    ModelSpec twoFeatures = ModelSpec.of("dev.unroll.examples", "TwoFeatures", List.<Layer>of(lstm("lstm", 1, 1, 2, false)), false);
    Interpreter at42 = Interpreter.atSeed(twoFeatures, 42L);
    // README: kernel_c (2, 1) = [-0.442798, -0.563190]; x_0 = [0.5, -1.0] gives h_0 = 0.078458
    double[] y = at42.predict(new double[] {0.5, -1.0}, 1);
    assertEquals(0.078458, y[0], 5e-7);
    // kernel (2, 4), row-major: kernel_c is column 2, rows 0 and 1
    double[] kernel = at42.weights().get(0);
    assertEquals(-0.442798, kernel[2], 5e-7);
    assertEquals(-0.563190, kernel[6], 5e-7);
    ModelSpec oneFeature = ModelSpec.of("dev.unroll.examples", "OneFeature", List.<Layer>of(lstm("lstm", 1, 1, 1, false)), false);
    assertEquals(-0.485061, Interpreter.atSeed(oneFeature, 42L).weights().get(0)[2], 5e-7);
  }
}
