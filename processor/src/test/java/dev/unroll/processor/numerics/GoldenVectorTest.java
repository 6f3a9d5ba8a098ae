package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.Golden;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated LSTM against the golden vectors in {@code golden/} (PyTorch float64, cross-checked
 * by an independent numpy BPTT; see {@code golden/README.md}): the forward pass and every gradient,
 * with and without {@code returnSequences}, from the file's weights.
 *
 * <p>Tolerance, elementwise: {@code |actual − expected| ≤ max(1e-9·|expected|, 1e-12)}.
 */
class GoldenVectorTest {
  static final List<String> CASES = List.of("seed1", "seed2", "small", "medium");
  static final double REL = 1e-9;
  static final double ABS = 1e-12;

  /** Every case's model, both ways, compiled in one javac run on first use. */
  private static final class Compiled {
    static final Map<String, Class<?>> MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (String name : CASES) {
        Golden g = Golden.load(name);
        declarations.put(className(name, true), g.shapes() + ", returnSequences = true");
        declarations.put(className(name, false), g.shapes());
      }
      MODELS = TestModels.compileLstms(declarations);
    }
  }

  static String className(String goldenCase, boolean returnSequences) {
    return "Golden_" + goldenCase + (returnSequences ? "_seq" : "_last");
  }

  static Stream<Arguments> cases() {
    return CASES.stream().flatMap(c -> Stream.of(Arguments.of(c, true), Arguments.of(c, false)));
  }

  private static SequenceModel modelFor(Golden g, boolean returnSequences) {
    SequenceModel m = TestModels.newModel(Compiled.MODELS.get(className(g.name, returnSequences)));
    m.setWeights(List.of(g.tensor("kernel"), g.tensor("recurrent_kernel"), g.tensor("bias")));
    return m;
  }

  @ParameterizedTest(name = "{0}.json, returnSequences = {1}")
  @MethodSource("cases")
  void predictMatchesGolden(String name, boolean returnSequences) {
    Golden g = Golden.load(name);
    SequenceModel m = modelFor(g, returnSequences);
    Tensor x = g.tensor("x");
    String key = returnSequences ? "h_seq" : "h_T";
    Tensor expected = g.tensor(key);

    Tensors.assertClose(name + ".json " + key, expected, m.predict(x), REL, ABS);

    // into a caller's tensor full of NaN: every value must be written
    Tensor out = Tensors.nans(expected.shape());
    assertSame(out, m.predict(x, out));
    Tensors.assertClose(name + ".json " + key + " (predict into out)", expected, out, REL, ABS);

    // the loss the golden file defines, from the model's output
    Tensor r = returnSequences ? g.tensor("R") : Golden.lastStep(g.tensor("R"));
    double loss = 0;
    for (int i = 0; i < r.size(); i++) {
      loss += out.data()[i] * r.data()[i];
    }
    double expectedLoss = g.scalar(returnSequences ? "loss_seq" : "loss_last");
    assertEquals(expectedLoss, loss, Math.max(REL * Math.abs(expectedLoss), ABS), name + ".json loss");
  }

  @ParameterizedTest(name = "{0}.json, returnSequences = {1}")
  @MethodSource("cases")
  void gradientsMatchGolden(String name, boolean returnSequences) {
    Golden g = Golden.load(name);
    SequenceModel m = modelFor(g, returnSequences);
    Tensor x = g.tensor("x");
    Tensor dOut = returnSequences ? g.tensor("R") : Golden.lastStep(g.tensor("R"));
    String grads = returnSequences ? "grads_seq" : "grads_last";

    Gradients fresh = m.gradients(x, dOut);
    assertGradients(g, grads, fresh, "");

    // again into the same Gradients, first filled with NaN: overwritten, not accumulated
    for (Tensor t : fresh.weights()) {
      Arrays.fill(t.data(), Double.NaN);
    }
    Arrays.fill(fresh.input().data(), Double.NaN);
    assertSame(fresh, m.gradients(x, dOut, fresh));
    assertGradients(g, grads, fresh, " (into a reused Gradients)");

    // and after a predict on other data, which must not leave state behind
    m.predict(Tensor.zeros(1, g.timesteps, g.features));
    assertGradients(g, grads, m.gradients(x, dOut), " (after another predict)");

    // the inputs were not modified
    Tensors.assertClose(name + ".json x (not modified)", g.tensor("x"), x, 0, 0);
  }

  /**
   * The same cases with the golden batch repeated to 17 samples or more (a batch as trainers use): every
   * copy gives the golden output and input gradient, and the weight gradients are the golden ones times
   * the number of copies (the loss sums over samples).
   */
  @ParameterizedTest(name = "{0}.json, returnSequences = {1}, repeated to 17 samples or more")
  @MethodSource("cases")
  void repeatedBatchesMatchGolden(String name, boolean returnSequences) {
    Golden g = Golden.load(name);
    SequenceModel m = modelFor(g, returnSequences);
    Tensor x = g.tensor("x");
    int batch = x.dim(0);
    int copies = (17 + batch - 1) / batch;
    String key = returnSequences ? "h_seq" : "h_T";
    Tensor dOut = returnSequences ? g.tensor("R") : Golden.lastStep(g.tensor("R"));
    Tensor xs = repeat(x, copies);
    Tensors.assertClose(name + ".json " + key + " x" + copies, repeat(g.tensor(key), copies), m.predict(xs), REL, ABS);

    String grads = returnSequences ? "grads_seq" : "grads_last";
    Gradients actual = m.gradients(xs, repeat(dOut, copies));
    String[] keys = {"kernel", "recurrent_kernel", "bias"};
    for (int k = 0; k < keys.length; k++) {
      Tensor expected = g.tensor(grads + "." + keys[k]);
      double[] scaled = expected.data().clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] *= copies;
      }
      Tensors.assertClose(name + ".json " + grads + "." + keys[k] + " x" + copies,
          Tensor.wrap(scaled, expected.shape()), actual.weights().get(k), REL, ABS);
    }
    Tensors.assertClose(name + ".json " + grads + ".x x" + copies, repeat(g.tensor(grads + ".x"), copies),
        actual.input(), REL, ABS);
  }

  /** {@code t} (batch first) stacked {@code copies} times along the batch. */
  private static Tensor repeat(Tensor t, int copies) {
    int[] shape = t.shape().clone();
    shape[0] *= copies;
    double[] data = new double[t.size() * copies];
    for (int c = 0; c < copies; c++) {
      System.arraycopy(t.data(), 0, data, c * t.size(), t.size());
    }
    return Tensor.wrap(data, shape);
  }

  private static void assertGradients(Golden g, String grads, Gradients actual, String note) {
    assertEquals(3, actual.weights().size(), g.name + ": gradients of kernel, recurrent_kernel, bias");
    String[] keys = {"kernel", "recurrent_kernel", "bias"};
    for (int k = 0; k < keys.length; k++) {
      String key = grads + "." + keys[k];
      Tensors.assertClose(g.name + ".json " + key + note, g.tensor(key), actual.weights().get(k), REL, ABS);
    }
    Tensors.assertClose(g.name + ".json " + grads + ".x" + note, g.tensor(grads + ".x"), actual.input(), REL, ABS);
  }
}
