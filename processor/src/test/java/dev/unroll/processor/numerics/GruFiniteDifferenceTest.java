package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.FiniteDifferences;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every gradient of GRU models that the golden vectors do not cover, against central finite
 * differences ({@link FiniteDifferences}): smooth activations other than the defaults, no bias,
 * goBackwards, an initial state (dL/dh0), return_state (dL/dh_T as an output), and GRU layers
 * stacked with LSTM and Dense layers in the member form, in any order. The loss is
 * {@code sum(output ⊙ R)} (plus {@code sum(h_T ⊙ R')} with return_state) for random R.
 */
class GruFiniteDifferenceTest {

  static final Map<String, String> SOURCES = new LinkedHashMap<>();

  static {
    SOURCES.put("TanhGates", "@Gru(units = 3, timesteps = 4, features = 2, recurrentActivation = Activation.TANH, "
        + "activation = Activation.SIGMOID, returnSequences = true)\ninterface TanhGates {}\n");
    SOURCES.put("NoBias", "@Gru(units = 3, timesteps = 4, features = 2, useBias = false, resetAfter = false)\n"
        + "interface NoBias {}\n");
    SOURCES.put("Backwards", "@Gru(units = 2, timesteps = 5, features = 3, goBackwards = true, returnSequences = true)\n"
        + "@Dense(units = 2)\ninterface Backwards {}\n");
    SOURCES.put("State", "@Gru(units = 3, timesteps = 4, features = 2, returnState = true)\ninterface State {}\n");
    SOURCES.put("Stack", "@Gru(units = 3, timesteps = 4, features = 2, returnSequences = true, resetAfter = false)\n"
        + "@Gru(units = 2)\n@Dense(units = 2, activation = Activation.TANH)\ninterface Stack {}\n");
    SOURCES.put("Mixed", "@Input(timesteps = 4, features = 2)\ninterface Mixed {\n"
        + "  @Dense(units = 3, activation = Activation.TANH) Layer embed();\n"
        + "  @Gru(units = 3, returnSequences = true) Layer gru();\n"
        + "  @Lstm(units = 2, returnSequences = true) Layer lstm();\n"
        + "  @Gru(units = 2, resetAfter = false) Layer last();\n"
        + "  @Dense(units = 1) Layer head();\n}\n");
    SOURCES.put("LstmFirst", "@Input(timesteps = 3, features = 2)\ninterface LstmFirst {\n"
        + "  @Lstm(units = 2, returnSequences = true) Layer lstm();\n"
        + "  @Gru(units = 3, returnState = true) Layer gru();\n}\n");
  }

  static Map<String, SequenceModel> models = new LinkedHashMap<>();

  @BeforeAll
  static void compile() throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    SOURCES.forEach((name, body) -> sources.put("fd." + name, "package fd;\n\nimport dev.unroll.*;\n\n" + body));
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    ClassLoader loader = ModelCompiler.classLoader(c);
    for (String name : SOURCES.keySet()) {
      models.put(name, TestModels.newModel(loader.loadClass("fd.Unrolled" + name), 7L));
    }
  }

  static Tensor random(SplittableRandom rng, double scale, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = rng.nextDouble(-scale, scale);
    }
    return t;
  }

  static int[] batched(int batch, int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = batch;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"TanhGates", "NoBias", "Backwards", "State", "Stack", "Mixed", "LstmFirst"})
  void everyGradientAgreesWithCentralDifferences(String name) {
    SequenceModel model = models.get(name);
    SplittableRandom rng = new SplittableRandom(name.hashCode());
    int batch = 2;
    // weights of a trained model's size, so that every gate is away from saturation
    List<Tensor> weights = new ArrayList<>();
    for (Tensor w : model.getWeights()) {
      weights.add(random(rng, 0.6, w.shape()));
    }
    model.setWeights(weights);
    Tensor x = random(rng, 1, batched(batch, model.inputShape()));
    int units = model.layers().stream().filter(l -> l.isRecurrent()).findFirst().orElseThrow().units();
    int states = model.layers().stream().filter(l -> l.isRecurrent()).findFirst().orElseThrow().isLstm() ? 2 : 1;
    List<Tensor> h0 = new ArrayList<>();
    for (int k = 0; k < states; k++) {
      h0.add(random(rng, 0.5, batch, units));
    }
    Tensor r = random(rng, 1, batched(batch, model.outputShape()));
    boolean withState = name.equals("State") || name.equals("LstmFirst");
    int lastUnits = model.layers().get(model.layers().size() - 1).units();
    Tensor rState = random(rng, 1, batch, lastUnits);

    java.util.function.DoubleSupplier loss = () -> {
      if (withState) {
        List<Tensor> out = TestModels.predictWithState(model, x, h0);
        return FiniteDifferences.dot(out.get(0), r) + FiniteDifferences.dot(out.get(1), rState);
      }
      return FiniteDifferences.dot(model.predict(x, h0, null), r);
    };
    Gradients g = withState
        ? TestModels.gradientsWithState(model, x, h0, List.of(r, rState), null)
        : model.gradients(x, h0, r, null);
    double floor = FiniteDifferences.floor(FiniteDifferences.sumAbs(model.predict(x, h0, null), r) + 1);

    List<String> failures = new ArrayList<>();
    for (int k = 0; k < weights.size(); k++) {
      int index = k;
      double[] fd = FiniteDifferences.central(weights.get(k).data(), () -> {
        model.setWeights(weights);
        return loss.getAsDouble();
      });
      model.setWeights(weights);
      FiniteDifferences.compare("W" + index, Tensor.wrap(fd, weights.get(k).shape()), g.weights().get(k), floor,
          failures);
    }
    double[] dx = FiniteDifferences.central(x.data(), loss);
    FiniteDifferences.compare("x", Tensor.wrap(dx, x.shape()), g.input(), floor, failures);
    for (int k = 0; k < states; k++) {
      double[] dh = FiniteDifferences.central(h0.get(k).data(), loss);
      FiniteDifferences.compare("state" + k, Tensor.wrap(dh, h0.get(k).shape()), g.initialState().get(k), floor,
          failures);
    }
    FiniteDifferences.assertNone(name, failures);
  }
}
