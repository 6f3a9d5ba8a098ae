package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ReferenceStack.LstmSpec;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.ReferenceStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers whose recurrent kernel U is larger than 1 MB, for which the generated step multiplies
 * h_{t-1} by U in tiles of columns (float64 from 182 units) on the scalar kernels as on the Vector API's
 * (the rule of {@code Kernels.prefersTiled}, applied when the layer class is initialised): the output against {@link ReferenceStack},
 * and gradients against central differences at a random sample of the weights and inputs (all of them
 * would be 133,000 and more), and dL/dh0 of one sample at every unit. 182 units (four rows per pass,
 * with bias) and 183 (three single last rows, without bias, going backwards).
 */
class WideLayerTest {
  static final double EPS = 1e-6;
  static final int SAMPLES = 40;

  static final Map<String, ReferenceStack> STACKS = new LinkedHashMap<>();

  static {
    STACKS.put("Wide182", new ReferenceStack(List.of(
        new LstmSpec(182, Activation.TANH, Activation.SIGMOID, true, true, false, false)), 3, 3));
    STACKS.put("Wide183", new ReferenceStack(List.of(
        new LstmSpec(183, Activation.TANH, Activation.SIGMOID, false, false, false, true)), 2, 2));
  }

  private static final class Compiled {
    static final TestModels.Compiled MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      STACKS.forEach((name, stack) -> declarations.put(name, stack.annotations()));
      MODELS = TestModels.compile(declarations);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Wide182", "Wide183"})
  void tiledStepMatchesTheReferenceAndFiniteDifferences(String name) {
    ReferenceStack stack = STACKS.get(name);
    SequenceModel model = Compiled.MODELS.model(name);
    // over 1 MB of U, the runtime's rule tiles on either kernels
    assertTrue(tiled(Compiled.MODELS.get(name)), name + ": the step is the tiled form");
    Random rnd = new Random(name.hashCode());
    int batch = 3;
    int units = stack.firstUnits();
    List<Tensor> weights = new ArrayList<>();
    for (int[] shape : stack.weightShapes()) {
      // small weights keep the 182 terms of each pre-activation in tanh's and sigmoid's curved range
      weights.add(Tensors.uniform(rnd, 0.1, shape));
    }
    Tensor x = Tensors.uniform(rnd, 1.0, batch, stack.timesteps, stack.features);
    model.setWeights(weights);

    Tensor out = model.predict(x);
    ReferenceStack.Result ref = stack.forward(weights, x, Tensor.zeros(batch, units), Tensor.zeros(batch, units));
    Tensors.assertClose(name + " predict vs reference", ref.output, out, 1e-10, 1e-12);

    Tensor r = Tensors.uniform(rnd, 1.0, out.shape());
    Gradients analytic = model.gradients(x, r);
    for (int s = 0; s < SAMPLES; s++) {
      int k = rnd.nextInt(weights.size() + 1);
      boolean input = k == weights.size();
      Tensor target = input ? x : weights.get(k);
      int i = rnd.nextInt(target.size());
      double saved = target.data()[i];
      target.data()[i] = saved + EPS;
      double plus = loss(model, weights, x, r);
      target.data()[i] = saved - EPS;
      double minus = loss(model, weights, x, r);
      target.data()[i] = saved;
      double fd = (plus - minus) / (2 * EPS);
      double a = (input ? analytic.input() : analytic.weights().get(k)).data()[i];
      double bound = 1e-6 * Math.max(Math.abs(a), Math.abs(fd)) + 1e-8 * Math.max(1, Tensors.maxAbs(out) * out.size());
      assertTrue(Math.abs(a - fd) <= bound, name + (input ? " dx" : " dWeights[" + k + "]") + "[" + i + "]: analytic " + a
          + ", central difference " + fd);
    }
  }

  /**
   * dL/dh0 of one sample, every one of its 182 values, against central differences: the backward
   * pass's dz_t @ U^T at t = 0, through every tile of units.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Wide182"})
  void initialStateGradientMatchesFiniteDifferencesInEveryTile(String name) {
    ReferenceStack stack = STACKS.get(name);
    SequenceModel model = Compiled.MODELS.model(name);
    Random rnd = new Random(7);
    int batch = 2;
    int units = stack.firstUnits();
    List<Tensor> weights = new ArrayList<>();
    for (int[] shape : stack.weightShapes()) {
      weights.add(Tensors.uniform(rnd, 0.1, shape));
    }
    model.setWeights(weights);
    Tensor x = Tensors.uniform(rnd, 1.0, batch, stack.timesteps, stack.features);
    Tensor h0 = Tensors.uniform(rnd, 0.5, batch, units);
    Tensor c0 = Tensors.uniform(rnd, 0.5, batch, units);
    Tensor r = Tensors.uniform(rnd, 1.0, model.predict(x).shape());
    Gradients analytic = model.gradients(x, List.of(h0, c0), r, null);
    Tensor dh0 = analytic.initialState().get(0);
    for (int i = 0; i < units; i++) {
      double saved = h0.data()[i];
      h0.data()[i] = saved + EPS;
      double plus = dot(model.predict(x, List.of(h0, c0), null), r);
      h0.data()[i] = saved - EPS;
      double minus = dot(model.predict(x, List.of(h0, c0), null), r);
      h0.data()[i] = saved;
      double fd = (plus - minus) / (2 * EPS);
      double a = dh0.data()[i];
      assertTrue(Math.abs(a - fd) <= 1e-6 * Math.max(Math.abs(a), Math.abs(fd)) + 1e-8,
          name + " dh0[0][" + i + "]: analytic " + a + ", central difference " + fd);
    }
  }

  private static double dot(Tensor out, Tensor r) {
    double l = 0;
    for (int i = 0; i < out.size(); i++) {
      l += out.data()[i] * r.data()[i];
    }
    return l;
  }

  private static double loss(SequenceModel model, List<Tensor> weights, Tensor x, Tensor r) {
    model.setWeights(weights);
    Tensor out = model.predict(x);
    double l = 0;
    for (int i = 0; i < out.size(); i++) {
      l += out.data()[i] * r.data()[i];
    }
    return l;
  }

  /** The TILED constant of the model's LSTM layer class. */
  private static boolean tiled(Class<?> model) {
    try {
      for (Class<?> nested : model.getDeclaredClasses()) {
        for (java.lang.reflect.Field f : nested.getDeclaredFields()) {
          if (f.getName().equals("TILED")) {
            f.setAccessible(true);
            return f.getBoolean(null);
          }
        }
      }
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError(model.getName() + " has no layer class with TILED");
  }
}
