package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.processor.numerics.GruGoldenTest.Case;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code golden/layers/masking_lstm.json}: Masking(0.0) → LSTM(4, return_sequences) → LSTM(3) → Dense(1)
 * over (3, 7, 3), one sample right-padded by two steps, one by five, one left-padded by two (float64,
 * a torch implementation of Keras's masking rules, cross-checked by numpy and finite differences).
 * Prediction, every weight gradient and dL/dx (0 at the masked steps) to {@value #REL} relative;
 * float32 to 1e-5; the lengths form against the mask-value form; the stepper against predict.
 */
class MaskingGoldenTest {
  static final double REL = 1e-9;
  static final double ABS = 1e-12;

  static final String BODY = "  @Masking(maskValue = 0.0) Layer masking();\n"
      + "  @Lstm(units = 4, returnSequences = true) Layer lstm();\n"
      + "  @Lstm(units = 3) Layer lstm_1();\n"
      + "  @Dense(units = 1) Layer dense();\n}\n";

  static final Map<String, SequenceModel> models = new LinkedHashMap<>();

  @BeforeAll
  static void compile() throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("m.Masked", "package m;\n\nimport dev.unroll.*;\n\n@Input(timesteps = 7, features = 3)\n"
        + "interface Masked {\n" + BODY);
    sources.put("m.Masked32", "package m;\n\nimport dev.unroll.*;\n\n@Float32\n@Input(timesteps = 7, features = 3)\n"
        + "interface Masked32 {\n" + BODY);
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    assertTrue(c.warnings().isEmpty(), () -> c.warnings().toString());
    ClassLoader loader = ModelCompiler.classLoader(c);
    for (String name : List.of("Masked", "Masked32")) {
      models.put(name, TestModels.newModel(loader.loadClass("m.Unrolled" + name)));
    }
  }

  static Case golden() {
    return Case.load("masking_lstm.json");
  }

  /** dL/d(prediction) of the golden's MSE. */
  static Tensor dOutput(Tensor prediction, Tensor y) {
    int n = prediction.size();
    Tensor d = Tensor.zeros(prediction.shape());
    for (int i = 0; i < n; i++) {
      d.data()[i] = 2 * (prediction.data()[i] - y.data()[i]) / n;
    }
    return d;
  }

  @Test
  void predictionEveryGradientAndDx() {
    Case c = golden();
    SequenceModel model = models.get("Masked");
    model.setWeights(c.weights());
    Tensor prediction = model.predict(c.x());
    Tensors.assertClose("prediction", c.prediction(), prediction, REL, ABS);
    Gradients g = model.gradients(c.x(), dOutput(prediction, c.y()));
    var order = c.json().getAsJsonArray("weights_order");
    assertEquals(order.size(), g.weights().size());
    for (int k = 0; k < order.size(); k++) {
      String w = order.get(k).getAsString();
      Tensors.assertClose("grads." + w, c.grad(w), g.weights().get(k), REL, ABS);
    }
    Tensors.assertClose("grads.x", c.grad("x"), g.input(), REL, ABS);
    // the masked steps' dL/dx is exactly 0, and the others are not
    int masked = 0;
    for (int row = 0; row < 3 * 7; row++) {
      boolean isMasked = c.x().data()[row * 3] == 0 && c.x().data()[row * 3 + 1] == 0 && c.x().data()[row * 3 + 2] == 0;
      for (int k = 0; k < 3; k++) {
        if (isMasked) {
          assertEquals(0.0, g.input().data()[row * 3 + k], "dx at masked row " + row);
        } else {
          assertTrue(g.input().data()[row * 3 + k] != 0.0, "dx at row " + row);
        }
      }
      masked += isMasked ? 1 : 0;
    }
    assertEquals(9, masked);
    // the output has no time axis: the mask is dropped after lstm_1
    assertNull(model.outputMask());
  }

  @Test
  void float32Agrees() {
    Case c = golden();
    SequenceModel model = models.get("Masked32");
    model.setWeights(c.weights());
    Tensor prediction = model.predict(c.x());
    Tensors.assertClose("float32 prediction", c.prediction(), prediction, 1e-5, 1e-6);
    Gradients g = model.gradients(c.x(), dOutput(prediction, c.y()));
    var order = c.json().getAsJsonArray("weights_order");
    for (int k = 0; k < order.size(); k++) {
      String w = order.get(k).getAsString();
      Tensors.assertClose("float32 grads." + w, c.grad(w), g.weights().get(k), 1e-4, 1e-6);
    }
    Tensors.assertClose("float32 grads.x", c.grad("x"), g.input(), 1e-4, 1e-6);
  }

  /**
   * The two right-padded samples, their padding replaced by noise that the mask value would not mask,
   * with their lengths: the same prediction and gradients as the golden's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Masked", "Masked32"})
  void lengthsGiveTheMaskedResult(String name) throws Exception {
    Case c = golden();
    SequenceModel model = models.get(name);
    model.setWeights(c.weights());
    int[] lengths = {5, 2};
    Tensor x = Tensor.zeros(2, 7, 3);
    Random rnd = new Random(11);
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 7; t++) {
        for (int k = 0; k < 3; k++) {
          int i = (b * 7 + t) * 3 + k;
          x.data()[i] = t < lengths[b] ? c.x().data()[i] : rnd.nextDouble() * 2 - 1;
        }
      }
    }
    Tensor expected = Tensor.zeros(2, 1);
    System.arraycopy(c.prediction().data(), 0, expected.data(), 0, 2);
    Method predict = model.getClass().getMethod("predictWithLengths", Tensor.class, int[].class, Tensor.class);
    Method gradients = model.getClass().getMethod("gradientsWithLengths", Tensor.class, int[].class, Tensor.class,
        Gradients.class);
    Tensor p = (Tensor) predict.invoke(model, x, lengths, null);
    boolean f32 = name.endsWith("32");
    Tensors.assertClose(name + " lengths prediction", expected, p, f32 ? 1e-5 : REL, f32 ? 1e-6 : ABS);
    // without lengths the noise is seen: a different prediction
    assertTrue(Math.abs(model.predict(x).data()[1] - expected.data()[1]) > 1e-3);
    // the gradients equal those of the mask-value form on the same two samples
    Tensor padded = Tensor.zeros(2, 7, 3);
    System.arraycopy(c.x().data(), 0, padded.data(), 0, 2 * 7 * 3);
    Tensor dOut = Tensor.zeros(2, 1);
    dOut.data()[0] = 0.7;
    dOut.data()[1] = -1.3;
    Gradients byValue = model.gradients(padded, dOut);
    Gradients byLengths = (Gradients) gradients.invoke(model, x, lengths, dOut, null);
    for (int k = 0; k < byValue.weights().size(); k++) {
      Tensors.assertClose(name + " lengths grads[" + k + "]", byValue.weights().get(k), byLengths.weights().get(k),
          1e-12, 1e-15);
    }
    Tensors.assertClose(name + " lengths grads.x", byValue.input(), byLengths.input(), 1e-12, 1e-15);
    // lengths are checked
    var e = assertThrows(java.lang.reflect.InvocationTargetException.class,
        () -> predict.invoke(model, x, new int[] {5, 8}, null));
    assertTrue(e.getCause().getMessage().contains("lengths[1] must be in [0, 7], found 8"), e.getCause().getMessage());
    // and forgotten after the call
    assertTrue(Math.abs(model.predict(x).data()[1] - expected.data()[1]) > 1e-3);
  }

  /**
   * Bad lengths (negative, beyond the timesteps, one too many or too few for the batch, null) are refused
   * before anything changes: {@code backward} then still gives the gradients of the last good pass, even when
   * the bad call's batch size differs from the kept one (which would have resized the buffers).
   */
  @ParameterizedTest
  @ValueSource(strings = {"Masked", "Masked32"})
  void badLengthsLeaveTheLastPassIntact(String name) throws Exception {
    Case c = golden();
    SequenceModel model = models.get(name);
    model.setWeights(c.weights());
    Method predict = model.getClass().getMethod("predictWithLengths", Tensor.class, int[].class, Tensor.class);
    Method gradients = model.getClass().getMethod("gradientsWithLengths", Tensor.class, int[].class, Tensor.class,
        Gradients.class);
    Tensor x = Tensor.zeros(2, 7, 3);
    System.arraycopy(c.x().data(), 0, x.data(), 0, 2 * 7 * 3);
    Tensor dOut = Tensor.zeros(2, 1);
    dOut.data()[0] = 0.7;
    dOut.data()[1] = -1.3;
    Tensor expectedOut = model.predict(x).copy();
    int[] good = {6, 3};
    Gradients viaGradients = (Gradients) gradients.invoke(model, x, good, dOut, null);
    Tensor x3 = Tensor.zeros(3, 7, 3);
    Object[][] bad = {
        {x, new int[] {6, -1}, "lengths[1] must be in [0, 7], found -1"},
        {x, new int[] {8, 3}, "lengths[0] must be in [0, 7], found 8"},
        {x, new int[] {6, 3, 2}, "lengths must hold one length per sample of x, expected 2, found 3"},
        {x3, new int[] {6, 3}, "lengths must hold one length per sample of x, expected 3, found 2"},
        {x, null, "lengths is null; expected one length per sample, 2"}};
    for (Object[] b : bad) {
      for (Method m : List.of(predict, gradients)) {
        Object[] args = m == predict ? new Object[] {b[0], b[1], null} : new Object[] {b[0], b[1], dOut, null};
        if (m == gradients && b[0] == x3) {
          args[2] = Tensor.zeros(3, 1);
        }
        var e = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> m.invoke(model, args));
        String message = e.getCause().getMessage();
        assertEquals(m.getName() + ": " + b[2] + (((String) b[2]).startsWith("lengths[")
            ? " (a length counts the steps before the padding)" : ""), message);
        // the kept pass is the last good one: backward gives its gradients
        Gradients again = model.backward(dOut, null);
        for (int k = 0; k < viaGradients.weights().size(); k++) {
          assertEquals(viaGradients.weights().get(k), again.weights().get(k), name + " " + message + ": grads[" + k + "]");
        }
        assertEquals(viaGradients.input(), again.input(), name + " " + message + ": grads.x");
      }
    }
    // and the model still predicts as before
    assertEquals(expectedOut, model.predict(x));
  }

  /** A stepper keeps its state through a masked step: stepping gives predict's output, the padding included. */
  @ParameterizedTest
  @ValueSource(strings = {"Masked", "Masked32"})
  void stepperKeepsStateAtMaskedSteps(String name) {
    Case c = golden();
    SequenceModel model = models.get(name);
    model.setWeights(c.weights());
    Stepper s = model.stepper();
    for (int b = 0; b < 3; b++) {
      s.reset();
      double[] out = null;
      for (int t = 0; t < 7; t++) {
        out = s.step(Tensors.row(c.x(), b, t));
      }
      assertEquals(c.prediction().data()[b], out[0], name.endsWith("32") ? 1e-5 : 1e-12, name + " sample " + b);
    }
  }

  /** The whole self-check: the output on masked steps against the interpreter's, and the gradients. */
  @ParameterizedTest
  @ValueSource(strings = {"Masked", "Masked32"})
  void selfCheckPasses(String name) {
    var report = models.get(name).selfCheck();
    assertTrue(report.passed(), report.toString());
    assertTrue(report.referenceValues() >= 2, report.toString());
  }

  @Test
  void summaryAndLayers() {
    SequenceModel model = models.get("Masked");
    String summary = model.summary();
    assertTrue(summary.contains(" masking (Masking)           (None, 7, 3)              0\n"), summary);
    // 4*(3*4 + 4*4 + 4) + 4*(4*3 + 3*3 + 3) + (3 + 1)
    assertEquals(128 + 96 + 4, model.paramCount());
    assertEquals("Masking", model.layers().get(0).kind());
    assertEquals(0, model.layers().get(0).paramCount());
    assertEquals(4, model.layers().size());
    // the views: the Masking layer has no weights, and the next layer's are still its own
    assertEquals(List.of(), model.layer("masking").weights());
    assertEquals(List.of(7, 3), java.util.Arrays.stream(model.layer("masking").outputShape()).boxed().toList());
    Case c = golden();
    model.setWeights(c.weights());
    assertEquals(c.weights().subList(0, 3), model.layer("lstm").weights());
    assertEquals(c.weights().subList(6, 8), model.layer(3).weights());
  }
}
