package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.unroll.Gradients;
import dev.unroll.LayerInfo;
import dev.unroll.SelfCheck;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.internal.SelfChecks;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code selfCheck()}: passes on a range of generated models (1 to 64 units, rolled and unrolled
 * time loops, the written-out and the kernel step, stacks, Dense heads of every activation, float32,
 * every LSTM option; GRU with reset_after true and false and its options; Bidirectional over LSTM and
 * GRU in every merge mode; Dense layers before and between recurrent ones in the member form), fails
 * when the generated code is wrong (forward and backward mistakes put into a generated source and
 * compiled: an LSTM gate, the LSTM carry, the GRU update, the Bidirectional merge's order; the mask
 * read unreversed by a backward copy, a masked step that drops c, a Bidirectional's non-zero output and
 * leaking gradient at masked steps; and each new kind at other weights than the expected values'), and
 * when one weight tensor's gradient is off by 0.1%; masked models (LSTM, GRU, Bidirectional with
 * sequences and last step, goBackwards, Dense before and after, float32) are checked on masked steps
 * against the interpreter; it leaves the model as it was, and the default method of a
 * model that is not generated checks gradients only, on the current weights, and restores them.
 */
class SelfCheckTest {
  private static final Map<String, String> MODELS = new LinkedHashMap<>();

