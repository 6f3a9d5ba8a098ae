package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.Sources.compile;
import static dev.unroll.processor.Sources.inTest;
import static dev.unroll.processor.Sources.lintAnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code -A} options: each invalid value is one usage error, and the NOTEs the processor
 * prints (the summary, and the plan of each time loop) say what the options made of the model.
 */
class ProcessorOptionsTest {

  private static JavaFileObject model(int units, int timesteps, int features) {
    return inTest("M", "@Lstm(units = " + units + ", timesteps = " + timesteps + ", features = " + features + ")\n"
        + "interface M {}\n");
  }

  @Test
  void summaryMustBeTrueOrFalse() {
    Compilation c = compile(List.of("-Aunroll.summary=maybe"), model(1, 1, 2));
    assertThat(c).hadErrorContaining("Unroll: option -Aunroll.summary=maybe is invalid; expected true or false");
    assertThat(c).hadErrorCount(1);
    assertNothingGenerated(c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "2.5", "99999999999"})
  void maxUnrolledStepsMustBeAWholeNumber(String value) {
    Compilation c = compile(List.of("-Aunroll.maxUnrolledSteps=" + value), model(1, 1, 2));
    assertThat(c).hadErrorContaining("Unroll: option -Aunroll.maxUnrolledSteps=" + value
        + " is invalid; expected a whole number of timesteps >= 0 (0 rolls every time loop)");
    assertThat(c).hadErrorCount(1);
    assertNothingGenerated(c);
  }

  /** javac passes {@code -Akey} and {@code -Akey=} as a key without a value: not silently the default. */
  @ParameterizedTest
  @ValueSource(strings = {"-Aunroll.summary", "-Aunroll.summary=", "-Aunroll.maxUnrolledSteps",
      "-Aunroll.maxUnrolledSteps="})
  void optionWithoutValue(String option) {
    Compilation c = compile(List.of(option), model(1, 1, 2));
    assertThat(c).hadErrorContaining("Unroll: option " + option.replace("=", "") + " has no value; expected ");
    assertThat(c).hadErrorCount(1);
    assertNothingGenerated(c);
  }

  @Test
  void bothInvalidOptionsAreReported() {
    Compilation c = compile(List.of("-Aunroll.summary=yes", "-Aunroll.maxUnrolledSteps=abc"), model(1, 1, 2));
    assertThat(c).hadErrorContaining("-Aunroll.summary=yes is invalid");
    assertThat(c).hadErrorContaining("-Aunroll.maxUnrolledSteps=abc is invalid");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void summaryNoteForTheClassicQuestion() {
    JavaFileObject file = model(1, 1, 2);
    Compilation c = compile(lintAnd("-Aunroll.summary=true"), file);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("Total params: 16").inFile(file).onLineContaining("interface M");
    assertThat(c).hadNoteContaining(" lstm (LSTM)                 (None, 1)                 16\n");
    assertThat(c).hadNoteContaining("Model: \"M\"");
  }

  @Test
  void noSummaryNoteByDefaultOrWhenFalse() {
    for (List<String> options : List.of(List.<String>of(), List.of("-Aunroll.summary=false"))) {
      Compilation c = compile(options, model(1, 1, 2));
      assertThat(c).succeeded();
      assertFalse(notes(c).stream().anyMatch(n -> n.contains("Total params")), "summary printed with " + options);
    }
  }

  @Test
  void shortSequenceIsUnrolled() {
    JavaFileObject file = model(4, 24, 3);
    Compilation c = compile(lintAnd(), file);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("Unroll: UnrolledM, layer lstm: time loop unrolled over 24 timesteps "
        + "(up to -Aunroll.maxUnrolledSteps=32)").inFile(file).onLineContaining("interface M");
    assertThat(c).generatedSourceFile("test.UnrolledM").contentsAsUtf8String().contains("step(23);");
  }

  @Test
  void oneTimestepIsSingular() {
    Compilation c = compile(model(1, 1, 2));
    assertThat(c).hadNoteContaining("time loop unrolled over 1 timestep (");
  }

  @Test
  void longSequenceIsRolledIntoALoop() {
    JavaFileObject file = model(4, 1000, 3);
    Compilation c = compile(lintAnd(), file);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("Unroll: UnrolledM, layer lstm: time loop rolled into a loop over 1000 timesteps "
        + "(more than -Aunroll.maxUnrolledSteps=32)").inFile(file).onLineContaining("interface M");
    assertThat(c).generatedSourceFile("test.UnrolledM").contentsAsUtf8String()
        .contains("for (int t = 0; t < TIMESTEPS; t++)");
    assertThat(c).generatedSourceFile("test.UnrolledM").contentsAsUtf8String().doesNotContain("step(999);");
  }

  @Test
  void maxUnrolledStepsZeroRollsEveryLoop() {
    Compilation c = compile(lintAnd("-Aunroll.maxUnrolledSteps=0"), model(4, 24, 3));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("rolled into a loop over 24 timesteps (more than -Aunroll.maxUnrolledSteps=0)");
  }

  @Test
  void maxUnrolledStepsRaisesTheUnrollingLimit() {
    Compilation c = compile(lintAnd("-Aunroll.maxUnrolledSteps=100"), model(4, 100, 3));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("unrolled over 100 timesteps (up to -Aunroll.maxUnrolledSteps=100)");
  }

  /** Past the bytecode budget a loop is rolled whatever the option says, and the NOTE says why. */
  @Test
  void bytecodeBudgetRollsALoopTheOptionWouldUnroll() {
    Compilation c = compile(lintAnd("-Aunroll.maxUnrolledSteps=5000"), model(4, 1000, 3));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("rolled into a loop over 1000 timesteps (unrolled, its methods would need about "
        + "7400 bytes of bytecode, over the budget of 6000 that keeps them under HotSpot's JIT limit of 8000)");
  }

  @Test
  void oneNotePerModel() {
    Compilation c = compile(model(1, 1, 2));
    assertEquals(1, notes(c).stream().filter(n -> n.startsWith("Unroll: ")).count(), String.valueOf(notes(c)));
  }

  /** No model was processed: no NOTE of the planner (generated files are unavailable after a failure). */
  private static void assertNothingGenerated(Compilation c) {
    assertFalse(notes(c).stream().anyMatch(n -> n.startsWith("Unroll: ")), "a model was processed: " + notes(c));
  }

  private static List<String> notes(Compilation c) {
    return c.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.NOTE)
        .map(d -> d.getMessage(Locale.ROOT))
        .toList();
  }
}
