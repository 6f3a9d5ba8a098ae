package dev.unroll.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.model.Planner;
import dev.unroll.processor.testing.ClassFiles;
import dev.unroll.processor.testing.ModelCompiler;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HotSpot does not JIT-compile a method of more than 8000 bytes of bytecode: reads the class files
 * the processor's output compiles to and checks every method of every generated class, for long
 * sequences and wide layers, and that the planner's choice (unrolled or rolled) is the one it
 * announces.
 */
class BytecodeSizeTest {

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of("units = 8, timesteps = 1, features = 3", null, true),
        // the largest layers whose backward step is one method (cell gradient and weight gradients):
        // 4*U*(F+U) = 128 multiply-adds, half the cap
        Arguments.of("units = 4, timesteps = 16, features = 4", null, true),
        Arguments.of("units = 1, timesteps = 16, features = 31, returnSequences = true", null, true),
        // the largest layers written out in full: 4*U*(F+U) = 256 multiply-adds per step
        Arguments.of("units = 4, timesteps = 32, features = 12", null, true),
        Arguments.of("units = 1, timesteps = 32, features = 63, returnSequences = true", null, true),
        Arguments.of("units = 7, timesteps = 1000, features = 2, returnSequences = true", null, false),
        Arguments.of("units = 8, timesteps = 24, features = 3", null, true),
        Arguments.of("units = 8, timesteps = 64, features = 3", null, false),
        Arguments.of("units = 8, timesteps = 1000, features = 3", null, false),
        Arguments.of("units = 8, timesteps = 1000, features = 3, returnSequences = true", null, false),
        Arguments.of("units = 512, timesteps = 8, features = 16", null, true),
        Arguments.of("units = 512, timesteps = 8, features = 16, returnSequences = true, useBias = false", null, true),
        // a user raising the unroll limit: the byte budget still rolls what would not fit
        Arguments.of("units = 8, timesteps = 64, features = 3", "-Aunroll.maxUnrolledSteps=2000", true),
        Arguments.of("units = 8, timesteps = 700, features = 3", "-Aunroll.maxUnrolledSteps=2000", true),
        Arguments.of("units = 8, timesteps = 1000, features = 3", "-Aunroll.maxUnrolledSteps=2000", false));
  }

  @ParameterizedTest(name = "@Lstm({0}) {1}")
  @MethodSource("shapes")
  void everyMethodStaysUnderTheJitLimit(String attributes, String option, boolean unrolled) {
    String source = "package test;\n\nimport dev.unroll.*;\n\n@Lstm(" + attributes + ")\ninterface M {}\n";
    String[] options = option == null ? ModelCompiler.LINT
        : new String[] {ModelCompiler.LINT[0], ModelCompiler.LINT[1], option};
    Compilation c = ModelCompiler.compile("test.M", source, options);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());

    String note = c.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.NOTE)
        .map(d -> d.getMessage(null))
        .filter(m -> m.startsWith("Unroll: UnrolledM, layer lstm: time loop"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no plan NOTE in " + c.diagnostics()));
    assertTrue(note.contains(unrolled ? "unrolled over" : "rolled into a loop"), note);

    Map<String, byte[]> classes = ModelCompiler.classFiles(c);
    assertTrue(classes.containsKey("test.UnrolledM") && classes.containsKey("test.UnrolledM$Lstm"), classes.keySet()::toString);
    int largest = 0;
    for (Map.Entry<String, byte[]> cls : classes.entrySet()) {
      for (Map.Entry<String, Integer> method : ClassFiles.codeLengths(cls.getValue()).entrySet()) {
        String where = cls.getKey() + "." + method.getKey();
        assertTrue(method.getValue() < Planner.HUGE_METHOD_LIMIT,
            where + " has " + method.getValue() + " bytes of bytecode, over HotSpot's limit of " + Planner.HUGE_METHOD_LIMIT);
        largest = Math.max(largest, method.getValue());
      }
    }
    Map<String, Integer> layer = ClassFiles.codeLengths(classes.get("test.UnrolledM$Lstm"));
    if (note.contains("written out in full")) {
      // the planner's cap keeps the written-out methods (cell, backwardCell, accumulate) within its budget
      layer.forEach((method, bytes) -> assertTrue(bytes <= Planner.METHOD_BUDGET,
          "written-out " + method + " has " + bytes + " bytes, over the planner's budget of " + Planner.METHOD_BUDGET));
      System.out.println("written out, @Lstm(" + attributes + "): " + layer);
    }
    int forward = layer.get("forward()V");
    int backward = layer.entrySet().stream().filter(e -> e.getKey().startsWith("backward("))
        .mapToInt(Map.Entry::getValue).findFirst().orElseThrow();
    if (unrolled) {
      // the planner's estimate must not undershoot what javac produced
      int t = Integer.parseInt(attributes.replaceAll(".*timesteps = (\\d+).*", "$1"));
      int estimate = 400 + 7 * t;
      assertTrue(Math.max(forward, backward) <= estimate,
          "forward " + forward + " / backward " + backward + " bytes exceed the planner's estimate " + estimate);
    } else {
      assertTrue(forward < 200 && backward < 200, "rolled loops should be small: " + forward + ", " + backward);
    }
    assertTrue(largest > 0);
  }

  @ParameterizedTest(name = "T = {0}")
  @MethodSource("longSequences")
  void longSequencesRun(int timesteps) {
    SequenceModel m = ModelCompiler.model("units = 2, timesteps = " + timesteps + ", features = 1");
    Tensor y = m.predict(Tensor.zeros(1, timesteps, 1));
    assertArrayEquals(new int[] {1, 2}, y.shape());
    assertTrue(Double.isFinite(y.data()[0]));
  }

  static Stream<Integer> longSequences() {
    return Stream.of(1, 64, 1000);
  }
}