  static {
    MODELS.put("OneFeature", "@Lstm(units = 1, timesteps = 1, features = 1)");
    MODELS.put("TwoFeatures", "@Lstm(units = 1, timesteps = 1, features = 2)");
    MODELS.put("Small", "@Lstm(units = 2, timesteps = 5, features = 3)");
    MODELS.put("Tiny", "@Lstm(units = 1, timesteps = 4, features = 2)");
    MODELS.put("Eight", "@Lstm(units = 8, timesteps = 12, features = 4, returnSequences = true)");
    MODELS.put("Kernel32", "@Lstm(units = 32, timesteps = 24, features = 3)");
    MODELS.put("Rolled64", "@Lstm(units = 64, timesteps = 40, features = 5)");
    MODELS.put("Options", "@Lstm(units = 3, timesteps = 6, features = 2, goBackwards = true, useBias = false, "
        + "recurrentActivation = Activation.HARD_SIGMOID, activation = Activation.RELU, returnSequences = true)");
    MODELS.put("NoForgetBias", "@Lstm(units = 4, timesteps = 3, features = 2, unitForgetBias = false, "
        + "recurrentActivation = Activation.HARD_SIGMOID_KERAS3, returnState = true)");
    MODELS.put("Stack", "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true)\n"
        + "@Lstm(units = 5)\n@Dense(units = 4, activation = Activation.TANH)\n@Dense(units = 3, activation = Activation.SOFTMAX)");
    MODELS.put("PerStep", "@Lstm(units = 4, timesteps = 5, features = 2, returnSequences = true)\n"
        + "@Dense(units = 2, activation = Activation.SIGMOID)");
    MODELS.put("Float32Small", "@Float32\n@Lstm(units = 2, timesteps = 4, features = 3)");
    MODELS.put("Float32Kernel", "@Float32\n@Lstm(units = 32, timesteps = 20, features = 4, returnSequences = true)\n"
        + "@Lstm(units = 16)\n@Dense(units = 1)");
    MODELS.put("Float32Rolled", "@Float32\n@Lstm(units = 48, timesteps = 50, features = 2)\n@Dense(units = 3, useBias = false)");
    MODELS.put("GruAfter", "@Gru(units = 5, timesteps = 6, features = 3)\n@Dense(units = 2)");
    MODELS.put("GruBefore", "@Gru(units = 4, timesteps = 5, features = 2, resetAfter = false, returnSequences = true)");
    MODELS.put("GruOptions", "@Gru(units = 3, timesteps = 6, features = 2, goBackwards = true, useBias = false, "
        + "recurrentActivation = Activation.HARD_SIGMOID, activation = Activation.RELU, returnSequences = true)");
    MODELS.put("Gru48", "@Gru(units = 48, timesteps = 40, features = 5)");
    MODELS.put("Float32Gru", "@Float32\n@Gru(units = 8, timesteps = 10, features = 3, returnSequences = true)\n@Dense(units = 2)");
    // the member form: Bidirectional over LSTM and GRU in every merge mode, Dense layers before recurrent ones
    MODELS.put("BiConcat", "@Input(timesteps = 6, features = 3)\n{\n"
        + "  @Bidirectional @Lstm(units = 4, returnSequences = true) Layer bidirectional();\n"
        + "  @Dense(units = 1) Layer dense();\n}");
    MODELS.put("BiSum", "@Input(timesteps = 5, features = 2)\n{\n"
        + "  @Bidirectional(mergeMode = MergeMode.SUM) @Lstm(units = 3) Layer bidirectional();\n}");
    MODELS.put("BiMulGru", "@Input(timesteps = 5, features = 3)\n{\n"
        + "  @Bidirectional(mergeMode = MergeMode.MUL) @Gru(units = 3, returnSequences = true) Layer bi();\n"
        + "  @Lstm(units = 2) Layer lstm();\n}");
    MODELS.put("BiAveGru", "@Input(timesteps = 4, features = 2)\n{\n"
        + "  @Bidirectional(mergeMode = MergeMode.AVE) @Gru(units = 5, resetAfter = false) Layer bi();\n"
        + "  @Dense(units = 2, activation = Activation.TANH) Layer dense();\n}");
    MODELS.put("GruStack", "@Input(timesteps = 7, features = 3)\n{\n"
        + "  @Gru(units = 6, resetAfter = false, returnSequences = true, recurrentActivation = Activation.HARD_SIGMOID_KERAS3) "
        + "Layer gru();\n  @Lstm(units = 5) Layer lstm();\n"
        + "  @Dense(units = 3, activation = Activation.SOFTMAX) Layer dense();\n}");
    MODELS.put("DenseFirst", "@Input(timesteps = 5, features = 2)\n{\n"
        + "  @Dense(units = 4, activation = Activation.TANH) Layer dense();\n"
        + "  @Lstm(units = 3) Layer lstm();\n"
        + "  @Dense(units = 1) Layer dense_1();\n}");
    MODELS.put("DenseBetween", "@Input(timesteps = 6, features = 3)\n{\n"
        + "  @Dense(units = 5, activation = Activation.RELU) Layer dense();\n"
        + "  @Lstm(units = 4, returnSequences = true) Layer lstm();\n"
        + "  @Dense(units = 3, activation = Activation.SIGMOID) Layer dense_1();\n"
        + "  @Bidirectional @Gru(units = 2) Layer bi();\n}");
    MODELS.put("Float32Bi", "@Float32\n@Input(timesteps = 6, features = 3)\n{\n"
        + "  @Bidirectional(mergeMode = MergeMode.AVE) @Lstm(units = 4, returnSequences = true) Layer bidirectional();\n"
        + "  @Dense(units = 1) Layer dense();\n}");
    // Masking: checked on an input with masked steps (sample 0 padded at its end, sample 1 with a hole)
    MODELS.put("MaskedLstm", "@Input(timesteps = 6, features = 3)\n{\n"
        + "  @Masking(maskValue = 0.0) Layer masking();\n"
        + "  @Lstm(units = 4, returnSequences = true) Layer lstm();\n"
        + "  @Dense(units = 2) Layer dense();\n}");
    MODELS.put("MaskedGru", "@Input(timesteps = 7, features = 2)\n{\n"
        + "  @Masking(maskValue = 0.5) Layer masking();\n"
        + "  @Gru(units = 5, resetAfter = false, returnSequences = true) Layer gru();\n"
        + "  @Gru(units = 3) Layer gru_1();\n"
        + "  @Dense(units = 1) Layer dense();\n}");
    MODELS.put("MaskedBiSeq", "@Input(timesteps = 6, features = 3)\n{\n"
        + "  @Masking(maskValue = 0.0) Layer masking();\n"
        + "  @Bidirectional @Lstm(units = 3, returnSequences = true) Layer bidirectional();\n"
        + "  @Dense(units = 1) Layer dense();\n}");
    MODELS.put("MaskedBiLast", "@Input(timesteps = 5, features = 2)\n{\n"
        + "  @Masking(maskValue = -1.0) Layer masking();\n"
        + "  @Bidirectional(mergeMode = MergeMode.SUM) @Gru(units = 3) Layer bi();\n"
        + "  @Dense(units = 2, activation = Activation.TANH) Layer dense();\n}");
    MODELS.put("MaskedBackwards", "@Input(timesteps = 8, features = 2)\n{\n"
        + "  @Masking(maskValue = 0.0) Layer masking();\n"
        + "  @Dense(units = 3, activation = Activation.TANH) Layer dense();\n"
        + "  @Lstm(units = 3, goBackwards = true, returnSequences = true) Layer lstm();\n}");
    MODELS.put("MaskedKernel", "@Input(timesteps = 24, features = 3)\n{\n"
        + "  @Masking(maskValue = 0.0) Layer masking();\n"
        + "  @Lstm(units = 32, returnSequences = true) Layer lstm();\n"
        + "  @Dense(units = 1) Layer dense();\n}");
    MODELS.put("MaskedOneStep", "@Input(timesteps = 1, features = 2)\n{\n"
        + "  @Masking(maskValue = 0.0) Layer masking();\n"
        + "  @Gru(units = 2, returnSequences = true) Layer gru();\n}");
    MODELS.put("Float32Masked", "@Float32\n@Input(timesteps = 6, features = 3)\n{\n"
        + "  @Masking(maskValue = 0.0) Layer masking();\n"
        + "  @Bidirectional(mergeMode = MergeMode.CONCAT) @Gru(units = 4, returnSequences = true) Layer bi();\n"
        + "  @Lstm(units = 3) Layer lstm();\n}");
  }

