package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.Sources.compile;
import static dev.unroll.processor.Sources.compileLint;
import static dev.unroll.processor.Sources.inTest;
import static dev.unroll.processor.Sources.lintAnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.truth.StringSubject;
import com.google.testing.compile.Compilation;
import dev.unroll.Activation;
import dev.unroll.LayerInfo;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ModelCompiler;
import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Successful compiles of the model DSL with {@link ModelCompiler#LINT} (-Xlint:all -Werror, so
 * the generated code is warning-free): stacks with and without @Dense heads, every @Dense
 * activation, @Float32, goBackwards, returnState, stated shapes that agree, and the summary, with
 * its Keras names, shapes and parameter counts checked by hand. Each model is loaded and run once
 * for its shapes; the behaviour tests check the numbers.
 */
class DslGeneratedCodeTest {

  private static StringSubject generated(Compilation c) {
    return assertThat(c).generatedSourceFile("test.UnrolledM").contentsAsUtf8String();
  }

  /** Compiles {@code source} (declaring M) with lint, asserts success and returns a new UnrolledM. */
  private static SequenceModel accepted(Compilation c) {
    assertThat(c).succeededWithoutWarnings();
    return ModelCompiler.newInstance(c, "test.UnrolledM", 1L);
  }

  /** Runs a batch of 2 through {@code m} and checks the output's shape. */
  private static void predictsShape(SequenceModel m, int timesteps, int features, int... output) {
    assertArrayEquals(new int[] {timesteps, features}, m.inputShape());
    assertArrayEquals(output, m.outputShape());
    int[] batch = new int[output.length + 1];
    batch[0] = 2;
    System.arraycopy(output, 0, batch, 1, output.length);
    Tensor y = m.predict(Tensor.zeros(2, timesteps, features));
    assertArrayEquals(batch, y.shape());
    for (double v : y.data()) {
      assertTrue(Double.isFinite(v), "output not finite: " + v);
    }
  }

  private static String names(SequenceModel m) {
    return m.layers().stream().map(LayerInfo::name).collect(Collectors.joining(", "));
  }

