package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.internal.Kernels;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.Tensors;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two forms of a kernel-form LSTM step, sample by sample and tiled, give the same predictions and
 * gradients: one compiled mid-size model (a Masking layer, an LSTM of 24 units returning sequences, an
 * LSTM of 13 units without bias going backwards, a Dense layer) loaded twice, once with
 * {@code -Dunroll.stepForm=tiled} and once with {@code perSample} (each load a new class loader, so the
 * layer classes initialise their {@code TILED} anew), in float64 to 1e-12 and float32 to 1e-6 relative
 * (to the largest value of each tensor). Runs on whichever kernels are in use (both, in the build).
 */
class StepFormTest {
  static final String BODY = "  @Masking(maskValue = 0.0) Layer masking();\n"
      + "  @Lstm(units = 24, returnSequences = true) Layer lstm();\n"
      + "  @Lstm(units = 13, useBias = false, goBackwards = true) Layer lstm_1();\n"
      + "  @Dense(units = 3) Layer dense();\n}\n";

  static final int TIMESTEPS = 9;
  static final int FEATURES = 5;

  static Compilation compilation;

  @BeforeAll
  static void compile() {
    Map<String, String> sources = new LinkedHashMap<>();
    String input = "@Input(timesteps = " + TIMESTEPS + ", features = " + FEATURES + ")\n";
    sources.put("m.Mid", "package m;\n\nimport dev.unroll.*;\n\n" + input + "interface Mid {\n" + BODY);
    sources.put("m.Mid32", "package m;\n\nimport dev.unroll.*;\n\n@Float32\n" + input + "interface Mid32 {\n" + BODY);
    compilation = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> compilation.diagnostics().toString());
    assertTrue(compilation.warnings().isEmpty(), () -> compilation.warnings().toString());
  }

  /** The model, its class loaded anew with {@value Kernels#STEP_FORM_PROPERTY} set to {@code form}. */
  private static SequenceModel load(String name, String form) throws Exception {
    String before = System.getProperty(Kernels.STEP_FORM_PROPERTY);
    System.setProperty(Kernels.STEP_FORM_PROPERTY, form);
    try {
      Class<?> type = ModelCompiler.classLoader(compilation).loadClass("m.Unrolled" + name);
      SequenceModel model = TestModels.newModel(type);
      // both LSTM layers' classes were initialised by the constructor, in this form
      int layers = 0;
      for (Class<?> nested : type.getDeclaredClasses()) {
        Field tiled;
        try {
          tiled = nested.getDeclaredField("TILED");
        } catch (NoSuchFieldException e) {
          continue;
        }
        tiled.setAccessible(true);
        assertEquals(form.equals("tiled"), tiled.getBoolean(null), nested.getName() + ".TILED");
        layers++;
      }
      assertEquals(2, layers, "kernel-form LSTM layers of " + name);
      return model;
    } finally {
      if (before == null) {
        System.clearProperty(Kernels.STEP_FORM_PROPERTY);
      } else {
        System.setProperty(Kernels.STEP_FORM_PROPERTY, before);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Mid", "Mid32"})
  void bothFormsGiveTheSamePredictionsAndGradients(String name) throws Exception {
    double rel = name.endsWith("32") ? 1e-6 : 1e-12;
    SequenceModel tiled = load(name, "tiled");
    SequenceModel perSample = load(name, "perSample");
    Random rnd = new Random(name.hashCode());
    List<Tensor> weights = new ArrayList<>();
    for (Tensor w : perSample.getWeights()) {
      weights.add(Tensors.uniform(rnd, 0.3, w.shape()));
    }
    tiled.setWeights(weights);
    perSample.setWeights(weights);
    // 7 samples: not a multiple of the four rows or samples of a pass; two of them masked from step 6 on
    int batch = 7;
    Tensor x = Tensors.uniform(rnd, 1.0, batch, TIMESTEPS, FEATURES);
    for (int b : new int[] {2, 5}) {
      for (int t = 6; t < TIMESTEPS; t++) {
        for (int f = 0; f < FEATURES; f++) {
          x.data()[(b * TIMESTEPS + t) * FEATURES + f] = 0;
        }
      }
    }

    Tensor expected = perSample.predict(x);
    assertClose(name + " predict", expected, tiled.predict(x), rel);

    Tensor dOut = Tensors.uniform(rnd, 1.0, expected.shape());
    Gradients g = perSample.gradients(x, dOut);
    Gradients gt = tiled.gradients(x, dOut);
    for (int k = 0; k < g.weights().size(); k++) {
      assertClose(name + " dWeights[" + k + "]", g.weights().get(k), gt.weights().get(k), rel);
    }
    assertClose(name + " dx", g.input(), gt.input(), rel);
  }

  /** Each element to {@code rel} of the tensor's largest magnitude. */
  private static void assertClose(String what, Tensor expected, Tensor actual, double rel) {
    double scale = Math.max(Tensors.maxAbs(expected), Double.MIN_NORMAL);
    Tensors.assertClose(what, expected, actual, rel, rel * scale);
  }
}
