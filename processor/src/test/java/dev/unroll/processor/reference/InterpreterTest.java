package dev.unroll.processor.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.Tensor;
import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.MaskingLayer;
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
 * (PyTorch float64, cross-checked by numpy; single LSTM layers and the stacked LSTM-LSTM-Dense case;
 * the layer cases of {@code golden/layers/}: GRU with reset_after true and false, Bidirectional LSTM
 * with concat and sum, a Dense layer before the LSTM, Masking before two LSTMs and a Dense with samples
 * padded at the end and at the start) and the seed's numbers in the README (kernel_c of
 * TwoFeatures at the default seed, and its output). The merge modes mul and ave, GRU's go_backwards and
 * other activations have no golden file: {@code SelfCheckTest} compares them with the generated code.
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

  private static GruLayer gru(String name, int units, int timesteps, int features, boolean resetAfter, boolean sequences) {
    return new GruLayer(name, units, timesteps, features, Activation.TANH, Activation.SIGMOID, true, resetAfter,
        sequences, false, false);
  }

  /** The layer cases of {@code golden/layers/}, each as the model spec the processor builds for it. */
  static ModelSpec layerCase(String file) {
    List<Layer> layers = switch (file) {
      case "gru_reset_after" -> List.of(gru("gru", 5, 6, 3, true, false),
          new DenseLayer("dense", 2, 5, 0, Activation.LINEAR, true));
      case "gru_reset_before_seq" -> List.<Layer>of(gru("gru", 4, 5, 2, false, true));
      case "bidi_concat_seq" -> List.of(
          new BidirectionalLayer("bidirectional", lstm("bidirectional_forward", 4, 6, 3, true), MergeMode.CONCAT),
          new DenseLayer("dense", 1, 8, 6, Activation.LINEAR, true));
      case "bidi_sum_last" -> List.<Layer>of(
          new BidirectionalLayer("bidirectional", lstm("bidirectional_forward", 3, 5, 2, false), MergeMode.SUM));
      case "dense_first" -> List.of(new DenseLayer("dense", 4, 2, 5, Activation.TANH, true),
          lstm("lstm", 3, 5, 4, false), new DenseLayer("dense_1", 1, 3, 0, Activation.LINEAR, true));
      case "masking_lstm" -> List.of(new MaskingLayer("masking", 7, 3, 0.0), lstm("lstm", 4, 7, 3, true),
          lstm("lstm_1", 3, 7, 4, false), new DenseLayer("dense", 1, 3, 0, Activation.LINEAR, true));
      default -> throw new IllegalArgumentException(file);
    };
    return ModelSpec.of("p", "M", layers, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gru_reset_after", "gru_reset_before_seq", "bidi_concat_seq", "bidi_sum_last", "dense_first",
      "masking_lstm"})
  void layerCasesAgreeWithTheGoldenVectors(String file) {
    JsonObject g = JsonArrays.load("/golden/layers/" + file + ".json");
    List<double[]> weights = new ArrayList<>();
    for (var name : g.getAsJsonArray("weights_order")) {
      weights.add(JsonArrays.tensor(g.getAsJsonObject("weights").get(name.getAsString()), name.getAsString()).data());
    }
    ModelSpec model = layerCase(file);
    assertEquals(weights.size(), model.layers().stream().mapToInt(l -> l.weights().size()).sum(), file + ": weights");
    Tensor x = JsonArrays.tensor(g.get("x"), "x");
    Tensor expected = JsonArrays.tensor(g.get("prediction"), "prediction");
    double[] y = new Interpreter(model, weights).predict(x.data(), x.dim(0));
    Tensor actual = Tensor.wrap(y, expected.shape());
    System.out.printf("%s: interpreter vs golden prediction, worst relative difference %.2g%n", file,
        Tensors.maxRelDiff(actual, expected));
    Tensors.assertClose(file + " prediction", expected, actual, 1e-9, 1e-12);
  }

  @Test
  void theMaskMattersInTheMaskingCase() {
    // without its Masking layer the padded samples come out otherwise: the golden case tests the mask path
    JsonObject g = JsonArrays.load("/golden/layers/masking_lstm.json");
    List<double[]> weights = new ArrayList<>();
    for (var name : g.getAsJsonArray("weights_order")) {
      weights.add(JsonArrays.tensor(g.getAsJsonObject("weights").get(name.getAsString()), name.getAsString()).data());
    }
    ModelSpec masked = layerCase("masking_lstm");
    ModelSpec unmasked = ModelSpec.of("p", "M", masked.layers().subList(1, 4), false);
    Tensor x = JsonArrays.tensor(g.get("x"), "x");
    double[] with = new Interpreter(masked, weights).predict(x.data(), x.dim(0));
    double[] without = new Interpreter(unmasked, weights).predict(x.data(), x.dim(0));
    double worst = 0;
    for (int i = 0; i < with.length; i++) {
      worst = Math.max(worst, Math.abs(with[i] - without[i]));
    }
    assertTrue(worst > 1e-3, "masked and unmasked predictions differ by " + worst);
  }

  @Test
  void theMergeModesFromTheSameDirections() {
    // mul and ave have no golden file: from the concat case's two halves, each checked above
    JsonObject g = JsonArrays.load("/golden/layers/bidi_concat_seq.json");
    List<double[]> weights = new ArrayList<>();
    for (var name : g.getAsJsonArray("weights_order")) {
      weights.add(JsonArrays.tensor(g.getAsJsonObject("weights").get(name.getAsString()), name.getAsString()).data());
    }
    List<double[]> bidiWeights = weights.subList(0, 6);
    Tensor x = JsonArrays.tensor(g.get("x"), "x");
    double[] concat = predictBidi(MergeMode.CONCAT, bidiWeights, x);
    for (MergeMode mode : new MergeMode[] {MergeMode.SUM, MergeMode.MUL, MergeMode.AVE}) {
      double[] y = predictBidi(mode, bidiWeights, x);
      assertEquals(concat.length / 2, y.length, mode.toString());
      for (int row = 0; row < y.length / 4; row++) {
        for (int j = 0; j < 4; j++) {
          double f = concat[row * 8 + j];
          double b = concat[row * 8 + 4 + j];
          double want = switch (mode) {
            case SUM -> f + b;
            case MUL -> f * b;
            case AVE -> 0.5 * (f + b);
            case CONCAT -> throw new AssertionError();
          };
          assertEquals(want, y[row * 4 + j], 1e-15, mode + " row " + row + " unit " + j);
        }
      }
    }
  }

  private static double[] predictBidi(MergeMode mode, List<double[]> weights, Tensor x) {
    ModelSpec model = ModelSpec.of("p", "M", List.<Layer>of(
        new BidirectionalLayer("bidirectional", lstm("bidirectional_forward", 4, 6, 3, true), mode)), false);
    return new Interpreter(model, weights).predict(x.data(), x.dim(0));
  }

  @Test
  void aGruGoingBackwardsReadsTheReversedSequence() {
    // the same layer forwards over the reversed input: the same outputs, in the order computed
    JsonObject g = JsonArrays.load("/golden/layers/gru_reset_before_seq.json");
    List<double[]> weights = new ArrayList<>();
    for (var name : g.getAsJsonArray("weights_order")) {
      weights.add(JsonArrays.tensor(g.getAsJsonObject("weights").get(name.getAsString()), name.getAsString()).data());
    }
    Tensor x = JsonArrays.tensor(g.get("x"), "x");
    Tensor expected = JsonArrays.tensor(g.get("prediction"), "prediction");
    int b = x.dim(0);
    int t = x.dim(1);
    int f = x.dim(2);
    double[] reversed = new double[x.size()];
    for (int s = 0; s < b; s++) {
      for (int step = 0; step < t; step++) {
        System.arraycopy(x.data(), (s * t + step) * f, reversed, (s * t + t - 1 - step) * f, f);
      }
    }
    GruLayer backwards = new GruLayer("gru", 4, 5, 2, Activation.TANH, Activation.SIGMOID, true, false, true, false, true);
    double[] y = new Interpreter(ModelSpec.of("p", "M", List.<Layer>of(backwards), false), weights).predict(reversed, b);
    Tensors.assertClose("go_backwards over the reversed input", expected, Tensor.wrap(y, expected.shape()), 1e-15, 1e-15);
  }

  @Test
  void atSeedDrawsEveryKindInDeclarationOrder() {
    // GRU (2, 3U) bias at zero, Bidirectional: forward then backward copy, each its own draws
    ModelSpec model = ModelSpec.of("p", "M", List.of(new DenseLayer("dense", 3, 2, 4, Activation.TANH, true),
        new BidirectionalLayer("bi", gru("bi_forward", 2, 4, 3, true, true), MergeMode.AVE),
        lstm("lstm", 2, 4, 2, false)), false);
    List<double[]> w = Interpreter.atSeed(model, 7L).weights();
    assertEquals(2 + 6 + 3, w.size());
    assertEquals(2 * 3 * 2, w.get(4).length, "forward GRU bias (2, 3U)");
    for (double v : w.get(4)) {
      assertEquals(0, v);
    }
    assertTrue(!java.util.Arrays.equals(w.get(2), w.get(5)), "the backward copy draws its own kernel");
    assertEquals(java.util.Arrays.toString(w.get(8)), java.util.Arrays.toString(Interpreter.atSeed(model, 7L).weights().get(8)));
    assertTrue(Interpreter.knows(model));
  }
}
