package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The state of a stepper ({@code state()}, {@code restore}): saving it after k steps, stepping another
 * stream, restoring it (into the same stepper or a new one) and stepping on gives exactly the outputs
 * of never stopping, bit for bit, for every k, in float64 and float32, in the written-out (scalar)
 * form and the kernel form, for stacks with Dense heads. A saved state holds h and c of every LSTM
 * layer, nothing else; wrong lengths and non-finite values are refused naming what was expected and
 * leave the stepper unchanged.
 */
class StepperStateTest {

  /** A model and the sizes of its LSTM layers' units, in order. */
  record Case(String name, String declaration, int[] units) {
    @Override
    public String toString() {
      return name + " " + declaration;
    }
  }

  static final List<Case> CASES = List.of(
      new Case("OneUnit", "@Lstm(units = 1, timesteps = 5, features = 1)", new int[] {1}),
      new Case("Scalar", "@Lstm(units = 4, timesteps = 6, features = 3)", new int[] {4}),
      new Case("Kernel", "@Lstm(units = 24, timesteps = 6, features = 3, returnSequences = true)", new int[] {24}),
      new Case("Stack", "@Lstm(units = 5, timesteps = 7, features = 2, returnSequences = true)"
          + " @Lstm(units = 20, returnSequences = true, useBias = false) @Lstm(units = 3)"
          + " @Dense(units = 3, activation = Activation.TANH) @Dense(units = 2, activation = Activation.SOFTMAX)",
          new int[] {5, 20, 3}),
      new Case("Single", "@Float32 @Lstm(units = 4, timesteps = 6, features = 3, returnSequences = true)"
          + " @Dense(units = 2)", new int[] {4}),
      new Case("SingleStack", "@Float32 @Lstm(units = 20, timesteps = 5, features = 2, returnSequences = true)"
          + " @Lstm(units = 3) @Dense(units = 1)", new int[] {20, 3}));

  private static final class Compiled {
    static final TestModels.Compiled MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (Case c : CASES) {
        declarations.put(c.name(), c.declaration());
      }
      MODELS = TestModels.compile(declarations);
    }
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  static SequenceModel model(Case c) {
    SequenceModel model = Compiled.MODELS.model(c.name());
    Random rnd = new Random(c.name().hashCode());
    List<Tensor> w = model.getWeights();
    for (Tensor t : w) {
      Tensor r = Tensors.uniform(rnd, 1.0, t.shape());
      System.arraycopy(r.data(), 0, t.data(), 0, t.size());
    }
    model.setWeights(w);
    return model;
  }

  /** Steps of one stream, longer than the model's timesteps: a stream does not end. */
  static double[][] stream(Stepper s, long seed, int steps) {
    Random rnd = new Random(seed);
    double[][] x = new double[steps][s.inputSize()];
    for (double[] row : x) {
      for (int i = 0; i < row.length; i++) {
        row[i] = rnd.nextDouble() * 2 - 1;
      }
    }
    return x;
  }

