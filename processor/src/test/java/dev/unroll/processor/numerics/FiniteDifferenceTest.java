package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.unroll.processor.testing.FiniteDifferences.EPS;
import static dev.unroll.processor.testing.FiniteDifferences.KINK_MARGIN;
import static dev.unroll.processor.testing.FiniteDifferences.MAX_DRAWS;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.Activation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.FiniteDifferences;
import dev.unroll.processor.testing.ReferenceStack;
import dev.unroll.processor.testing.ReferenceStack.LstmSpec;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through time against central finite differences, for every pair of
 * {@link Activation}s as {@code activation} and {@code recurrentActivation}, with and without bias,
 * with and without {@code returnSequences} (and {@code unitForgetBias = false}), each at random small
 * shapes (units 1..5, features 1..4, timesteps 1..6, batch 1..3) drawn from a fixed seed.
 *
 * <p>The loss is {@code L = sum(output ⊙ R)} for a random R, so dOutput = R. Every weight and every
 * input value is perturbed by ±{@value FiniteDifferences#EPS} (float64) and {@code (L+ − L−) / 2ε} is
 * compared with the analytic gradient ({@link FiniteDifferences}): {@code |analytic − fd| ≤ 1e-6·max(|analytic|, |fd|) + 1e-8·max(1, Σ|output ⊙ R|)}
 * (the second term bounds the rounding error of the difference quotient, about
 * 1e-16·Σ|output ⊙ R| / ε).
 *
 * <p>Kinks: RELU, HARD_SIGMOID and HARD_SIGMOID_KERAS3 are not differentiable at 0, ±2.5 and ±3.
 * A difference quotient across a kink is meaningless, so the weights and inputs of a configuration
 * are drawn again (up to {@value FiniteDifferences#MAX_DRAWS} times) until every activation's argument (z_i, z_f, z_c,
 * z_o and c_t) is at least {@value FiniteDifferences#KINK_MARGIN} from a kink, as measured by {@link ReferenceStack}.
 * A perturbation of {@value FiniteDifferences#EPS} moves those arguments by far less than that, so no quotient crosses
 * a kink. A c_t that is exactly 0 (relu(z_c) = 0 with z_c < 0, at the first step) stays exactly 0 under
 * perturbation and is not counted. Saturated (clipped) hard sigmoids and inactive relus are kept and
 * tested: there both gradients must be 0.
 *
 * <p>The forward pass of every configuration is also checked against {@link ReferenceStack}, since the
 * golden vectors cover tanh/sigmoid only.
 */
class FiniteDifferenceTest {
  /** Every activation an LSTM accepts (SOFTMAX is for Dense layers only). */
  static final java.util.List<Activation> LSTM_ACTIVATIONS = java.util.Arrays.stream(Activation.values())
      .filter(a -> a != Activation.SOFTMAX)
      .collect(java.util.stream.Collectors.toList());

  /**
   * Weights are drawn from U(−s, s) with s = 1, or s = {@value #HARD_SCALE} when an activation is a
   * hard sigmoid, so that its arguments often pass ±2.5 (±3) and the clipped parts are tested too;
   * x and R from U(−1, 1).
   */
  static final double HARD_SCALE = 2.5;

  /** One configuration; the shapes are drawn from its seed. */
  record Config(int index, Activation activation, Activation recurrentActivation, boolean useBias,
      boolean returnSequences, int units, int features, int timesteps, int batch, long seed) {

    String attributes() {
      return "units = " + units + ", timesteps = " + timesteps + ", features = " + features
          + ", activation = Activation." + activation + ", recurrentActivation = Activation." + recurrentActivation
          + ", useBias = " + useBias + ", returnSequences = " + returnSequences + ", unitForgetBias = false";
    }

    String className() {
      return "Fd" + index;
    }

    @Override
    public String toString() {
      return "activation=" + activation + ", recurrentActivation=" + recurrentActivation + ", useBias=" + useBias
          + ", returnSequences=" + returnSequences + ", U=" + units + " F=" + features + " T=" + timesteps
          + " batch=" + batch;
    }
  }

  static final List<Config> CONFIGS = configs().toList();

  /** Every configuration's model, compiled in one javac run on first use. */
  private static final class Compiled {
    static final Map<String, Class<?>> MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (Config c : CONFIGS) {
        declarations.put(c.className(), c.attributes());
      }
      MODELS = TestModels.compileLstms(declarations);
    }
  }

  static Stream<Config> configs() {
    Random shapes = new Random(20240611L);
    List<Config> list = new ArrayList<>();
    int index = 0;
    for (Activation act : LSTM_ACTIVATIONS) {
      for (Activation rec : LSTM_ACTIVATIONS) {
        for (boolean useBias : new boolean[] {true, false}) {
          for (boolean seq : new boolean[] {true, false}) {
            list.add(new Config(index++, act, rec, useBias, seq, 1 + shapes.nextInt(5), 1 + shapes.nextInt(4),
                1 + shapes.nextInt(6), 1 + shapes.nextInt(3), shapes.nextLong()));
          }
        }
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("configs")
  void gradientsMatchCentralDifferences(Config c) {
    SequenceModel model = TestModels.newModel(Compiled.MODELS.get(c.className()), 1L);
    int u = c.units();
    int f = c.features();
    int t = c.timesteps();
    int b = c.batch();
    int[] outShape = c.returnSequences() ? new int[] {b, t, u} : new int[] {b, u};
    ReferenceStack reference = new ReferenceStack(List.of(new LstmSpec(u, c.activation(), c.recurrentActivation(),
        c.useBias(), c.returnSequences(), false, false)), t, f);

    // draw weights, x and R until no activation argument is near a kink
    Random rnd = new Random(c.seed());
    List<Tensor> weights = null;
    Tensor x = null;
    ReferenceStack.Result ref = null;
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      double s = isHard(c.activation()) || isHard(c.recurrentActivation()) ? HARD_SCALE : 1.0;
      weights = new ArrayList<>(List.of(Tensors.uniform(rnd, s, f, 4 * u), Tensors.uniform(rnd, s, u, 4 * u)));
      if (c.useBias()) {
        weights.add(Tensors.uniform(rnd, s, 4 * u));
      }
      x = Tensors.uniform(rnd, 1.0, b, t, f);
      ref = reference.forward(weights, x, null, null);
      if (ref.kinkMargin >= KINK_MARGIN) {
        break;
      }
      ref = null;
    }
    if (ref == null) {
      fail(c + ": no draw in " + MAX_DRAWS + " kept every activation argument " + KINK_MARGIN + " from a kink");
    }
    Tensor r = Tensors.uniform(rnd, 1.0, outShape);
    model.setWeights(weights);

    // the forward pass against the reference
    Tensor expected = ref.output;
    Tensor out = model.predict(x);
    Tensors.assertClose(c + " predict vs reference", expected, out, 1e-10, 1e-12 * Math.max(1, Tensors.maxAbs(expected)));

    Gradients analytic = model.gradients(x, r);
    assertEquals(weights.size(), analytic.weights().size(), c + ": number of weight gradients");
    double floor = FiniteDifferences.floor(FiniteDifferences.sumAbs(out, r));

    Tensor input = x;
    List<String> failures = new ArrayList<>();
    String[] names = {"kernel", "recurrent_kernel", "bias"};
    for (int k = 0; k < weights.size(); k++) {
      List<Tensor> w = weights;
      double[] fd = FiniteDifferences.central(weights.get(k).data(), () -> {
        model.setWeights(w);
        return FiniteDifferences.dot(model.predict(input), r);
      });
      model.setWeights(weights);
      FiniteDifferences.compare(names[k], Tensor.wrap(fd, weights.get(k).shape()), analytic.weights().get(k), floor,
          failures);
    }
    double[] fdx = FiniteDifferences.central(x.data(), () -> FiniteDifferences.dot(model.predict(input), r));
    FiniteDifferences.compare("x", Tensor.wrap(fdx, x.shape()), analytic.input(), floor, failures);
    FiniteDifferences.assertNone(c, failures);
  }

  private static boolean isHard(Activation a) {
    return a == Activation.HARD_SIGMOID || a == Activation.HARD_SIGMOID_KERAS3;
  }
}
