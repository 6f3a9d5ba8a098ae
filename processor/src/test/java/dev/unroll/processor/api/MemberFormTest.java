package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.Gate;
import dev.unroll.Gradients;
import dev.unroll.Layer;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.TestModels;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The member form: {@code @Input} on the type and one abstract method per layer. Each model is
 * compiled beside the same stack in the type-level form, whose numbers the golden vectors check;
 * with the same weights the two must agree bit for bit, and the layer methods must return views of
 * the right slices of {@code getWeights()}.
 */
class MemberFormTest {
  private static final String MEMBERS = "package m;\n\nimport dev.unroll.*;\n\n"
      + "@Input(timesteps = 5, features = 3)\n"
      + "public interface Tagger {\n"
      + "  @Lstm(units = 4, returnSequences = true) Layer encoder();\n"
      + "  @Lstm(units = 3) Layer pooled();\n"
      + "  @Dense(units = 2, activation = Activation.SOFTMAX) Layer classes();\n"
      + "}\n";
  private static final String PLAIN = "package m;\n\nimport dev.unroll.*;\n\n"
      + "@Lstm(units = 4, timesteps = 5, features = 3, returnSequences = true)\n"
      + "@Lstm(units = 3)\n"
      + "@Dense(units = 2, activation = Activation.SOFTMAX)\n"
      + "public interface Plain {}\n";
  /** An abstract class, float32, a Dense per timestep, and no bias on the LSTM. */
  private static final String CLASS_FORM = "package m;\n\nimport dev.unroll.*;\n\n"
      + "@Float32\n"
      + "@Input(timesteps = 4, features = 2)\n"
      + "public abstract class Sequencer {\n"
      + "  @Lstm(units = 3, returnSequences = true, useBias = false) protected abstract Layer rnn();\n"
      + "  @Dense(units = 2, activation = Activation.TANH) public abstract Layer head();\n"
      + "  public String describe() { return rnn().name() + \" -> \" + head().name(); }\n"
      + "}\n";

  private static ClassLoader loader;
  private static Compilation compilation;