  static double[][] run(Stepper s, double[][] x, int from, int to) {
    double[][] out = new double[to - from][];
    for (int t = from; t < to; t++) {
      out[t - from] = s.step(x[t]).clone();
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void saveRestoreAndContinueEqualsNeverStopping(Case c) {
    SequenceModel model = model(c);
    int steps = 12;
    double[][] x = stream(model.stepper(), 1, steps);
    double[][] other = stream(model.stepper(), 2, steps);
    Stepper reference = model.stepper();
    double[][] expected = run(reference, x, 0, steps);
    for (int k = 0; k <= steps; k++) {
      Stepper s = model.stepper();
      run(s, x, 0, k);
      double[] saved = s.state();
      // the same stepper, after another stream and a reset
      run(s, other, 0, 5);
      s.reset();
      run(s, other, 0, 3);
      s.restore(saved);
      double[][] resumed = run(s, x, k, steps);
      // a new stepper, from a copy of the saved values (as if read back after a restart)
      Stepper fresh = model.stepper();
      fresh.restore(saved.clone());
      double[][] resumedFresh = run(fresh, x, k, steps);
      for (int t = k; t < steps; t++) {
        assertArrayEquals(expected[t], resumed[t - k], 0.0, c.name() + ": saved after " + k + ", step " + t);
        assertArrayEquals(expected[t], resumedFresh[t - k], 0.0,
            c.name() + ": restored into a new stepper after " + k + ", step " + t);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theStateIsHAndCOfEveryLstmLayer(Case c) {
    SequenceModel model = model(c);
    Stepper s = model.stepper();
    int expected = 0;
    for (int u : c.units()) {
      expected += 2 * u;
    }
    assertEquals(expected, s.stateSize(), c + ": stateSize");
    assertEquals(expected, s.state().length);
    // a new stepper and a reset one are at zero
    assertArrayEquals(new double[expected], s.state(), 0.0);
    double[][] x = stream(s, 3, 4);
    run(s, x, 0, 4);
    double[] after = s.state();
    boolean nonZero = false;
    for (double v : after) {
      nonZero |= v != 0.0;
      assertTrue(Math.abs(v) < 1e6 && Double.isFinite(v), c + ": state value " + v);
    }
    assertTrue(nonZero, c + ": state after 4 steps is all zero");
    // the state is a copy: changing it does not change the stepper
    java.util.Arrays.fill(after, 0.5);
    assertTrue(s.state()[0] != 0.5 || s.state()[expected - 1] != 0.5, c + ": state() shares its array");
    s.reset();
    assertArrayEquals(new double[expected], s.state(), 0.0, c + ": state after reset");
    // state(into)
    double[] into = new double[expected];
    run(s, x, 0, 2);
    s.state(into);
    assertArrayEquals(s.state(), into, 0.0);
    // the layout names every layer's h and c with its range
    String text = s.stateLayout();
    int offset = 0;
    for (int i = 0; i < c.units().length; i++) {
      int u = c.units()[i];
      String h = "h [" + offset + ", " + (offset + u) + ")";
      String cc = "c [" + (offset + u) + ", " + (offset + 2 * u) + ")";
      assertTrue(text.contains(h) && text.contains(cc), c + ": layout " + text + " lacks " + h + " or " + cc);
      offset += 2 * u;
    }
    assertTrue(text.startsWith("lstm: "), text);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badStatesAreRefusedAndChangeNothing(Case c) {
    SequenceModel model = model(c);
    Stepper s = model.stepper();
    int n = s.stateSize();
    double[][] x = stream(s, 4, 8);
    run(s, x, 0, 3);
    double[] before = s.state();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restore(new double[n + 1]));
    assertTrue(e.getMessage().contains("length " + n) && e.getMessage().contains("length " + (n + 1)),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.restore(new double[n - 1]));
    assertTrue(e.getMessage().contains("length " + n) && e.getMessage().contains("length " + (n - 1)),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.state(new double[n + 2]));
    assertTrue(e.getMessage().contains("length " + n) && e.getMessage().contains("length " + (n + 2)),
        e.getMessage());
    double[] bad = new double[n];
    bad[n - 1] = Double.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> s.restore(bad));
    int last = c.units()[c.units().length - 1];
    assertTrue(e.getMessage().contains("c[" + (last - 1) + "]") && e.getMessage().contains("NaN"), e.getMessage());
    assertThrows(NullPointerException.class, () -> s.restore(null));
    assertArrayEquals(before, s.state(), 0.0, c + ": a refused restore changed the state");
    // and stepping goes on as if nothing happened
    Stepper reference = model.stepper();
    double[][] expected = run(reference, x, 0, 8);
    double[][] got = run(s, x, 3, 8);
    for (int t = 3; t < 8; t++) {
      assertArrayEquals(expected[t], got[t - 3], 0.0, c + ": step " + t + " after refused restores");
    }
  }
}
