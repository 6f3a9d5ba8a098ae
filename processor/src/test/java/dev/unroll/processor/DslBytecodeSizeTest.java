package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.model.Planner;
import dev.unroll.processor.testing.ClassFiles;
import dev.unroll.processor.testing.ModelCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HotSpot does not JIT-compile a method of more than 8000 bytes of bytecode: checks every method
 * of every class generated for the largest stacks the DSL allows ({@link Limits#MAX_LAYERS}
 * layers), wide float32 layers and long sequences, and that one layer more is refused. Each model
 * is also run once, on a batch of one, so that a method javac accepts but the verifier or the
 * runtime would not is caught too.
 */
class DslBytecodeSizeTest {

  /** The most layers a model may have. */
  private static final int MAX = Limits.MAX_LAYERS;

  /** {@code count} @Lstm layers of {@code units}, each returning sequences but the last unless {@code sequences}. */
  private static List<String> lstms(int count, int units, int timesteps, int features, boolean sequences) {
    List<String> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String shape = i == 0 ? ", timesteps = " + timesteps + ", features = " + features : "";
      boolean returns = sequences || i < count - 1;
      layers.add("@Lstm(units = " + units + shape + (returns ? ", returnSequences = true" : "") + ")");
    }
    return layers;
  }

  private static List<String> denses(int count, int units) {
    List<String> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      layers.add("@Dense(units = " + units + (i % 2 == 0 ? ", activation = Activation.TANH" : "") + ")");
    }
    return layers;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("MAX LSTM, T = 24", lstms(MAX, 2, 24, 3, false), null),
        Arguments.of("MAX LSTM returning sequences, T = 32", lstms(MAX, 2, 32, 3, true), null),
        Arguments.of("MAX LSTM of 64 units, goBackwards", lstms(MAX, 64, 8, 3, false).stream()
            .map(a -> a.replace(")", ", goBackwards = true)")).toList(), null),
        Arguments.of("MAX/2 LSTM + MAX/2 Dense, T = 24", concat(lstms(MAX / 2, 3, 24, 2, false), denses(MAX / 2, 3)),
            null),
        Arguments.of("MAX-1 LSTM + 1 Dense per timestep, T = 32", concat(lstms(MAX - 1, 2, 32, 1, true), denses(1, 1)),
            null),
        Arguments.of("1 LSTM + MAX-1 Dense per timestep", concat(lstms(1, 4, 16, 2, true), denses(MAX - 1, 4)), null),
        Arguments.of("MAX LSTM, T = 1000", lstms(MAX, 2, 1000, 1, false), null),
        Arguments.of("float32: MAX LSTM, T = 24", concat(List.of("@Float32"), lstms(MAX, 2, 24, 3, false)), null),
        Arguments.of("float32, U = 512: 2 LSTM + Dense(512) + Dense(1)",
            concat(List.of("@Float32"), lstms(2, 512, 8, 16, false), denses(1, 512), List.of("@Dense(units = 1)")), null),
        Arguments.of("float32, U = 512, per timestep",
            concat(List.of("@Float32"), lstms(3, 512, 8, 16, true), denses(2, 512)), null),
        Arguments.of("U = 512, no bias", List.of(
            "@Lstm(units = 512, timesteps = 8, features = 16, returnSequences = true, useBias = false)",
            "@Lstm(units = 512, useBias = false)", "@Dense(units = 512, useBias = false)"), null),
        Arguments.of("T = 1000: 3 LSTM + Dense", concat(lstms(3, 8, 1000, 3, false), denses(1, 1)), null),
        Arguments.of("T = 1000: 3 LSTM + 2 Dense per timestep", concat(lstms(3, 8, 1000, 3, true), denses(2, 2)), null),
        Arguments.of("float32, T = 1000: 3 LSTM + Dense", concat(List.of("@Float32"), lstms(3, 8, 1000, 3, false),
            denses(1, 1)), null),
        Arguments.of("T = 1000, goBackwards and returnState", List.of(
            "@Lstm(units = 8, timesteps = 1000, features = 3, returnSequences = true, goBackwards = true)",
            "@Lstm(units = 8, returnState = true)"), null),
        // a user raising the unroll limit: the byte budget still rolls what would not fit, in every layer
        Arguments.of("T = 700, maxUnrolledSteps = 2000: 3 LSTM + Dense", concat(lstms(3, 8, 700, 3, true), denses(1, 1)),
            "-Aunroll.maxUnrolledSteps=2000"),
        Arguments.of("T = 1000, maxUnrolledSteps = 2000: MAX LSTM", lstms(MAX, 2, 1000, 1, false),
            "-Aunroll.maxUnrolledSteps=2000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyMethodStaysUnderTheJitLimit(String name, List<String> annotations, String option) {
    String source = "package test;\n\nimport dev.unroll.*;\n\n" + String.join("\n", annotations) + "\ninterface M {}\n";
    String[] options = option == null ? ModelCompiler.LINT
        : new String[] {ModelCompiler.LINT[0], ModelCompiler.LINT[1], option};
    Compilation c = ModelCompiler.compile("test.M", source, options);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());

    // one plan NOTE per LSTM layer
    long lstmLayers = annotations.stream().filter(a -> a.startsWith("@Lstm(")).count();
    long plans = c.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.NOTE)
        .filter(d -> d.getMessage(null).startsWith("Unroll: UnrolledM, layer lstm"))
        .count();
    assertEquals(lstmLayers, plans, () -> c.diagnostics().toString());

    Map<String, byte[]> classes = ModelCompiler.classFiles(c);
    assertTrue(classes.containsKey("test.UnrolledM"), classes.keySet()::toString);
    String largest = "";
    int largestSize = 0;
    for (Map.Entry<String, byte[]> cls : classes.entrySet()) {
      for (Map.Entry<String, Integer> method : ClassFiles.codeLengths(cls.getValue()).entrySet()) {
        String where = cls.getKey() + "." + method.getKey();
        assertTrue(method.getValue() < Planner.HUGE_METHOD_LIMIT,
            where + " has " + method.getValue() + " bytes of bytecode, over HotSpot's limit of "
                + Planner.HUGE_METHOD_LIMIT);
        if (method.getValue() > largestSize) {
          largestSize = method.getValue();
          largest = where;
        }
      }
    }
    assertTrue(largestSize > 0, largest);

    // loads, verifies and runs
    SequenceModel m = ModelCompiler.newInstance(c, "test.UnrolledM", 7L);
    int[] in = m.inputShape();
    Tensor y = m.predict(Tensor.zeros(1, in[0], in[1]));
    assertEquals(m.outputShape().length + 1, y.shape().length);
    for (double v : y.data()) {
      assertTrue(Double.isFinite(v), name + ": output not finite");
    }
  }

  @Test
  void oneLayerMoreIsRefused() {
    String source = "package test;\n\nimport dev.unroll.*;\n\n" + String.join("\n", concat(lstms(MAX, 2, 24, 3, false),
        List.of("@Dense(units = 1) // one too many"))) + "\ninterface M {}\n";
    Compilation c = ModelCompiler.compile("test.M", source, ModelCompiler.LINT);
    assertThat(c).hadErrorContaining("Unroll models have at most " + MAX + " layers, found " + (MAX + 1)
            + "; split the model")
        .inFile(c.sourceFiles().get(0)).onLineContaining("// one too many");
    assertThat(c).hadErrorCount(1);
    // a refused model is not planned: no NOTE (and javac keeps no generated files after an error)
    assertTrue(c.notes().stream().noneMatch(n -> n.getMessage(null).startsWith("Unroll: ")), c.notes()::toString);
  }
}
