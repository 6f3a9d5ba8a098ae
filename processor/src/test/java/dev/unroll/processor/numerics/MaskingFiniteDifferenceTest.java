package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.FiniteDifferences;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Masked models that the golden vector does not cover, against central finite differences: GRU
 * (both reset forms) with a sequence output, Bidirectional LSTM and GRU (zero output at masked steps
 * with returnSequences; the backward copy skips masked steps too), an LSTM of the kernel form,
 * goBackwards layers, a Dense per timestep after the Masking layer. Masked steps sit at the start, in
 * the middle and at the end of a sequence. The loss is {@code sum(output ⊙ R)}, R random at every
 * step, the masked ones included, so that the gradient through a carried output is checked too.
 * Masked x values are not perturbed (that would unmask them): dL/dx must be exactly 0 there.
 */
class MaskingFiniteDifferenceTest {
  static final int T = 5;
  static final int F = 2;
  static final double MASK = -1.0;

  static final Map<String, String> SOURCES = new LinkedHashMap<>();

  static {
    SOURCES.put("GruSeq", "  @Gru(units = 3, returnSequences = true, resetAfter = false) Layer gru();\n"
        + "  @Gru(units = 2, returnSequences = true) Layer gru_1();\n"
        + "  @Dense(units = 2) Layer dense();\n");
    SOURCES.put("BidiLstm", "  @Bidirectional @Lstm(units = 3, returnSequences = true) Layer bidirectional();\n"
        + "  @Dense(units = 1) Layer dense();\n");
    SOURCES.put("BidiGruMul", "  @Bidirectional(mergeMode = MergeMode.MUL) @Gru(units = 2, returnSequences = true) Layer bi();\n"
        + "  @Bidirectional(mergeMode = MergeMode.AVE) @Lstm(units = 2) Layer bi_1();\n");
    SOURCES.put("BidiSum", "  @Bidirectional(mergeMode = MergeMode.SUM) @Gru(units = 3) Layer bi();\n"
        + "  @Dense(units = 2) Layer dense();\n");
    SOURCES.put("Kernel", "  @Lstm(units = 12, returnSequences = true) Layer wide();\n"
        + "  @Lstm(units = 2) Layer lstm();\n");
    SOURCES.put("Backwards", "  @Lstm(units = 3, returnSequences = true, goBackwards = true) Layer lstm();\n"
        + "  @Gru(units = 2, goBackwards = true, returnSequences = true) Layer gru();\n"
        + "  @Lstm(units = 9, goBackwards = true) Layer wide();\n");
    SOURCES.put("DenseFirst", "  @Dense(units = 4, activation = Activation.TANH) Layer embed();\n"
        + "  @Lstm(units = 3) Layer lstm();\n  @Dense(units = 1) Layer head();\n");
  }

  static final Map<String, SequenceModel> models = new LinkedHashMap<>();