  private static TestModels.Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = TestModels.compileTypes(declarations());
  }

  /** Each model's type declaration: its annotations on an empty interface, or a member form's annotations and body. */
  private static Map<String, String> declarations() {
    Map<String, String> d = new LinkedHashMap<>();
    MODELS.forEach((name, annotations) -> d.put(name, declaration(name)));
    return d;
  }

  private static String declaration(String name) {
    String annotations = MODELS.get(name);
    int body = annotations.indexOf("\n{\n");
    return body < 0 ? annotations + "\ninterface " + name + " {}\n"
        : annotations.substring(0, body) + "\ninterface " + name + " " + annotations.substring(body + 1) + "\n";
  }

  @Test
  void passesOnEveryModel() {
    List<String> failed = new ArrayList<>();
    for (String name : MODELS.keySet()) {
      SequenceModel model = compiled.model(name);
      long start = System.nanoTime();
      SelfCheck report = model.selfCheck();
      long cold = System.nanoTime() - start;
      start = System.nanoTime();
      model.selfCheck();
      long warm = System.nanoTime() - start;
      // the cost, for the record (no assertion on time)
      System.out.printf("%s%n  (first call %.1f ms, second %.1f ms)%n", report, cold / 1e6, warm / 1e6);
      assertTrue(report.referenceValues() >= 2, name + ": compared with the processor's values");
      // one direction per weight tensor, one for the input, and for a masked model dL/dx = 0 at its masked steps
      boolean masked = model.layers().get(0).isMasking();
      assertEquals(model.getWeights().size() + (masked ? 2 : 1), report.gradientsChecked(), name + ": gradients checked");
      assertEquals(name.startsWith("Float32"), report.float32(), name);
      // the gradients named by their layer and Keras weight (lstm kernel, gru recurrent_kernel, bi backward_gru/bias)
      assertFalse(report.worstGradient().startsWith("weights["), report::toString);
      if (!report.passed()) {
        failed.add(report.toString());
      }
    }
    assertTrue(failed.isEmpty(), () -> String.join("\n", failed));
  }

  @Test
  void theExpectedValuesAreTheInterpretersNotTheWritersCode() {
    String source = compiled.source("TwoFeatures");
    assertTrue(source.contains("private static final double[] SELF_CHECK_EXPECTED = {"), source);
    assertTrue(source.contains("return SelfChecks.run(new UnrolledTwoFeatures(), SELF_CHECK_EXPECTED, false);"), source);
    // 2 samples of one output: both values kept, and the loss
    assertTrue(source.contains("// output[0]") && source.contains("// output[1]")
        && source.contains("// L = sum(output * r)"), source);
  }

  @Test
  void leavesTheModelAsItWas() {
    SequenceModel model = compiled.model("Stack");
    Tensor x = Tensor.wrap(SelfChecks.input(7, 3), 2, 7, 3);
    List<Tensor> before = model.getWeights();
    Tensor y = model.predict(x);
    Stepper stepper = model.stepper();
    double[] first = stepper.step(new double[] {0.1, 0.2, 0.3}).clone();
    assertTrue(model.selfCheck().passed());
    assertEquals(before, model.getWeights());
    // the kept forward pass is still this model's: backward works and agrees with gradients()
    Tensor dOut = Tensor.zeros(y.shape());
    dOut.data()[0] = 1;
    Gradients kept = model.backward(dOut, null);
    Gradients fresh = model.gradients(x, dOut);
    assertArrayEquals(fresh.weights().get(0).data(), kept.weights().get(0).data(), 0);
    // the stepper still runs on the same weights and state
    stepper.reset();
    assertArrayEquals(first, stepper.step(new double[] {0.1, 0.2, 0.3}), 0);
  }

  @Test
  void failsWhenTheForwardCodeIsWrong() {
    // the written-out step of a small model, with the forget gate computed from the input gate's z
    String source = compiled.source("Tiny");
    String broken = replaceOnce(source, "double f = Activations.sigmoid(zf);", "double f = Activations.sigmoid(zi);");
    SelfCheck report = tampered("Tiny", broken).selfCheck();
    System.out.println(report);
    assertFalse(report.passed(), report::toString);
    assertFalse(report.forwardPassed(), report::toString);
    assertTrue(report.forwardError() > 1e-3, report::toString);
    assertThrows(IllegalStateException.class, report::orThrow);
  }

  @Test
  void failsWhenTheBackwardCodeIsWrong() {
    // BPTT that forgets the forget gate on the carry dL/dc_{t-1} = dc_t * f: the forward pass is right
    String source = compiled.source("Tiny");
    String broken = replaceOnce(source, "dc[di] = dct * f;", "dc[di] = dct;");
    SelfCheck report = tampered("Tiny", broken).selfCheck();
    System.out.println(report);
    assertTrue(report.forwardPassed(), report::toString);
    assertFalse(report.gradientsPassed(), report::toString);
    assertFalse(report.passed());
    assertTrue(report.toString().contains("FAILED"), report::toString);
  }

  @Test
  void failsWhenTheOutputDiffersFromTheExpectedValues() {
    // the same code at other weights: the check must notice that the output is not the expected one
    String source = compiled.source("Kernel32");
    String broken = replaceOnce(source, "this(DEFAULT_SEED);", "this(DEFAULT_SEED + 1);");
    SelfCheck report = tampered("Kernel32", broken).selfCheck();
    assertFalse(report.forwardPassed(), report::toString);
    assertTrue(report.gradientsPassed(), report::toString);
  }

  @Test
  void failsWhenAGruStepIsWrong() {
    // the GRU state update with z and 1 - z swapped: h_t = (1 - z) * h_{t-1} + z * h~
    String source = compiled.source("GruAfter");
    String broken = replaceOnce(source, "h[so + j] = z * h[si + j] + (1 - z) * hh;", "h[so + j] = (1 - z) * h[si + j] + z * hh;");
    SelfCheck report = tampered("GruAfter", broken).selfCheck();
    System.out.println(report);
    assertFalse(report.forwardPassed(), report::toString);
    assertTrue(report.forwardError() > 1e-3, report::toString);
  }

  @Test
  void failsWhenTheBackwardCopyIsMergedUnreversed() {
    // the merge reading the backward copy's step t for input step t, not its step T-1-t
    String source = compiled.source("BiConcat");
    int at = source.indexOf("y[row + UNITS + j] = ");
    assertTrue(at >= 0, "the concat merge's backward half in the generated source");
    String line = source.substring(at, source.indexOf('\n', at));
    String broken = replaceOnce(source, line, line.replace("((TIMESTEPS - 1 - t) * batch + b)", "(t * batch + b)"));
    SelfCheck report = tampered("BiConcat", broken).selfCheck();
    System.out.println(report);
    assertFalse(report.forwardPassed(), report::toString);
  }

  @Test
  void everyNewKindIsComparedWithTheInterpreter() {
    // the same code at other weights: the expected values of each kind are live, not a formality
    for (String name : List.of("GruBefore", "BiMulGru", "BiAveGru", "DenseFirst", "DenseBetween")) {
      String broken = replaceOnce(compiled.source(name), "this(DEFAULT_SEED);", "this(DEFAULT_SEED + 1);");
      SelfCheck report = tampered(name, broken).selfCheck();
      assertFalse(report.forwardPassed(), report::toString);
      assertTrue(report.gradientsPassed(), report::toString);
      assertTrue(report.forwardError() > 1e-6, report::toString);
    }
  }

  @Test
  void aWrongGradientFailsTheDefaultCheckAndTheWeightsComeBack() {
    SequenceModel model = compiled.model("Eight");
    SelfCheck right = new Delegate(model, 1.0, -1).selfCheck();
    assertTrue(right.passed(), right::toString);
    assertEquals(0, right.referenceValues(), "a model that is not generated has no expected values");
    List<Tensor> before = model.getWeights();
    SelfCheck wrong = new Delegate(model, 1.001, -1).selfCheck();
    System.out.println(wrong);
    assertFalse(wrong.passed(), wrong::toString);
    assertEquals(before, model.getWeights());
  }

  @Test
  void aGradientOffByOneTenthOfAPercentInOneTensorIsNamed() {
    // each tensor has its own direction: a mistake in one of them shows, under its name
    for (String name : List.of("Eight", "Stack", "BiConcat", "MaskedGru", "Float32Kernel")) {
      SequenceModel model = compiled.model(name);
      int tensors = model.getWeights().size();
      for (int k : new int[] {0, tensors - 1}) {
        boolean float32 = name.startsWith("Float32");
        SelfCheck wrong = SelfChecks.run(new Delegate(model, float32 ? 1.1 : 1.001, k), null, float32);
        System.out.println(wrong);
        assertFalse(wrong.gradientsPassed(), () -> name + " tensor " + k + ": " + wrong);
        String tensor = SelfChecks.weightNames(model.layers(), tensors).get(k);
        assertTrue(wrong.worstGradient().startsWith(tensor + " ("), () -> name + " tensor " + k + ": " + wrong);
      }
    }
  }

  @Test
  void aMaskedModelIsComparedOnMaskedSteps() {
    // the check input of a masked model has masked steps: the expected values depend on the mask value
    for (String name : List.of("MaskedLstm", "MaskedGru", "MaskedBiSeq", "MaskedBiLast", "MaskedBackwards")) {
      SequenceModel model = compiled.model(name);
      double maskValue = model.layers().get(0).maskValue();
      double[] x = SelfChecks.maskedInput(model.inputShape()[0], model.inputShape()[1], maskValue);
      int masked = 0;
      for (double v : x) {
        masked += v == maskValue ? 1 : 0;
      }
      assertTrue(masked >= 2 * model.inputShape()[1], name + ": masked values " + masked);
      String source = compiled.source(name);
      assertTrue(source.contains("some steps set to the mask value"), source);
      assertTrue(source.contains("return SelfChecks.run(new Unrolled" + name + "(), SELF_CHECK_EXPECTED, false);"), source);
    }
  }

  @Test
  void failsWhenTheMaskIsReadUnreversedByTheBackwardCopy() {
    // the backward copy of a Bidirectional LSTM reading the mask of step t at its step t, not of step T-1-t
    String source = compiled.source("MaskedBiSeq");
    String reversed = "if (mask[(TIMESTEPS - 1 - t) * batch + b])";
    assertTrue(source.contains(reversed), "the backward copy's reversed mask in the generated source");
    String broken = source.replace(reversed, "if (mask[t * batch + b])");
    SelfCheck report = tampered("MaskedBiSeq", broken).selfCheck();
    System.out.println(report);
    assertFalse(report.forwardPassed(), report::toString);
    assertTrue(report.forwardError() > 1e-3, report::toString);
  }

  @Test
  void failsWhenAMaskedStepForgetsTheCellState() {
    // a masked step that carries h but not c: only a hole followed by unmasked steps shows it
    String source = compiled.source("MaskedLstm");
    String broken = replaceOnce(source, "System.arraycopy(c, row * UNITS, c, (row + batch) * UNITS, UNITS);", "");
    SelfCheck report = tampered("MaskedLstm", broken).selfCheck();
    System.out.println(report);
    assertFalse(report.forwardPassed(), report::toString);
  }

  @Test
  void failsWhenTheBidirectionalOutputIsNotZeroAtMaskedSteps() {
    // the forward pass outputs the carried h inside the Bidirectional instead of Keras's zeros
    String source = compiled.source("MaskedBiSeq");
    String zero = "Masks.zero(mask, t * batch, batch, y, t * batch * WIDTH, WIDTH);";
    String broken = replaceOnce(source, zero, "");
    SelfCheck report = tampered("MaskedBiSeq", broken).selfCheck();
    System.out.println(report);
    assertFalse(report.forwardPassed(), report::toString);
  }

  @Test
  void failsWhenTheMaskedBackwardPassLeaksGradient() {
    // the backward pass forgets that the output is constant 0 at masked steps: the forward pass is right
    String source = compiled.source("MaskedBiSeq");
    String zero = "Masks.zero(mask, t * batch, batch, dy, t * batch * WIDTH, WIDTH);";
    String broken = replaceOnce(source, zero, "");
    SelfCheck report = tampered("MaskedBiSeq", broken).selfCheck();
    System.out.println(report);
    assertTrue(report.forwardPassed(), report::toString);
    assertFalse(report.gradientsPassed(), report::toString);
  }

  @Test
  void aModelOverTheCompileTimeBudgetStoresNoValues() {
    Compilation c = ModelCompiler.compile("test.M",
        "package test;\n\nimport dev.unroll.*;\n\n@Lstm(units = 200, timesteps = 1000, features = 8)\ninterface M {}\n",
        ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
    String source = source(c, "test.UnrolledM");
    assertFalse(source.contains("SELF_CHECK_EXPECTED"), source);
    assertTrue(source.contains("return SelfChecks.run(new UnrolledM(), null, false);"), source);
    assertTrue(source.contains("The processor computed no expected output for this model"), source);
  }

  private static String replaceOnce(String source, String target, String replacement) {
    int at = source.indexOf(target);
    assertTrue(at >= 0 && source.indexOf(target, at + 1) < 0, "expected one '" + target + "' in the generated source");
    return source.substring(0, at) + replacement + source.substring(at + target.length());
  }

  /** Compiles a declaration and a (changed) generated source for it without the processor, and instantiates it. */
  private static SequenceModel tampered(String name, String generated) {
    String declaration = "package models;\n\nimport dev.unroll.*;\n\n" + declaration(name);
    List<JavaFileObject> files = List.of(JavaFileObjects.forSourceString("models." + name, declaration),
        JavaFileObjects.forSourceString("models.Unrolled" + name, generated));
    Compilation c = com.google.testing.compile.Compiler.javac().withOptions("-proc:none").compile(files);
    assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
    return ModelCompiler.newInstance(c, "models.Unrolled" + name, null);
  }

  private static String source(Compilation c, String name) {
    try {
      return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A model that is not generated: delegates to one that is, its weight gradients scaled by
   * {@code factor} (those of tensor {@code only}, or of every tensor when it is -1).
   */
  private record Delegate(SequenceModel model, double factor, int only) implements SequenceModel {
    @Override
    public int paramCount() {
      return model.paramCount();
    }

    @Override
    public String summary() {
      return model.summary();
    }

    @Override
    public List<LayerInfo> layers() {
      return model.layers();
    }

    @Override
    public int[] inputShape() {
      return model.inputShape();
    }

    @Override
    public int[] outputShape() {
      return model.outputShape();
    }

    @Override
    public Tensor predict(Tensor x, List<Tensor> initialState, Tensor out) {
      return model.predict(x, initialState, out);
    }

    @Override
    public Gradients gradients(Tensor x, List<Tensor> initialState, Tensor dOutput, Gradients into) {
      Gradients g = model.gradients(x, initialState, dOutput, into);
      for (int k = 0; k < g.weights().size(); k++) {
        if (only >= 0 && k != only) {
          continue;
        }
        Tensor t = g.weights().get(k);
        for (int i = 0; i < t.size(); i++) {
          t.data()[i] *= factor;
        }
      }
      return g;
    }

    @Override
    public Gradients backward(Tensor dOutput, Gradients into) {
      return model.backward(dOutput, into);
    }

    @Override
    public List<Tensor> getWeights() {
      return model.getWeights();
    }

    @Override
    public void setWeights(List<Tensor> weights) {
      model.setWeights(weights);
    }

    @Override
    public Stepper stepper() {
      return model.stepper();
    }
  }
}
