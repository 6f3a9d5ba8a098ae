package dev.unroll.processor.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Planner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The writers without javac: a model spec in, Java source out. What the source does is checked by
 * the behaviour tests, which compile it; here, that the parts derive from the layer descriptions.
 */
class ModelWriterTest {

  private static String write(ModelSpec model) {
    return new ModelWriter(model, new Planner(Planner.DEFAULT_MAX_UNROLLED_STEPS).plan(model), true).write().toString();
  }

  private static ModelSpec stack(boolean float32) {
    LstmLayer lstm = new LstmLayer("lstm", 20, 3, 2, Activation.TANH, Activation.SIGMOID, true, true, true, false,
        false);
    LstmLayer lstm1 = new LstmLayer("lstm_1", 2, 3, 20, Activation.TANH, Activation.HARD_SIGMOID, false, false, false,
        false, false);
    DenseLayer dense = new DenseLayer("dense", 2, 2, 0, Activation.SOFTMAX, true);
    return ModelSpec.of("p", "Stack", List.of(lstm, lstm1, dense), float32);
  }

  @Test
  void oneNestedClassPerLayerAndTheStepper() {
    String source = write(stack(false));
    assertTrue(source.contains("public final class UnrolledStack implements Stack, SequenceModel {"), source);
    for (String nested : List.of("static final class Lstm {", "static final class Lstm1 extends DLstmBuffers {",
        "static final class Dense {",
        "static final class ModelStepper extends GeneratedStepper {")) {
      assertTrue(source.contains(nested), nested);
    }
    assertTrue(source.contains("public static final int PARAM_COUNT = " + stack(false).paramCount() + ";"));
  }

  @Test
  void weightListsDeriveFromTheDescriptions() {
    String source = write(stack(false));
    String list = "lstm kernel (2, 80), lstm recurrent_kernel (20, 80), lstm bias (80,), lstm_1 kernel (20, 8), "
        + "lstm_1 recurrent_kernel (2, 8), dense kernel (2, 2), dense bias (2,)";
    assertTrue(source.contains("model.get_weights()}: " + list + "."), source);
    // the table the runtime's checks and messages derive from (ModelTableTest checks those)
    assertTrue(source.contains("new String[] {\"lstm kernel\", \"lstm recurrent_kernel\", \"lstm bias\", "
        + "\"lstm_1 kernel\", \"lstm_1 recurrent_kernel\", \"dense kernel\", \"dense bias\"}"), source);
    assertTrue(source.contains("new int[][] {{2, 80}, {20, 80}, {80}, {20, 8}, {2, 8}, {2, 2}, {2}}"), source);
    assertTrue(source.contains(
        "Weights in all: 4*(F*U + U*U + U) = 4*(2*20 + 20*20 + 20) + 4*(F*U + U*U) = 4*(20*2 + 2*2) (no bias)"
            + " + (2*2 + 2)."),
        source);
  }

  @Test
  void theStackIsWiredThroughPorts() {
    String source = write(stack(false));
    // lstm (20 units, the kernel form) returns sequences: every step of h (after the initial-state block) into
    // the input of lstm_1 (2 units, written out)
    assertTrue(source.contains("Layout.copySteps(lstm.h, batch * 20, lstm1.x, 0, batch, TIMESTEPS, 20, false);"),
        source);
    // lstm_1 returns its last step to the Dense head
    assertTrue(source.contains("Layout.copy(lstm1.h, TIMESTEPS * batch * 2, dense.x.data, 0, batch * 2);"), source);
    // no layer returns its state, so there is no predictWithState
    assertTrue(!source.contains("predictWithState"), source);
    assertTrue(source.contains("lstm1.startBackward();"), source);
    assertTrue(source.contains("Layout.copy(dense.dx.data, 0, lstm1.dh, 0, batch * 2);"), source);
    assertTrue(source.contains("Layout.copySteps(lstm1.dx, 0, lstm.dhSeq, 0, batch, TIMESTEPS, 20, false);"), source);
    assertTrue(source.contains("TABLE.copyGradients(gradientArrays, into.weights());"), source);
    assertTrue(source.contains("gradientArrays = {lstm.dKernel.data, lstm.dRecurrentKernel.data, lstm.dBias.data, "
        + "lstm1.dKernel, lstm1.dRecurrentKernel, dense.dKernel.data, dense.dBias.data};"), source);
  }

  @Test
  void float32UsesFloatArrays() {
    String source = write(stack(true));
    assertTrue(source.contains("float[]"), source);
    assertTrue(source.contains("FMatrixRMaj"), source);
  }

  /** The validator keeps user methods from clashing with these: they must be what the writer declares. */
  @Test
  void theHelpersTheValidatorKnowsAreTheOnesWritten() {
    LstmLayer state = new LstmLayer("lstm", 2, 3, 2, Activation.TANH, Activation.SIGMOID, true, true, false, true,
        false);
    String source = write(ModelSpec.of("p", "M", List.of(state), false));
    for (String signature : ModelWriter.PRIVATE_HELPERS) {
      String name = signature.substring(0, signature.indexOf('('));
      assertTrue(source.contains("private void " + name + "(") || source.contains("private static void " + name + "(")
          || source.contains("private static Gradients " + name + "("), signature);
    }
    for (String signature : ModelWriter.PUBLIC_EXTRAS.keySet()) {
      String name = signature.substring(0, signature.indexOf('('));
      assertTrue(source.contains(" " + name + "("), signature);
    }
    assertEquals(2, ModelWriter.PRIVATE_HELPERS.size());
  }

  /** What the processor writes: the layers' classes before the model's constructors and methods, and compacted. */
  @Test
  void theLayerClassesComeFirstInTheSource() {
    String source = new ModelWriter(stack(false), new Planner(Planner.DEFAULT_MAX_UNROLLED_STEPS).plan(stack(false)),
        true).source();
    int constructor = source.indexOf("  public UnrolledStack() {");
    for (String nested : List.of("  private static final class Lstm {", "  private static final class Lstm1 extends DLstmBuffers {",
        "  private static final class Dense {")) {
      assertTrue(source.indexOf(nested) > 0 && source.indexOf(nested) < constructor, nested);
    }
    assertTrue(source.indexOf("void cell(") < source.indexOf("public Tensor predict("), source);
    assertTrue(source.indexOf("static final class ModelStepper") > constructor, source);
    // compacted: a one-line Javadoc on one line
    assertTrue(source.contains("  /** The seed of {@link #UnrolledStack()}. */\n  public static final long DEFAULT_SEED = 42L;"),
        source);
  }

  @Test
  void compactJoinsOneLineJavadocAndFieldLines() {
    String in = "class A {\n  /**\n   * One line.\n   */\n  int a;\n\n  int b;\n\n  /**\n   * Two\n   * lines.\n   */\n"
        + "  void m() {\n  }\n}\n";
    assertEquals("class A {\n  /** One line. */\n  int a;\n  int b;\n\n  /**\n   * Two\n   * lines.\n   */\n"
        + "  void m() {\n  }\n}\n", ModelWriter.compact(in));
  }

  @Test
  void generatedNames() {
    assertEquals("UnrolledOuter_Inner", ModelSpec.generatedSimpleName(List.of("Outer", "Inner")));
  }
}