  @BeforeAll
  static void compile() {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("m.Tagger", MEMBERS);
    sources.put("m.Plain", PLAIN);
    sources.put("m.Sequencer", CLASS_FORM);
    compilation = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> compilation.diagnostics().toString());
    assertTrue(compilation.warnings().isEmpty(), () -> compilation.warnings().toString());
    loader = ModelCompiler.classLoader(compilation);
  }

  private static SequenceModel model(String name) throws Exception {
    return TestModels.newModel(loader.loadClass("m.Unrolled" + name));
  }

  private static Layer call(SequenceModel model, String method) throws Exception {
    Method m = model.getClass().getMethod(method);
    return (Layer) m.invoke(model);
  }

  private static Tensor random(SplittableRandom rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    double[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextDouble(-1, 1);
    }
    return t;
  }

  @Test
  void namesAreTheMethodNames() throws Exception {
    SequenceModel tagger = model("Tagger");
    assertEquals(List.of("encoder", "pooled", "classes"), tagger.layers().stream().map(l -> l.name()).toList());
    assertTrue(tagger.summary().contains(" encoder (LSTM)"), tagger.summary());
    assertTrue(tagger.summary().contains(" pooled (LSTM)"), tagger.summary());
    assertTrue(tagger.summary().contains(" classes (Dense)"), tagger.summary());
    assertEquals(model("Plain").paramCount(), tagger.paramCount());
    // 4*(3*4 + 16 + 4) + 4*(4*3 + 9 + 3) + (3*2 + 2)
    assertEquals(128 + 96 + 8, tagger.paramCount());
  }

  @Test
  void computesAsTheTypeLevelForm() throws Exception {
    SequenceModel tagger = model("Tagger");
    SequenceModel plain = model("Plain");
    tagger.setWeights(plain.getWeights());
    SplittableRandom rng = new SplittableRandom(7);
    Tensor x = random(rng, 6, 5, 3);
    assertArrayEquals(plain.predict(x).data(), tagger.predict(x).data());
    Tensor dOut = random(rng, 6, 2);
    Gradients a = plain.gradients(x, dOut);
    Gradients b = tagger.gradients(x, dOut);
    for (int i = 0; i < a.weights().size(); i++) {
      assertArrayEquals(a.weights().get(i).data(), b.weights().get(i).data(), "gradient " + i);
    }
    assertArrayEquals(a.input().data(), b.input().data());
  }

  @Test
  void layerMethodsReturnViewsOfTheirWeights() throws Exception {
    SequenceModel tagger = model("Tagger");
    List<Tensor> all = tagger.getWeights();
    Layer encoder = call(tagger, "encoder");
    Layer summary = call(tagger, "pooled");
    Layer classes = call(tagger, "classes");
    assertEquals("encoder", encoder.name());
    assertEquals("LSTM", encoder.kind());
    assertArrayEquals(new int[] {5, 4}, encoder.outputShape());
    assertArrayEquals(new int[] {3}, summary.outputShape());
    assertArrayEquals(new int[] {2}, classes.outputShape());
    assertEquals("Dense", classes.kind());
    assertEquals(List.of("kernel", "recurrent_kernel", "bias"), encoder.weightNames());
    assertEquals(List.of("kernel", "bias"), classes.weightNames());
    assertEquals(128, encoder.paramCount());
    assertArrayEquals(all.get(3).data(), summary.weights().get(0).data());
    assertArrayEquals(all.get(6).data(), classes.weights().get(0).data());
    assertArrayEquals(all.get(7).data(), classes.weights().get(1).data());
    // gate views: the forget block of the second layer's W, (4, 3), is columns [3, 6) of (4, 12)
    Tensor wf = summary.kernel(Gate.F);
    assertArrayEquals(new int[] {4, 3}, wf.shape());
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(all.get(3).data()[r * 12 + 3 + c], wf.data()[r * 3 + c]);
      }
    }
    assertEquals(summary.recurrentKernel(Gate.O).shape()[0], 3);
    assertEquals(1.0, summary.bias(Gate.F).data()[0]); // unit_forget_bias
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> classes.kernel(Gate.I));
    assertTrue(e.getMessage().contains("classes (Dense) has no gates"), e.getMessage());
    // a view reads the current weights
    List<Tensor> changed = tagger.getWeights();
    changed.get(6).data()[0] = 0.5;
    tagger.setWeights(changed);
    assertEquals(0.5, classes.weights().get(0).data()[0]);
  }

  @Test
  void everyModelHasLayerViewsByNameAndIndex() throws Exception {
    SequenceModel plain = model("Plain");
    assertEquals("lstm_1", plain.layer(1).name());
    assertArrayEquals(plain.getWeights().get(4).data(), plain.layer("lstm_1").weights().get(1).data());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.layer("encoder"));
    assertTrue(e.getMessage().contains("[lstm, lstm_1, dense]"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> plain.layer(3));
  }

  @Test
  void abstractClassFloat32AndNoBias() throws Exception {
    SequenceModel s = model("Sequencer");
    assertEquals("rnn -> head", s.getClass().getMethod("describe").invoke(s));
    Layer rnn = call(s, "rnn");
    assertEquals(List.of("kernel", "recurrent_kernel"), rnn.weightNames());
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> rnn.bias(Gate.I));
    assertTrue(e.getMessage().contains("useBias = false"), e.getMessage());
    assertArrayEquals(new int[] {4, 2}, call(s, "head").outputShape());
    assertArrayEquals(new int[] {4, 2}, s.outputShape());
    assertEquals(4 * (2 * 3 + 9) + (3 * 2 + 2), s.paramCount());
  }

  /**
   * Layers named as the generated code's parameters and locals ({@code x}, {@code batch}, {@code out}: a PyTorch model's
   * head is often {@code self.out}) compile without warnings, predict and stream.
   */
  @Test
  void layersNamedXAndOutCompileAndStream() throws Exception {
    String source = "package m;\n\nimport dev.unroll.*;\n\n"
        + "@Input(timesteps = 3, features = 2)\n"
        + "public interface Clash {\n"
        + "  @Dense(units = 2) Layer x();\n"
        + "  @Lstm(units = 2) Layer batch();\n"
        + "  @Dense(units = 1) Layer out();\n"
        + "}\n";
    Compilation c = ModelCompiler.compile("m.Clash", source, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    assertTrue(c.warnings().isEmpty(), () -> c.warnings().toString());
    SequenceModel model = ModelCompiler.newInstance(c, "m.UnrolledClash", 3L);
    Tensor x = random(new SplittableRandom(9), 1, 3, 2);
    Tensor y = model.predict(x);
    dev.unroll.Stepper stepper = model.stepper();
    double[] last = null;
    for (int t = 0; t < 3; t++) {
      last = stepper.step(new double[] {x.get(0, t, 0), x.get(0, t, 1)});
    }
    assertEquals(y.get(0, 0), last[0], 1e-12);
  }
}
