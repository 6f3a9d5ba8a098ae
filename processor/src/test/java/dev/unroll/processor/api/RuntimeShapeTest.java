package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Run-time shape checks (each error names the expected and the actual shape), and the batch size
 * changing between calls: work buffers are resized, and every sample's result is what a call on that
 * sample alone gives.
 */
class RuntimeShapeTest {
  static final int U = 4;
  static final int T = 5;
  static final int F = 3;

  private static final class Compiled {
    static final Map<String, Class<?>> MODELS = TestModels.compileLstms(Map.of(
        "Last", "units = 4, timesteps = 5, features = 3",
        "Seq", "units = 4, timesteps = 5, features = 3, returnSequences = true"));
  }

  static SequenceModel last() {
    return TestModels.newModel(Compiled.MODELS.get("Last"), 3);
  }

  static SequenceModel seq() {
    return TestModels.newModel(Compiled.MODELS.get("Seq"), 3);
  }

  private static ShapeMismatchException assertMismatch(Executable call, String expected, String actual) {
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, call);
    assertTrue(e.getMessage().contains(expected), "message names the expected shape " + expected + ": " + e.getMessage());
    assertTrue(e.getMessage().contains(actual), "message names the actual shape " + actual + ": " + e.getMessage());
    assertEquals(expected, e.expected());
    assertEquals(actual, e.actual());
    return e;
  }

  @Test
  void predictRejectsWrongInput() {
    for (SequenceModel m : List.of(last(), seq())) {
      assertMismatch(() -> m.predict(Tensor.zeros(2, 5, 4)), "(batch, 5, 3)", "(2, 5, 4)"); // features
      assertMismatch(() -> m.predict(Tensor.zeros(2, 6, 3)), "(batch, 5, 3)", "(2, 6, 3)"); // timesteps
      assertMismatch(() -> m.predict(Tensor.zeros(5, 3)), "(batch, 5, 3)", "(5, 3)"); // rank 2
      assertMismatch(() -> m.predict(Tensor.zeros(1, 2, 5, 3)), "(batch, 5, 3)", "(1, 2, 5, 3)"); // rank 4
      assertMismatch(() -> m.predict(Tensor.zeros(0, 5, 3)), "(batch, 5, 3)", "(0, 5, 3)"); // empty batch
      assertMismatch(() -> m.predict(Tensor.zeros(15)), "(batch, 5, 3)", "(15,)");
      ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> m.predict(Tensor.zeros(2, 5, 4)));
      assertTrue(e.getMessage().contains("x"), "names the argument: " + e.getMessage());
    }
  }

  @Test
  void predictRejectsWrongOut() {
    Tensor x = Tensor.zeros(2, 5, 3);
    assertMismatch(() -> last().predict(x, Tensor.zeros(3, 4)), "(2, 4)", "(3, 4)");
    assertMismatch(() -> last().predict(x, Tensor.zeros(2, 5, 4)), "(2, 4)", "(2, 5, 4)");
    assertMismatch(() -> seq().predict(x, Tensor.zeros(2, 4)), "(2, 5, 4)", "(2, 4)");
    assertMismatch(() -> seq().predict(x, Tensor.zeros(2, 4, 4)), "(2, 5, 4)", "(2, 4, 4)");
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> last().predict(x, Tensor.zeros(3, 4)));
    assertTrue(e.getMessage().contains("out"), "names the argument: " + e.getMessage());
  }

  @Test
  void gradientsRejectWrongShapes() {
    Tensor x = Tensor.zeros(2, 5, 3);
    assertMismatch(() -> last().gradients(x, Tensor.zeros(2, 5, 4)), "(2, 4)", "(2, 5, 4)");
    assertMismatch(() -> last().gradients(x, Tensor.zeros(3, 4)), "(2, 4)", "(3, 4)");
    assertMismatch(() -> seq().gradients(x, Tensor.zeros(2, 4)), "(2, 5, 4)", "(2, 4)");
    assertMismatch(() -> seq().gradients(x, Tensor.zeros(2, 5, 3)), "(2, 5, 4)", "(2, 5, 3)");
    assertMismatch(() -> last().gradients(Tensor.zeros(2, 5, 2), Tensor.zeros(2, 4)), "(batch, 5, 3)", "(2, 5, 2)");
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> last().gradients(x, Tensor.zeros(3, 4)));
    assertTrue(e.getMessage().contains("dOutput"), "names the argument: " + e.getMessage());

    // into from another batch size
    SequenceModel m = last();
    Gradients g3 = m.gradients(Tensor.zeros(3, 5, 3), Tensor.zeros(3, 4));
    assertMismatch(() -> m.gradients(x, Tensor.zeros(2, 4), g3), "(2, 5, 3)", "(3, 5, 3)");
    // into with a wrong weight gradient
    Gradients bad = new Gradients(List.of(Tensor.zeros(3, 16), Tensor.zeros(4, 16), Tensor.zeros(4, 4)), Tensor.zeros(2, 5, 3));
    ShapeMismatchException e2 = assertMismatch(() -> m.gradients(x, Tensor.zeros(2, 4), bad), "(16,)", "(4, 4)");
    assertTrue(e2.getMessage().contains("into"), "names the argument: " + e2.getMessage());
  }

  /** Batch sizes 1, 3, 1, 2, 3, 1 on one instance, predict and gradients interleaved. */
  @Test
  void changingBatchSizeGivesPerSampleResults() {
    for (boolean returnSequences : new boolean[] {true, false}) {
      Golden g = Golden.load("small"); // U = 4, T = 5, F = 3: realistic weights
      List<Tensor> weights = List.of(g.tensor("kernel"), g.tensor("recurrent_kernel"), g.tensor("bias"));
      SequenceModel m = returnSequences ? seq() : last();
      SequenceModel single = returnSequences ? seq() : last();
      m.setWeights(weights);
      single.setWeights(weights);
      Random rnd = new Random(42);
      String what = "returnSequences=" + returnSequences;
      int[] batches = {1, 3, 1, 2, 3, 1, 3};
      for (int step = 0; step < batches.length; step++) {
        int batch = batches[step];
        Tensor x = Tensors.uniform(rnd, 1.0, batch, T, F);
        int[] outShape = returnSequences ? new int[] {batch, T, U} : new int[] {batch, U};
        Tensor dOut = Tensors.uniform(rnd, 1.0, outShape);
        String at = what + ", call " + step + " (batch " + batch + ")";

        // per sample, each on its own, from the instance that only ever sees batch 1
        List<Tensor> outs = new ArrayList<>();
        List<Gradients> grads = new ArrayList<>();
        for (int s = 0; s < batch; s++) {
          Tensor xs = sample(x, s);
          outs.add(single.predict(xs));
          grads.add(single.gradients(xs, sample(dOut, s)));
        }

        if (step % 2 == 0) {
          checkPredict(at, m.predict(x), outs);
          checkGradients(at, m.gradients(x, dOut), grads);
        } else {
          checkGradients(at, m.gradients(x, dOut), grads);
          checkPredict(at, m.predict(x), outs);
        }
      }
    }
  }

  private static void checkPredict(String at, Tensor out, List<Tensor> perSample) {
    for (int s = 0; s < perSample.size(); s++) {
      Tensors.assertClose(at + " predict, sample " + s, perSample.get(s), sample(out, s), 1e-13, 1e-15);
    }
  }

  private static void checkGradients(String at, Gradients g, List<Gradients> perSample) {
    // dL/dx per sample; dL/dW summed over samples (the loss is a sum over the batch)
    for (int s = 0; s < perSample.size(); s++) {
      Tensors.assertClose(at + " d x, sample " + s, perSample.get(s).input(), sample(g.input(), s), 1e-12, 1e-14);
    }
    for (int k = 0; k < g.weights().size(); k++) {
      Tensor sum = Tensor.zeros(g.weights().get(k).shape());
      for (Gradients p : perSample) {
        for (int i = 0; i < sum.size(); i++) {
          sum.data()[i] += p.weights().get(k).data()[i];
        }
      }
      Tensors.assertClose(at + " d weight " + k, sum, g.weights().get(k), 1e-12, 1e-13 * Math.max(1, Tensors.maxAbs(sum)));
    }
  }

  /** Sample {@code s} of a batch-first tensor, as a batch of one. */
  static Tensor sample(Tensor t, int s) {
    int[] shape = t.shape();
    int per = t.size() / shape[0];
    double[] data = new double[per];
    System.arraycopy(t.data(), s * per, data, 0, per);
    shape[0] = 1;
    return Tensor.wrap(data, shape);
  }
}