  @Test
  void twoLstmsAndADense() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 6,
            timesteps = 5,
            features = 3,
            returnSequences = true)
        @Lstm(
            units = 4)
        @Dense(
            units = 1)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    assertEquals(240 + 176 + 5, m.paramCount());
    assertEquals("lstm, lstm_1, dense", names(m));
    predictsShape(m, 5, 3, 1);
  }

  @Test
  void threeLstmsAndTwoDenses() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 8,
            timesteps = 7,
            features = 2,
            returnSequences = true)
        @Lstm(
            units = 6,
            returnSequences = true)
        @Lstm(
            units = 4)
        @Dense(
            units = 3,
            activation = Activation.RELU)
        @Dense(
            units = 2,
            activation = Activation.SOFTMAX)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    // 4*(2*8+64+8) + 4*(8*6+36+6) + 4*(6*4+16+4) + (4*3+3) + (3*2+2)
    assertEquals(352 + 360 + 176 + 15 + 8, m.paramCount());
    assertEquals("lstm, lstm_1, lstm_2, dense, dense_1", names(m));
    predictsShape(m, 7, 2, 2);
    // softmax over 2 units: each row sums to 1
    Tensor y = m.predict(Tensor.zeros(1, 7, 2));
    assertEquals(1.0, y.data()[0] + y.data()[1], 1e-12);
  }

  @Test
  void twoLstmsWithoutDense() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 5,
            timesteps = 4,
            features = 2,
            returnSequences = true)
        @Lstm(
            units = 3)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    assertEquals(4 * (2 * 5 + 25 + 5) + 4 * (5 * 3 + 9 + 3), m.paramCount());
    predictsShape(m, 4, 2, 3);
  }

  /** The last LSTM returns sequences: so does the model. */
  @Test
  void threeLstmsReturningSequences() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 5,
            timesteps = 4,
            features = 2,
            returnSequences = true)
        @Lstm(
            units = 4,
            returnSequences = true)
        @Lstm(
            units = 3,
            returnSequences = true)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    predictsShape(m, 4, 2, 4, 3);
    generated(c).contains("return new int[] {TIMESTEPS, OUTPUTS};");
  }

  /** After a layer that returns sequences, a @Dense applies to every timestep, as Keras's. */
  @Test
  void denseAfterSequences() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 6,
            features = 3,
            returnSequences = true)
        @Dense(
            units = 2)
        @Dense(
            units = 1,
            activation = Activation.SIGMOID)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    assertEquals(4 * (3 * 4 + 16 + 4) + (4 * 2 + 2) + (2 + 1), m.paramCount());
    predictsShape(m, 6, 3, 6, 1);
  }

  @Test
  void denseAfterTheLastOutput() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 6,
            features = 3)
        @Dense(
            units = 2,
            useBias = false)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    assertEquals(4 * (3 * 4 + 16 + 4) + 4 * 2, m.paramCount());
    predictsShape(m, 6, 3, 2);
  }

  /** Every activation a @Dense takes, SOFTMAX included (over 3 units). */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void everyDenseActivation(Activation a) {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 3,
            features = 2)
        @Dense(
            units = 3,
            activation = Activation.%s)
        interface M {}
        """.formatted(a.name())));
    SequenceModel m = accepted(c);
    predictsShape(m, 3, 2, 3);
    assertEquals(a, m.layers().get(1).activation());
  }

  /** A @Dense applying to every timestep, with every activation. */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void everyDenseActivationPerTimestep(Activation a) {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 3,
            features = 2,
            returnSequences = true)
        @Dense(
            units = 3,
            activation = Activation.%s)
        interface M {}
        """.formatted(a.name())));
    predictsShape(accepted(c), 3, 2, 3, 3);
  }

  @Test
  void float32SingleLayer() {
    Compilation c = compileLint(inTest("M", """
        @Float32
        @Lstm(
            units = 16,
            timesteps = 5,
            features = 3)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    generated(c).contains("FMatrixRMaj");
    generated(c).doesNotContain("DMatrixRMaj");
    predictsShape(m, 5, 3, 16);
  }

  @Test
  void float32Stack() {
    Compilation c = compileLint(inTest("M", """
        @Float32
        @Lstm(
            units = 8,
            timesteps = 5,
            features = 3,
            returnSequences = true)
        @Lstm(
            units = 4,
            returnSequences = true)
        @Dense(
            units = 2,
            activation = Activation.TANH)
        @Dense(
            units = 1)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    generated(c).contains("FMatrixRMaj");
    generated(c).doesNotContain("DMatrixRMaj");
    assertEquals(4 * (3 * 8 + 64 + 8) + 4 * (8 * 4 + 16 + 4) + (4 * 2 + 2) + (2 + 1), m.paramCount());
    predictsShape(m, 5, 3, 5, 1);
  }

  /** @Float32 after the layers, on an abstract class: where it is written does not matter. */
  @Test
  void float32AfterTheLayersOnAClass() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 3)
        @Dense(
            units = 1)
        @Float32
        abstract class M {}
        """));
    assertThat(c).succeededWithoutWarnings();
    generated(c).contains("FMatrixRMaj");
  }

  @Test
  void goBackwards() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 3,
            goBackwards = true)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    assertTrue(m.layers().get(0).goBackwards());
    predictsShape(m, 5, 3, 4);
  }

  @Test
  void goBackwardsInAStack() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 3,
            returnSequences = true)
        @Lstm(
            units = 3,
            goBackwards = true,
            returnSequences = true)
        @Dense(
            units = 2)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    assertTrue(m.layers().get(1).goBackwards());
    predictsShape(m, 5, 3, 5, 2);
  }

  /** returnState on the last layer: predictWithState returns the output, h_T and c_T. */
  @Test
  void returnStateOnTheLastLayer() throws ReflectiveOperationException {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 3,
            returnSequences = true)
        @Lstm(
            units = 3,
            returnState = true)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    generated(c).contains("public List<Tensor> predictWithState(");
    generated(c).contains("public Gradients gradientsWithState(");
    Method predictWithState = m.getClass().getMethod("predictWithState", Tensor.class, List.class);
    @SuppressWarnings("unchecked")
    List<Tensor> out = (List<Tensor>) predictWithState.invoke(m, Tensor.zeros(2, 5, 3), null);
    assertEquals(3, out.size());
    for (Tensor t : out) {
      assertArrayEquals(new int[] {2, 3}, t.shape());
    }
  }

  /** returnState and returnSequences on the last layer: the output is the sequence, the states (batch, units). */
  @Test
  void returnStateWithSequences() throws ReflectiveOperationException {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 3,
            returnSequences = true,
            returnState = true)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    Method predictWithState = m.getClass().getMethod("predictWithState", Tensor.class, List.class);
    @SuppressWarnings("unchecked")
    List<Tensor> out = (List<Tensor>) predictWithState.invoke(m, Tensor.zeros(2, 5, 3), null);
    assertArrayEquals(new int[] {2, 5, 4}, out.get(0).shape());
    assertArrayEquals(new int[] {2, 4}, out.get(1).shape());
    assertArrayEquals(new int[] {2, 4}, out.get(2).shape());
  }

  @Test
  void withoutReturnStateThereIsNoPredictWithState() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 3)
        interface M {}
        """));
    assertThat(c).succeededWithoutWarnings();
    generated(c).doesNotContain("predictWithState(");
  }

  /** Later layers may state timesteps and features if they agree with what they infer. */
  @Test
  void statedShapesThatAgree() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 6,
            timesteps = 5,
            features = 3,
            returnSequences = true)
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 6,
            returnSequences = true)
        @Lstm(
            units = 2,
            features = 4)
        interface M {}
        """));
    predictsShape(accepted(c), 5, 3, 2);
  }

  /** @Lstm and @Dense interleaved in the source: the stack is the @Lstm in order, then the @Dense. */
  @Test
  void interleavedAnnotationsStackLstmsFirst() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 6,
            timesteps = 5,
            features = 3,
            returnSequences = true)
        @Dense(
            units = 2)
        @Lstm(
            units = 4)
        interface M {}
        """));
    SequenceModel m = accepted(c);
    assertEquals("lstm, lstm_1, dense", names(m));
    assertEquals(4, m.layers().get(2).inputs());
    predictsShape(m, 5, 3, 2);
  }

  /** A warning (SOFTMAX over one unit) fails a -Werror build: it is a real warning, not a note. */
  @Test
  void softmaxOfOneFailsAWerrorBuild() {
    Compilation c = compileLint(inTest("M", """
        @Lstm(
            units = 4,
            timesteps = 5,
            features = 3)
        @Dense(
            units = 1,
            activation = Activation.SOFTMAX)
        interface M {}
        """));
    assertThat(c).failed();
    assertThat(c).hadWarningContaining("@Dense activation = SOFTMAX over units = 1");
  }

  /**
   * The summary of the 3-layer example, by hand: LSTM(6) on F = 3: 4·(3·6 + 36 + 6) = 240;
   * LSTM(4) on 6: 4·(6·4 + 16 + 4) = 176; Dense(1) on 4: 4 + 1 = 5; total 421.
   */
  @Test
  void summaryOfAThreeLayerModel() {
    JavaFileObject file = inTest("M", """
        @Lstm(
            units = 6,
            timesteps = 5,
            features = 3,
            returnSequences = true)
        @Lstm(
            units = 4)
        @Dense(
            units = 1)
        interface M {}
        """);
    Compilation c = compile(lintAnd("-Aunroll.summary=true"), file);
    assertThat(c).succeededWithoutWarnings();
    String table = String.join("\n",
        "Model: \"M\"",
        "_________________________________________________________________",
        " Layer (type)                Output Shape              Param #",
        "=================================================================",
        " lstm (LSTM)                 (None, 5, 6)              240",
        "",
        " lstm_1 (LSTM)               (None, 4)                 176",
        "",
        " dense (Dense)               (None, 1)                 5",
        "=================================================================",
        "Total params: 421",
        "Trainable params: 421",
        "Non-trainable params: 0",
        "_________________________________________________________________");
    // javac indents the lines after a diagnostic's first by two spaces
    assertThat(c).hadNoteContaining("Unroll: UnrolledM\n" + table.indent(2).stripTrailing())
        .inFile(file).onLineContaining("interface M");
    SequenceModel m = ModelCompiler.newInstance(c, "test.UnrolledM", null);
    assertEquals(421, m.paramCount());
    assertTrue(m.summary().contains(" lstm_1 (LSTM)               (None, 4)                 176"), m.summary());
    assertTrue(m.summary().contains("Total params: 421"), m.summary());
  }

  /** Two of each: lstm, lstm_1, dense, dense_1, with per-timestep Dense shapes; totals grouped. */
  @Test
  void summaryNamesEveryLayerAsKerasDoes() {
    JavaFileObject file = inTest("M", """
        @Lstm(
            units = 32,
            timesteps = 24,
            features = 3,
            returnSequences = true)
        @Lstm(
            units = 16,
            returnSequences = true)
        @Dense(
            units = 8,
            activation = Activation.RELU)
        @Dense(
            units = 1)
        interface M {}
        """);
    Compilation c = compile(lintAnd("-Aunroll.summary=true"), file);
    assertThat(c).succeededWithoutWarnings();
    // 4*(3*32+1024+32) = 4608; 4*(32*16+256+16) = 3136; 16*8+8 = 136; 8+1 = 9; total 7889
    assertThat(c).hadNoteContaining(" lstm (LSTM)                 (None, 24, 32)            4608\n");
    assertThat(c).hadNoteContaining(" lstm_1 (LSTM)               (None, 24, 16)            3136\n");
    assertThat(c).hadNoteContaining(" dense (Dense)               (None, 24, 8)             136\n");
    assertThat(c).hadNoteContaining(" dense_1 (Dense)             (None, 24, 1)             9\n");
    assertThat(c).hadNoteContaining("Total params: 7,889\n");
    // and the planner's NOTE for each LSTM layer, none for the Dense layers
    assertThat(c).hadNoteContaining("Unroll: UnrolledM, layer lstm: time loop unrolled over 24 timesteps");
    assertThat(c).hadNoteContaining("Unroll: UnrolledM, layer lstm_1: time loop unrolled over 24 timesteps");
    assertFalse(c.notes().stream().anyMatch(n -> n.getMessage(null).contains("layer dense")), c.notes()::toString);
  }

  /** The same model twice in one compilation, in two files: two classes, no clash. */
  @Test
  void twoStackedModelsInOneCompilation() {
    Compilation c = compileLint(
        inTest("A", "@Lstm(units = 2, timesteps = 3, features = 1, returnSequences = true)\n@Lstm(units = 2)\ninterface A {}\n"),
        inTest("B", "@Lstm(units = 2, timesteps = 3, features = 1)\n@Dense(units = 1)\ninterface B {}\n"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.UnrolledA");
    assertThat(c).generatedSourceFile("test.UnrolledB");
  }
}
