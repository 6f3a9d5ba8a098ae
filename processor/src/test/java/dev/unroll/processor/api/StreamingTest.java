package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stepper ({@code model.stepper()}): stepping through a sequence gives, at every step, what
 * {@code predict} gives for that step, to {@value #TOLERANCE} in float64. For a model returning
 * sequences that is row t of its prediction. A model returning its last output has no per-step
 * prediction, so the steps are compared with a twin that returns sequences (its last LSTM layer
 * declared with {@code returnSequences = true}, everything else and the weights the same), and the
 * last step with the model's own prediction. Also: {@code reset()} starts over, two steppers are
 * independent, steps allocate nothing, a wrong length is an IllegalArgumentException naming the
 * lengths, and a model with a goBackwards layer has no stepper.
 */
class StreamingTest {
  static final double TOLERANCE = 1e-12;
  static final int BATCH = 3;

  /** A model; {@code twin} is the returnSequences twin of a last-output model, else null. */
  record Case(String name, String declaration, String twin) {
    @Override
    public String toString() {
      return name + " " + declaration;
    }
  }

  static final List<Case> CASES = List.of(
      new Case("SeqSingle", "@Lstm(units = 4, timesteps = 6, features = 3, returnSequences = true)", null),
      new Case("SeqDense", "@Lstm(units = 4, timesteps = 6, features = 3, returnSequences = true)"
          + " @Dense(units = 3, activation = Activation.TANH) @Dense(units = 2, activation = Activation.SOFTMAX)", null),
      new Case("SeqStack", "@Lstm(units = 5, timesteps = 7, features = 2, returnSequences = true)"
          + " @Lstm(units = 3, returnSequences = true, useBias = false) @Lstm(units = 2, returnSequences = true)"
          + " @Dense(units = 2)", null),
      new Case("LastSingle", "@Lstm(units = 4, timesteps = 5, features = 3)",
          "@Lstm(units = 4, timesteps = 5, features = 3, returnSequences = true)"),
      new Case("LastDense", "@Lstm(units = 4, timesteps = 5, features = 3, activation = Activation.RELU)"
          + " @Dense(units = 3, activation = Activation.RELU) @Dense(units = 2, activation = Activation.SIGMOID)",
          "@Lstm(units = 4, timesteps = 5, features = 3, activation = Activation.RELU, returnSequences = true)"
          + " @Dense(units = 3, activation = Activation.RELU) @Dense(units = 2, activation = Activation.SIGMOID)"),
      new Case("LastStack", "@Lstm(units = 5, timesteps = 6, features = 2, returnSequences = true)"
          + " @Lstm(units = 3, returnSequences = true) @Lstm(units = 3) @Dense(units = 1)",
          "@Lstm(units = 5, timesteps = 6, features = 2, returnSequences = true)"
          + " @Lstm(units = 3, returnSequences = true) @Lstm(units = 3, returnSequences = true) @Dense(units = 1)"),
      new Case("LastLong", "@Lstm(units = 3, timesteps = 40, features = 2, returnSequences = true)"
          + " @Lstm(units = 2) @Dense(units = 3, activation = Activation.SOFTMAX)",
          "@Lstm(units = 3, timesteps = 40, features = 2, returnSequences = true)"
          + " @Lstm(units = 2, returnSequences = true) @Dense(units = 3, activation = Activation.SOFTMAX)"),
      new Case("SeqGru", "@Gru(units = 4, timesteps = 6, features = 3, returnSequences = true)", null));

  private static final class Compiled {
    static final TestModels.Compiled MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (Case c : CASES) {
        declarations.put(c.name(), c.declaration());
        if (c.twin() != null) {
          declarations.put(c.name() + "Twin", c.twin());
        }
      }
      declarations.put("Backwards", "@Lstm(units = 3, timesteps = 4, features = 2, goBackwards = true)");
      declarations.put("BackwardsInside", "@Lstm(units = 3, timesteps = 4, features = 2, returnSequences = true)"
          + " @Lstm(units = 2, returnSequences = true, goBackwards = true) @Lstm(units = 2) @Dense(units = 1)");
      MODELS = TestModels.compile(declarations);
    }
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  /** A model with random weights, and its returnSequences twin with the same weights (or the model itself). */
  static SequenceModel[] models(Case c) {
    SequenceModel model = Compiled.MODELS.model(c.name());
    Random rnd = new Random(c.name().hashCode());
    List<Tensor> w = model.getWeights();
    for (Tensor t : w) {
      Tensor r = Tensors.uniform(rnd, 1.0, t.shape());
      System.arraycopy(r.data(), 0, t.data(), 0, t.size());
    }
    model.setWeights(w);
    SequenceModel seq = model;
    if (c.twin() != null) {
      seq = Compiled.MODELS.model(c.name() + "Twin");
      seq.setWeights(w);
    }
    return new SequenceModel[] {model, seq};
  }

  static Tensor input(SequenceModel model, long seed) {
    int[] in = model.inputShape();
    return Tensors.uniform(new Random(seed), 1.0, BATCH, in[0], in[1]);
  }

  /** Steps sample {@code b} of x through {@code s} (from its current state) and checks every step. */
  static void stepThrough(String what, Stepper s, Tensor x, int b, Tensor seqOut, Tensor lastOut) {
    int t = x.dim(1);
    double[] step = null;
    for (int i = 0; i < t; i++) {
      double[] in = Tensors.row(x, b, i);
      double[] given = in.clone();
      step = s.step(in);
      // the stepper reads the caller's array in place (float64): it must never write to it
      assertArrayEquals(given, in, what + ": step " + i + " changed its input");
      double[] expected = Tensors.row(seqOut, b, i);
      double diff = Tensors.maxAbsDiff(expected, step);
      assertTrue(diff <= TOLERANCE, what + ": sample " + b + ", step " + i + " differs from predict by " + diff);
    }
    double diff = Tensors.maxAbsDiff(Tensors.row(lastOut, b), step);
    assertTrue(diff <= TOLERANCE, what + ": sample " + b + ", last step differs from predict by " + diff);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void stepsGiveWhatPredictGives(Case c) {
    SequenceModel[] m = models(c);
    Tensor x = input(m[0], 1);
    Tensor seqOut = m[1].predict(x);
    Tensor out = m[0].predict(x);
    Tensor lastOut = out.rank() == 2 ? out : lastSteps(out);
    if (c.twin() != null) {
      // the twin's last step is the model's output: the twin is a twin
      Tensors.assertClose(c + " twin's last step", out, lastSteps(seqOut), TOLERANCE);
    }
    Stepper s = m[0].stepper();
    assertEquals(x.dim(2), s.inputSize());
    assertEquals(seqOut.dim(2), s.outputSize());
    for (int b = 0; b < BATCH; b++) {
      s.reset();
      stepThrough(c.name(), s, x, b, seqOut, lastOut);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resetStartsOver(Case c) {
    SequenceModel[] m = models(c);
    Tensor x = input(m[0], 2);
    Tensor seqOut = m[1].predict(x);
    Tensor lastOut = lastSteps(seqOut);
    Stepper s = m[0].stepper();
    // half a sequence of sample 0, then reset: sample 1 as from a fresh stepper
    for (int i = 0; i < x.dim(1) / 2 + 1; i++) {
      s.step(Tensors.row(x, 0, i));
    }
    s.reset();
    stepThrough(c.name() + " after reset", s, x, 1, seqOut, lastOut);
    // a whole sequence, then reset, then the same sequence again: the same outputs
    s.reset();
    stepThrough(c.name() + " after a whole sequence and reset", s, x, 1, seqOut, lastOut);
    // step(x, out) writes the same values into out
    s.reset();
    double[] into = new double[s.outputSize()];
    for (int i = 0; i < x.dim(1); i++) {
      s.step(Tensors.row(x, 2, i), into);
      double diff = Tensors.maxAbsDiff(Tensors.row(seqOut, 2, i), into);
      assertTrue(diff <= TOLERANCE, c.name() + ": step(x, out) at step " + i + " differs by " + diff);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void twoSteppersAreIndependent(Case c) {
    SequenceModel[] m = models(c);
    Tensor x = input(m[0], 3);
    Tensor seqOut = m[1].predict(x);
    Stepper a = m[0].stepper();
    Stepper b = m[0].stepper();
    // interleaved, on different samples; the output arrays are each stepper's own
    for (int i = 0; i < x.dim(1); i++) {
      double[] ya = a.step(Tensors.row(x, 0, i));
      double[] yb = b.step(Tensors.row(x, 2, i));
      assertTrue(ya != yb, c.name() + ": two steppers share their output array");
      double da = Tensors.maxAbsDiff(Tensors.row(seqOut, 0, i), ya);
      double db = Tensors.maxAbsDiff(Tensors.row(seqOut, 2, i), yb);
      assertTrue(da <= TOLERANCE && db <= TOLERANCE,
          c.name() + ": interleaved steppers differ from predict at step " + i + " by " + da + " and " + db);
    }
    // resetting one leaves the other alone
    a.reset();
    double[] first = a.step(Tensors.row(x, 1, 0)).clone();
    assertTrue(Tensors.maxAbsDiff(Tensors.row(seqOut, 1, 0), first) <= TOLERANCE, c.name() + ": a after reset");
    b.reset();
    stepThrough(c.name() + " b after reset", b, x, 1, seqOut, lastSteps(seqOut));
  }

  @Test
  void wrongLengthsAreRejectedNamingThem() {
    SequenceModel model = models(CASES.get(1))[0];
    Stepper s = model.stepper();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.step(new double[4]));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.step(new double[2]));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.step(new double[3], new double[5]));
    assertTrue(e.getMessage().contains("2") && e.getMessage().contains("5"), e.getMessage());
    // a rejected step leaves the state alone
    Tensor x = input(model, 4);
    Tensor seqOut = model.predict(x);
    s.reset();
    for (int i = 0; i < x.dim(1); i++) {
      assertThrows(IllegalArgumentException.class, () -> s.step(new double[0]));
      double diff = Tensors.maxAbsDiff(Tensors.row(seqOut, 0, i), s.step(Tensors.row(x, 0, i)));
      assertTrue(diff <= TOLERANCE, "after a rejected step, step " + i + " differs by " + diff);
    }
  }

  @Test
  void goBackwardsModelsHaveNoStepper() {
    for (String name : List.of("Backwards", "BackwardsInside")) {
      SequenceModel model = Compiled.MODELS.model(name);
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, model::stepper, name);
      assertTrue(e.getMessage().contains("goBackwards"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void stepsAllocateNothing(Case c) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counting is not supported");
    threads.setThreadAllocatedMemoryEnabled(true);

    SequenceModel model = models(c)[0];
    Stepper s = model.stepper();
    double[] x = Tensors.row(input(model, 5), 0, 0);
    double[] out = new double[s.outputSize()];
    int warmup = 20_000;
    int calls = 10_000;
    for (int i = 0; i < warmup; i++) {
      assertSame(s.step(x), s.step(x));
      s.step(x, out);
      if (i % 50 == 0) {
        s.reset();
      }
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < calls; i++) {
      s.step(x);
      s.step(x, out);
      if (i % 50 == 0) {
        s.reset();
      }
    }
    long after = threads.getThreadAllocatedBytes(id);
    double perStep = (after - before) / (2.0 * calls);
    // one object per step would be 16 bytes or more per step
    assertTrue(perStep < 1, c + ": a step allocates " + perStep + " bytes on average");
  }

  /** The last step of (batch, timesteps, width): (batch, width). */
  static Tensor lastSteps(Tensor seq) {
    int b = seq.dim(0);
    Tensor out = Tensor.zeros(b, seq.dim(2));
    for (int i = 0; i < b; i++) {
      double[] r = Tensors.row(seq, i, seq.dim(1) - 1);
      System.arraycopy(r, 0, out.data(), i * r.length, r.length);
    }
    return out;
  }
}
