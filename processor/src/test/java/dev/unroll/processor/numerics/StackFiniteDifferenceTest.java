package dev.unroll.processor.numerics;

import static dev.unroll.processor.testing.FiniteDifferences.KINK_MARGIN;
import static dev.unroll.processor.testing.FiniteDifferences.MAX_DRAWS;
import static dev.unroll.processor.testing.FiniteDifferences.dot;
import static dev.unroll.processor.testing.FiniteDifferences.sumAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.Activation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ReferenceStack.DenseSpec;
import dev.unroll.processor.testing.ReferenceStack.LstmSpec;
import dev.unroll.processor.testing.ReferenceStack.Spec;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.FiniteDifferences;
import dev.unroll.processor.testing.ReferenceStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through whole stacks against central finite differences, at random small shapes
 * drawn from a fixed seed: 1–3 LSTM layers (sequences between them), 0–2 Dense layers (every
 * activation, SOFTMAX with 2–3 units), goBackwards on any LSTM layer, no bias on some layers, the last
 * LSTM returning sequences (Dense per timestep) or its last output, returnState on a last LSTM, and
 * with or without an initial state; LSTM activations mostly the defaults, sometimes any other.
 *
 * <p>The loss is {@code L = sum(out ⊙ R)}, plus {@code sum(h_T ⊙ Rh) + sum(c_T ⊙ Rc)} with
 * returnState (through {@code predictWithState} / {@code gradientsWithState}), for random R, Rh, Rc.
 * Every weight, every input value and every value of the initial state [h0, c0] is perturbed by
 * ±{@value FiniteDifferences#EPS} and {@code (L+ − L−) / 2ε} is compared with the analytic gradient:
 * {@code |analytic − fd| ≤ 1e-6·max(|analytic|, |fd|) + 1e-8·max(1, Σ|terms of L|)} (the tolerance of
 * {@link FiniteDifferenceTest}, in {@link FiniteDifferences}; the second term bounds the rounding error of the quotient).
 * Without an initial state the model's d/dh0, d/dc0 (at the zero state) are compared with differences
 * taken around an explicit zero state, after checking that a zero state and none give the same output.
 *
 * <p>Kinks: weights and inputs are drawn again until no activation argument is within
 * {@value FiniteDifferences#KINK_MARGIN} of a kink (as {@link ReferenceStack} measures), so that no quotient crosses one.
 *
 * <p>The forward pass (and h_T, c_T) is also checked against {@link ReferenceStack}.
 */
class StackFiniteDifferenceTest {
  static final int CONFIGS = 60;
  /** Added to the batch of every third configuration. */
  static final int WIDE = 16;

  static final List<Activation> LSTM_ACTIVATIONS =
      Arrays.stream(Activation.values()).filter(a -> a != Activation.SOFTMAX).toList();

  /** One configuration: a stack, its shapes, whether it gets an initial state, and its seed. */
  record Config(int index, ReferenceStack stack, int batch, boolean initialState, long seed) {
    String className() {
      return "Fd" + index;
    }

    boolean returnState() {
      Spec last = stack.layers.get(stack.layers.size() - 1);
      return last instanceof LstmSpec && ((LstmSpec) last).returnState();
    }

    @Override
    public String toString() {
      return stack.annotations() + " batch=" + batch + (initialState ? " with initial state" : "");
    }
  }

  static final List<Config> ALL = draw();

  private static final class Compiled {
    static final TestModels.Compiled MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (Config c : ALL) {
        declarations.put(c.className(), c.stack.annotations());
      }
      MODELS = TestModels.compile(declarations);
    }
  }

  static Stream<Config> configs() {
    return ALL.stream();
  }

  private static List<Config> draw() {
    Random rnd = new Random(20250611L);
    Activation[] dense = Activation.values();
    List<Config> list = new ArrayList<>();
    for (int n = 0; n < CONFIGS; n++) {
      int lstms = 1 + rnd.nextInt(3);
      int denses = rnd.nextInt(3);
      List<Spec> layers = new ArrayList<>();
      for (int i = 0; i < lstms; i++) {
        boolean last = i == lstms - 1;
        boolean seq = !last || rnd.nextBoolean();
        Activation act = Activation.TANH;
        Activation rec = Activation.SIGMOID;
        if (rnd.nextInt(5) == 0) {
          act = LSTM_ACTIVATIONS.get(rnd.nextInt(LSTM_ACTIVATIONS.size()));
          rec = LSTM_ACTIVATIONS.get(rnd.nextInt(LSTM_ACTIVATIONS.size()));
        }
        layers.add(new LstmSpec(1 + rnd.nextInt(4), act, rec, rnd.nextInt(4) != 0, seq,
            last && denses == 0 && rnd.nextBoolean(), rnd.nextInt(3) == 0));
      }
      for (int i = 0; i < denses; i++) {
        // cycle through the activations so that every one is used, in first and second Dense layers
        Activation a = dense[(n + i * 3) % dense.length];
        int units = a == Activation.SOFTMAX ? 2 + rnd.nextInt(2) : 1 + rnd.nextInt(3);
        layers.add(new DenseSpec(units, a, rnd.nextInt(4) != 0));
      }
      ReferenceStack stack = new ReferenceStack(layers, 1 + rnd.nextInt(5), 1 + rnd.nextInt(3));
      // every third configuration at 17-19 samples, a batch as trainers use, wider than a vector of floats
      int batch = (n % 3 == 0 ? WIDE : 0) + 1 + rnd.nextInt(3);
      list.add(new Config(n, stack, batch, rnd.nextBoolean(), rnd.nextLong()));
    }
    // two wider ones: 40 and 41 units (the products' four-row passes, with and without a single last row)
    list.add(new Config(CONFIGS, new ReferenceStack(List.of(new LstmSpec(40, Activation.TANH, Activation.SIGMOID,
        true, true, false, false), new DenseSpec(2, Activation.LINEAR, true)), 3, 2), 5, true, rnd.nextLong()));
    list.add(new Config(CONFIGS + 1, new ReferenceStack(List.of(new LstmSpec(41, Activation.TANH, Activation.SIGMOID,
        false, false, true, true)), 2, 3), WIDE + 2, false, rnd.nextLong()));
    return list;
  }

  /** The drawn configurations cover every option the test is meant to exercise. */
  @Test
  void configurationsCoverEveryOption() {
    Set<String> seen = new TreeSet<>();
    Set<Activation> denseActivations = EnumSet.noneOf(Activation.class);
    for (Config c : ALL) {
      List<Spec> layers = c.stack.layers;
      long lstms = layers.stream().filter(LstmSpec.class::isInstance).count();
      seen.add("lstms=" + lstms);
      seen.add("denses=" + (layers.size() - lstms));
      seen.add(c.initialState ? "initial state" : "no initial state");
      seen.add(c.batch > WIDE ? "wide batch" : "small batch");
      if (c.stack.layers.get(0) instanceof LstmSpec && ((LstmSpec) c.stack.layers.get(0)).units() > 32) {
        seen.add("wide layer");
      }
      for (int i = 0; i < layers.size(); i++) {
        Spec s = layers.get(i);
        if (s instanceof LstmSpec) {
          LstmSpec l = (LstmSpec) s;
          if (l.goBackwards()) {
            seen.add("goBackwards on lstm " + (i == 0 ? "first" : i == lstms - 1 ? "last" : "middle"));
          }
          if (!l.useBias()) {
            seen.add("lstm without bias");
          }
          if (i == lstms - 1) {
            seen.add("last lstm returnSequences=" + l.returnSequences() + (lstms < layers.size() ? " +dense" : ""));
          }
          if (l.returnState()) {
            seen.add("returnState" + (lstms > 1 ? " on a stack" : "") + (l.returnSequences() ? " with sequences" : ""));
          }
          if (l.activation() != Activation.TANH || l.recurrentActivation() != Activation.SIGMOID) {
            seen.add("other lstm activations");
          }
        } else {
          DenseSpec d = (DenseSpec) s;
          denseActivations.add(d.activation());
          if (!d.useBias()) {
            seen.add("dense without bias");
          }
          if (i == layers.size() - 2) {
            seen.add("dense before dense");
          }
        }
      }
    }
    List<String> expected = List.of("lstms=1", "lstms=2", "lstms=3", "denses=0", "denses=1", "denses=2",
        "initial state", "no initial state", "goBackwards on lstm first", "goBackwards on lstm middle",
        "goBackwards on lstm last", "lstm without bias", "dense without bias", "dense before dense",
        "last lstm returnSequences=true", "last lstm returnSequences=false", "last lstm returnSequences=true +dense",
        "last lstm returnSequences=false +dense", "returnState", "returnState on a stack",
        "returnState with sequences", "returnState on a stack with sequences", "other lstm activations",
        "wide batch", "small batch", "wide layer");
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(seen);
    assertTrue(missing.isEmpty(), "not covered: " + missing + "; covered: " + seen);
    assertEquals(EnumSet.allOf(Activation.class), denseActivations, "Dense activations covered");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("configs")
  void gradientsMatchCentralDifferences(Config c) {
    SequenceModel model = Compiled.MODELS.model(c.className());
    ReferenceStack stack = c.stack;
    int b = c.batch;
    int t = stack.timesteps;
    int f = stack.features;
    int u0 = stack.firstUnits();
    Spec lastSpec = stack.layers.get(stack.layers.size() - 1);
    int outWidth = lastSpec.units();
    int[] outShape = stack.returnsSequences() ? new int[] {b, t, outWidth} : new int[] {b, outWidth};
    int lastLstmUnits = 0;
    for (Spec s : stack.layers) {
      if (s instanceof LstmSpec) {
        lastLstmUnits = s.units();
      }
    }

    // draw weights, x and the initial state until no activation argument is near a kink
    Random rnd = new Random(c.seed);
    List<Tensor> weights = null;
    Tensor x = null;
    Tensor h0 = null;
    Tensor c0 = null;
    ReferenceStack.Result ref = null;
    for (int d = 0; d < MAX_DRAWS && ref == null; d++) {
      weights = new ArrayList<>();
      for (int[] shape : stack.weightShapes()) {
        weights.add(Tensors.uniform(rnd, 1.0, shape));
      }
      x = Tensors.uniform(rnd, 1.0, b, t, f);
      h0 = c.initialState ? Tensors.uniform(rnd, 1.0, b, u0) : Tensor.zeros(b, u0);
      c0 = c.initialState ? Tensors.uniform(rnd, 1.0, b, u0) : Tensor.zeros(b, u0);
      ref = stack.forward(weights, x, h0, c0);
      if (ref.kinkMargin < KINK_MARGIN) {
        ref = null;
      }
    }
    if (ref == null) {
      fail(c + ": no draw in " + MAX_DRAWS + " kept every activation argument " + KINK_MARGIN + " from a kink");
    }
    Tensor r = Tensors.uniform(rnd, 1.0, outShape);
    Tensor rh = Tensors.uniform(rnd, 1.0, b, lastLstmUnits);
    Tensor rc = Tensors.uniform(rnd, 1.0, b, lastLstmUnits);
    model.setWeights(weights);
    List<Tensor> init = c.initialState ? List.of(h0, c0) : null;
    List<Tensor> explicit = List.of(h0, c0);

    // the forward pass against the reference
    Tensor out = model.predict(x, init, null);
    double scale = Math.max(1, Tensors.maxAbs(ref.output));
    Tensors.assertClose(c + " predict vs reference", ref.output, out, 1e-10, 1e-12 * scale);
    if (!c.initialState) {
      assertEquals(out, model.predict(x, explicit, null), c + ": a zero initial state and none give the same output");
    }
    if (c.returnState()) {
      List<Tensor> all = TestModels.predictWithState(model, x, init);
      assertEquals(3, all.size(), c + ": predictWithState returns [out, h_T, c_T]");
      assertEquals(out, all.get(0), c + ": predictWithState's output is predict's");
      Tensors.assertClose(c + " h_T vs reference", ref.hT, all.get(1), 1e-10, 1e-12);
      Tensors.assertClose(c + " c_T vs reference", ref.cT, all.get(2), 1e-10, 1e-12 * Math.max(1, Tensors.maxAbs(ref.cT)));
    }

    // the analytic gradients
    Gradients analytic;
    if (c.returnState()) {
      analytic = TestModels.gradientsWithState(model, x, init, List.of(r, rh, rc), null);
      Gradients plain = model.gradients(x, init, r, null);
      Gradients zeroState = TestModels.gradientsWithState(model, x, init,
          List.of(r, Tensor.zeros(b, lastLstmUnits), Tensor.zeros(b, lastLstmUnits)), null);
      assertEquals(plain.input(), zeroState.input(), c + ": gradientsWithState with dh_T = dc_T = 0 is gradients");
      assertEquals(plain.weights(), zeroState.weights(), c + ": gradientsWithState with dh_T = dc_T = 0 is gradients");
    } else {
      analytic = model.gradients(x, init, r, null);
    }
    assertEquals(weights.size(), analytic.weights().size(), c + ": number of weight gradients");
    assertEquals(2, analytic.initialState().size(), c + ": [dh0, dc0]");

    Loss loss = (w, xx, state) -> {
      if (w != null) {
        model.setWeights(w);
      }
      if (c.returnState()) {
        List<Tensor> all = TestModels.predictWithState(model, xx, state);
        return dot(all.get(0), r) + dot(all.get(1), rh) + dot(all.get(2), rc);
      }
      return dot(model.predict(xx, state, null), r);
    };
    double magnitude = sumAbs(out, r);
    if (c.returnState()) {
      List<Tensor> all = TestModels.predictWithState(model, x, init);
      magnitude += sumAbs(all.get(1), rh) + sumAbs(all.get(2), rc);
    }
    double floor = FiniteDifferences.floor(magnitude);

    List<String> failures = new ArrayList<>();
    for (int k = 0; k < weights.size(); k++) {
      List<Tensor> w = weights;
      Tensor input = x;
      double[] fd = FiniteDifferences.central(weights.get(k).data(), () -> loss.at(w, input, explicit));
      model.setWeights(weights);
      FiniteDifferences.compare("weights[" + k + "]", Tensor.wrap(fd, weights.get(k).shape()),
          analytic.weights().get(k), floor, failures);
    }
    for (Object[] target : new Object[][] {{"x", x, analytic.input()}, {"h0", h0, analytic.initialState().get(0)},
        {"c0", c0, analytic.initialState().get(1)}}) {
      Tensor v = (Tensor) target[1];
      Tensor input = x;
      double[] fd = FiniteDifferences.central(v.data(), () -> loss.at(null, input, explicit));
      FiniteDifferences.compare((String) target[0], Tensor.wrap(fd, v.shape()), (Tensor) target[2], floor, failures);
    }
    FiniteDifferences.assertNone(c, failures);
  }

  private interface Loss {
    double at(List<Tensor> weights, Tensor x, List<Tensor> initialState);
  }
}