  @BeforeAll
  static void compile() throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    SOURCES.forEach((name, body) -> {
      sources.put("mfd." + name, source(name, body, ""));
      sources.put("mfd." + name + "32", source(name + "32", body, "@Float32\n"));
    });
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    assertTrue(c.warnings().isEmpty(), () -> c.warnings().toString());
    ClassLoader loader = ModelCompiler.classLoader(c);
    for (String name : sources.keySet()) {
      models.put(name.substring(4), TestModels.newModel(loader.loadClass("mfd.Unrolled" + name.substring(4)), 7L));
    }
  }

  static String source(String name, String body, String annotations) {
    return "package mfd;\n\nimport dev.unroll.*;\n\n" + annotations + "@Input(timesteps = " + T + ", features = " + F
        + ")\ninterface " + name + " {\n  @Masking(maskValue = " + MASK + ") Layer masking();\n" + body + "}\n";
  }

  /** Masked steps: sample 0 at 1 and 3, sample 1 the last two, sample 2 the first and the last. */
  static final boolean[][] MASKED = {
      {false, true, false, true, false}, {false, false, false, true, true}, {true, false, false, false, true}};

  static Tensor input(SplittableRandom rng) {
    Tensor x = GruFiniteDifferenceTest.random(rng, 1, 3, T, F);
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < T; t++) {
        if (MASKED[b][t]) {
          for (int k = 0; k < F; k++) {
            x.data()[(b * T + t) * F + k] = MASK;
          }
        }
      }
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(strings = {"GruSeq", "BidiLstm", "BidiGruMul", "BidiSum", "Kernel", "Backwards", "DenseFirst"})
  void everyGradientAgreesWithCentralDifferences(String name) {
    SequenceModel model = models.get(name);
    SplittableRandom rng = new SplittableRandom(name.hashCode());
    List<Tensor> weights = new ArrayList<>();
    for (Tensor w : model.getWeights()) {
      weights.add(GruFiniteDifferenceTest.random(rng, 0.6, w.shape()));
    }
    model.setWeights(weights);
    Tensor x = input(rng);
    Tensor r = GruFiniteDifferenceTest.random(rng, 1, GruFiniteDifferenceTest.batched(3, model.outputShape()));
    java.util.function.DoubleSupplier loss = () -> FiniteDifferences.dot(model.predict(x), r);
    Gradients g = model.gradients(x, r);
    double floor = FiniteDifferences.floor(FiniteDifferences.sumAbs(model.predict(x), r) + 1);
    List<String> failures = new ArrayList<>();
    for (int k = 0; k < weights.size(); k++) {
      double[] fd = FiniteDifferences.central(weights.get(k).data(), () -> {
        model.setWeights(weights);
        return loss.getAsDouble();
      });
      model.setWeights(weights);
      FiniteDifferences.compare("W" + k, Tensor.wrap(fd, weights.get(k).shape()), g.weights().get(k), floor, failures);
    }
    // x: the unmasked values by central differences, the masked ones exactly 0
    double[] dx = new double[x.size()];
    for (int i = 0; i < x.size(); i++) {
      int row = i / F;
      if (MASKED[row / T][row % T]) {
        assertEquals(0.0, g.input().data()[i], name + " dL/dx at masked step " + row % T + " of sample " + row / T);
        continue;
      }
      double orig = x.data()[i];
      x.data()[i] = orig + FiniteDifferences.EPS;
      double plus = loss.getAsDouble();
      x.data()[i] = orig - FiniteDifferences.EPS;
      double minus = loss.getAsDouble();
      x.data()[i] = orig;
      dx[i] = (plus - minus) / (2 * FiniteDifferences.EPS);
    }
    FiniteDifferences.compare("x", Tensor.wrap(dx, x.shape()), g.input(), floor, failures);
    FiniteDifferences.assertNone(name, failures);
    // the mask matters: the same weights without it give another output
    Tensor unmasked = x.copy();
    for (int i = 0; i < unmasked.size(); i++) {
      if (unmasked.data()[i] == MASK) {
        unmasked.data()[i] = MASK + 1e-3;
      }
    }
    assertTrue(Tensors.maxAbsDiff(model.predict(x), model.predict(unmasked)) > 1e-6, name);
  }

  /** Rules that hold whatever the weights: zeros inside a Bidirectional sequence, a carried output elsewhere. */
  @Test
  void outputsAtMaskedSteps() {
    SplittableRandom rng = new SplittableRandom(3);
    SequenceModel gru = models.get("GruSeq");
    Tensor x = input(rng);
    // the model's output carries the mask: (batch, T), 0 at the masked steps
    Tensor out = gru.predict(x);
    Tensor mask = gru.outputMask();
    assertEquals(List.of(3, T), java.util.Arrays.stream(mask.shape()).boxed().toList());
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < T; t++) {
        assertEquals(MASKED[b][t] ? 0.0 : 1.0, mask.data()[b * T + t]);
        // gru_1's output at a masked step is its output at the step before (zero before any), so Dense's is too
        if (MASKED[b][t] && t > 0) {
          assertEquals(out.data()[(b * T + t - 1) * 2], out.data()[(b * T + t) * 2]);
        }
      }
    }
    // Bidirectional with returnSequences: the merged output (before the Dense) is 0 at a masked step, so
    // the Dense's output there is its bias
    SequenceModel bidi = models.get("BidiLstm");
    List<Tensor> w = new ArrayList<>(bidi.getWeights());
    w.set(w.size() - 1, Tensor.wrap(new double[] {0.25}, 1));
    bidi.setWeights(w);
    Tensor y = bidi.predict(x);
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < T; t++) {
        if (MASKED[b][t]) {
          assertEquals(0.25, y.data()[b * T + t], 0.0);
        } else {
          assertTrue(y.data()[b * T + t] != 0.25);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"GruSeq", "BidiLstm", "BidiGruMul", "BidiSum", "Kernel", "Backwards", "DenseFirst"})
  void float32Agrees(String name) {
    SequenceModel m64 = models.get(name);
    SequenceModel m32 = models.get(name + "32");
    SplittableRandom rng = new SplittableRandom(name.hashCode() + 1);
    List<Tensor> weights = new ArrayList<>();
    for (Tensor w : m64.getWeights()) {
      weights.add(GruFiniteDifferenceTest.random(rng, 0.6, w.shape()));
    }
    m64.setWeights(weights);
    m32.setWeights(weights);
    Tensor x = input(rng);
    Tensors.assertClose(name + "32 prediction", m64.predict(x), m32.predict(x), 1e-5, 1e-6);
    Tensor r = GruFiniteDifferenceTest.random(rng, 1, GruFiniteDifferenceTest.batched(3, m64.outputShape()));
    Gradients g64 = m64.gradients(x, r);
    Gradients g32 = m32.gradients(x, r);
    for (int k = 0; k < weights.size(); k++) {
      Tensors.assertClose(name + "32 grads[" + k + "]", g64.weights().get(k), g32.weights().get(k), 1e-4, 1e-5);
    }
    Tensors.assertClose(name + "32 grads.x", g64.input(), g32.input(), 1e-4, 1e-5);
  }
}
