package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.unroll.processor.Sources.assertNoCrash;
import static dev.unroll.processor.Sources.compile;
import static dev.unroll.processor.Sources.inTest;
import static dev.unroll.processor.Sources.lineOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The messages of the model DSL (repeated {@code @Lstm}, {@code @Dense}, {@code @Float32}): one
 * test per message, each asserting the message, the file and the line; then that a message about
 * one of several repeated annotations lands on that annotation (javac, given the container it
 * synthesizes, would put it on the type), that every problem of every layer is reported in one
 * compile, that the single-annotation messages still land right in a stack, and that odd inputs
 * never crash the processor.
 *
 * <p>A comment such as {@code // layer 2} marks the line of an annotation whose message is about
 * the annotation as a whole; line numbers inside messages are computed from the source with
 * {@link Sources#lineOf}.
 */
class DslValidationErrorsTest {

  /** One test per new message of {@link Messages}. */
  @Nested
  class EachMessage {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.DslValidationErrorsTest#eachMessage")
    void message(ErrorCase c) {
      c.run();
    }

    @Test
    void disagreesTimesteps() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm( // layer 2
              units = 4,
              timesteps = 7)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm timesteps = 7 disagrees with the 5 this layer gets: every layer sees "
              + "the sequence length that the first @Lstm (at line " + lineOf(file, "// layer 1") + ") fixes; "
              + "remove timesteps (later layers infer it) or set timesteps = 5")
          .inFile(file).onLineContaining("timesteps = 7");
      assertThat(c).hadErrorCount(1);
    }

    /** On the third layer the message must name the first @Lstm, which fixes timesteps, not the second. */
    @Test
    void disagreesTimestepsOnTheThirdLayerNamesTheFirst() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm( // layer 2
              units = 5,
              returnSequences = true)
          @Lstm( // layer 3
              units = 4,
              timesteps = 9)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm timesteps = 9 disagrees with the 5 this layer gets: every layer sees "
              + "the sequence length that the first @Lstm (at line " + lineOf(file, "// layer 1") + ") fixes")
          .inFile(file).onLineContaining("timesteps = 9");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void disagreesFeatures() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm( // layer 2
              units = 4,
              features = 5)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm features = 5 disagrees with the 6 this layer gets: its input is the "
              + "output of the @Lstm at line " + lineOf(file, "// layer 1") + ", which has units = 6; remove features "
              + "(later layers infer it) or set features = 6")
          .inFile(file).onLineContaining("features = 5");
      assertThat(c).hadErrorCount(1);
    }

    /** On the third layer, features come from the second. */
    @Test
    void disagreesFeaturesOnTheThirdLayerNamesTheSecond() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm( // layer 2
              units = 5,
              features = 6,
              returnSequences = true)
          @Lstm( // layer 3
              units = 4,
              features = 6)
          interface M {}
          """);
      Compilation c = compile(file);
      // the second layer states features = 6 and agrees; the third's 6 is not the second's 5
      assertThat(c).hadErrorContaining("@Lstm features = 6 disagrees with the 5 this layer gets: its input is the "
              + "output of the @Lstm at line " + lineOf(file, "// layer 2") + ", which has units = 5")
          .inFile(file).onLine(lineOf(file, "// layer 3") + 2);
      assertThat(c).hadErrorCount(1);
    }

    /** The message is on the earlier @Lstm, the one to change, and names both lines. */
    @Test
    void notSequences() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3)
          @Lstm( // layer 2
              units = 4)
          interface M {}
          """);
      Compilation c = compile(file);
      int first = lineOf(file, "// layer 1");
      int second = lineOf(file, "// layer 2");
      assertEquals(5, first);
      assertEquals(9, second);
      assertThat(c).hadErrorContaining("@Lstm at line 5 feeds the @Lstm at line 9, which needs the whole sequence "
              + "(batch, 5, 6), but it returns only its last output (returnSequences = false); set "
              + "returnSequences = true on the @Lstm at line 5")
          .inFile(file).onLine(first);
      assertThat(c).hadErrorCount(1);
    }

    /** Stated false, the message is on that attribute. */
    @Test
    void notSequencesStatedFalse() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = false)
          @Lstm( // layer 2
              units = 4)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm at line " + lineOf(file, "// layer 1") + " feeds the @Lstm at line "
              + lineOf(file, "// layer 2") + ", which needs the whole sequence (batch, 5, 6)")
          .inFile(file).onLineContaining("returnSequences = false");
      assertThat(c).hadErrorCount(1);
    }

    /** In the middle of three: on the second @Lstm, naming the second and the third. */
    @Test
    void notSequencesInTheMiddle() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm( // layer 2
              units = 5)
          @Lstm( // layer 3
              units = 4)
          @Dense(
              units = 1)
          interface M {}
          """);
      Compilation c = compile(file);
      int second = lineOf(file, "// layer 2");
      assertThat(c).hadErrorContaining("@Lstm at line " + second + " feeds the @Lstm at line "
              + lineOf(file, "// layer 3") + ", which needs the whole sequence (batch, 5, 5), but it returns only "
              + "its last output (returnSequences = false); set returnSequences = true on the @Lstm at line " + second)
          .inFile(file).onLine(second);
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void returnStateNotLastFollowedByLstm() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true,
              returnState = true)
          @Lstm( // layer 2
              units = 4)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm returnState = true is only for the last layer of a model, but the "
              + "@Lstm at line " + lineOf(file, "// layer 2") + " follows it; remove returnState, or make this @Lstm "
              + "the last layer")
          .inFile(file).onLineContaining("returnState = true");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void returnStateNotLastFollowedByDense() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 6,
              timesteps = 5,
              features = 3,
              returnState = true)
          @Dense( // dense 1
              units = 1)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm returnState = true is only for the last layer of a model, but the "
              + "@Dense at line " + lineOf(file, "// dense 1") + " follows it")
          .inFile(file).onLineContaining("returnState = true");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void softmaxInBothActivationsIsReportedTwice() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3,
              activation = Activation.SOFTMAX,
              recurrentActivation = Activation.SOFTMAX)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm activation = SOFTMAX")
          .inFile(file).onLine(lineOf(file, "    activation = Activation.SOFTMAX"));
      assertThat(c).hadErrorContaining("@Lstm recurrentActivation = SOFTMAX")
          .inFile(file).onLineContaining("recurrentActivation = Activation.SOFTMAX");
      assertThat(c).hadErrorCount(2);
    }

    /** A warning: the model is valid, and compiles. */
    @Test
    void softmaxOfOne() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3)
          @Dense(
              units = 1,
              activation = Activation.SOFTMAX)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).succeeded();
      assertThat(c).hadWarningContaining("@Dense activation = SOFTMAX over units = 1 always outputs 1.0, whatever its "
              + "input; use SIGMOID for one probability, or more units")
          .inFile(file).onLineContaining("activation = Activation.SOFTMAX");
      assertThat(c).hadWarningCount(1);
      assertThat(c).generatedSourceFile("test.UnrolledM");
    }

    /** Past {@link Limits#MAX_LAYERS} layers (48), on the first @Lstm too many. */
    @Test
    void tooManyLayers() {
      int max = Limits.MAX_LAYERS;
      JavaFileObject file = inTest("M", stack(max + 1) + "interface M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("Unroll models have at most " + max + " layers, found " + (max + 1)
              + "; split the model")
          .inFile(file).onLineContaining("units = " + (100 + max + 1));
      assertThat(c).hadErrorCount(1);
    }

    /** With @Dense layers, on the first layer too many in stack order: here the third @Dense. */
    @Test
    void tooManyLayersCountsDenseLayers() {
      int max = Limits.MAX_LAYERS;
      JavaFileObject file = inTest("M", stack(max - 2) + """
          @Dense(units = 201)
          @Dense(units = 202)
          @Dense(units = 203)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("Unroll models have at most " + max + " layers, found " + (max + 1))
          .inFile(file).onLineContaining("units = 203");
      assertThat(c).hadErrorCount(1);
    }

  }

  /**
   * A message about one of several repeated annotations lands on that annotation, whichever its
   * position, whether each annotation is on one line or spread over several.
   */
  @Nested
  class Positions {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.DslValidationErrorsTest#positions")
    void message(ErrorCase c) {
      c.run();
    }

    static Stream<Arguments> positions() {
      List<Arguments> out = new ArrayList<>();
      for (boolean spread : new boolean[] {false, true}) {
        for (int bad = 0; bad < 3; bad++) {
          out.add(Arguments.of(bad, spread));
        }
      }
      return out.stream();
    }

    /** Three @Lstm (units 8, 7, 6) and a @Dense; the one at {@code bad} has units = 0. */
    @ParameterizedTest(name = "units = 0 on @Lstm {0}, spread over lines: {1}")
    @MethodSource("positions")
    void unitsOfOneOfThreeLstms(int bad, boolean spread) {
      String[] layers = {
          "units = 8, timesteps = 5, features = 3, returnSequences = true",
          "units = 7, returnSequences = true",
          "units = 6"};
      layers[bad] = layers[bad].replaceFirst("units = \\d", "units = 0");
      StringBuilder source = new StringBuilder();
      for (String layer : layers) {
        source.append(annotation("Lstm", layer, spread));
      }
      source.append("@Dense(units = 2)\ninterface M {}\n");
      JavaFileObject file = inTest("M", source.toString());
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found 0")
          .inFile(file).onLine(lineOf(file, "units = 0"));
      assertThat(c).hadErrorCount(1);
      assertTrue(lineOf(file, "units = 0") != lineOf(file, "interface M"));
    }

    /** Three @Dense (units 5, 4, 3); the one at {@code bad} has units = -1. */
    @ParameterizedTest(name = "units = -1 on @Dense {0}, spread over lines: {1}")
    @MethodSource("positions")
    void unitsOfOneOfThreeDenses(int bad, boolean spread) {
      String[] layers = {"units = 5, activation = Activation.RELU", "units = 4, useBias = false", "units = 3"};
      layers[bad] = layers[bad].replaceFirst("units = \\d", "units = -1");
      StringBuilder source = new StringBuilder("@Lstm(units = 8, timesteps = 5, features = 3)\n");
      for (String layer : layers) {
        source.append(annotation("Dense", layer, spread));
      }
      source.append("interface M {}\n");
      JavaFileObject file = inTest("M", source.toString());
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Dense units must be at least 1, found -1")
          .inFile(file).onLine(lineOf(file, "units = -1"));
      assertThat(c).hadErrorCount(1);
    }

    /** A message about the annotation as a whole (a rule between layers): on that annotation's first line. */
    @ParameterizedTest(name = "returnState on @Lstm {0} of 3, spread over lines: {1}")
    @MethodSource("positions")
    void returnStateOnOneOfThreeLstms(int bad, boolean spread) {
      String[] layers = {
          "units = 8, timesteps = 5, features = 3, returnSequences = true",
          "units = 7, returnSequences = true",
          "units = 6"};
      layers[bad] = layers[bad] + ", returnState = true";
      StringBuilder source = new StringBuilder();
      for (String layer : layers) {
        source.append(annotation("Lstm", layer, spread));
      }
      source.append("@Dense(units = 2)\ninterface M {}\n");
      JavaFileObject file = inTest("M", source.toString());
      Compilation c = compile(file);
      // the annotation's line: in the spread layout, the line before its first attribute
      String next = bad == 2 ? "@Dense at line " + lineOf(file, "@Dense(")
          : "@Lstm at line " + (lineOf(file, layers[bad + 1].substring(0, "units = 7".length())) - (spread ? 1 : 0));
      assertThat(c).hadErrorContaining("@Lstm returnState = true is only for the last layer of a model, but the "
              + next + " follows it")
          .inFile(file).onLine(lineOf(file, "returnState = true"));
      assertThat(c).hadErrorCount(1);
    }

    /** {@code @Lstm(attributes)} on one line, or spread one attribute a line. */
    private static String annotation(String name, String attributes, boolean spread) {
      return spread
          ? "@" + name + "(\n    " + attributes.replace(", ", ",\n    ") + ")\n"
          : "@" + name + "(" + attributes + ")\n";
    }

    /** The type's line, the first annotation's line and the last one's: never confused. */
    @Test
    void errorsInFirstMiddleAndLastLstmInOneCompile() {
      JavaFileObject file = inTest("M", """
          @Lstm(units = 8, timesteps = 0, features = 3, returnSequences = true)
          @Lstm(units = -7, returnSequences = true)
          @Lstm(units = 6, activation = Activation.SOFTMAX)
          @Dense(units = 0)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm timesteps must be at least 1, found 0").inFile(file).onLine(5);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found -7").inFile(file).onLine(6);
      assertThat(c).hadErrorContaining("@Lstm activation = SOFTMAX").inFile(file).onLine(7);
      assertThat(c).hadErrorContaining("@Dense units must be at least 1, found 0").inFile(file).onLine(8);
      assertThat(c).hadErrorCount(4);
    }

    /** Two annotations on one line: the column tells them apart. */
    @Test
    void twoAnnotationsOnOneLine() {
      String line = "@Lstm(units = 8, timesteps = 5, features = 3, returnSequences = true) @Lstm(units = 0)";
      JavaFileObject file = inTest("M", line + "\ninterface M {}\n");
      Compilation c = compile(file);
      Diagnostic<?> error = errors(c).get(0);
      assertEquals(lineOf(file, "units = 0"), error.getLineNumber());
      assertTrue(error.getColumnNumber() > line.indexOf("@Lstm(units = 0"),
          "column " + error.getColumnNumber() + " is before the second @Lstm");
      assertThat(c).hadErrorCount(1);
    }

    /** A container written by hand: its annotations are located too, and the lines in messages are theirs. */
    @Test
    void containerWrittenByHand() {
      JavaFileObject file = inTest("M", """
          @Lstm.List({
              @Lstm(units = 6, timesteps = 5, features = 3), // layer 1
              @Lstm(units = 0)})
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found 0")
          .inFile(file).onLineContaining("units = 0");
      assertThat(c).hadErrorContaining("@Lstm at line " + lineOf(file, "// layer 1") + " feeds the @Lstm at line "
              + lineOf(file, "units = 0") + ", which needs the whole sequence")
          .inFile(file).onLineContaining("// layer 1");
      assertThat(c).hadErrorCount(2);
      assertNoCrash(c);
    }

    /** A single @Lstm and a container (legal: nothing is repeated): three layers, in source order. */
    @Test
    void annotationAndContainerWrittenByHand() {
      JavaFileObject file = inTest("M", """
          @Lstm(units = 6, timesteps = 5, features = 3, returnSequences = true)
          @Lstm.List({
              @Lstm(units = 5, returnSequences = true, returnState = true),
              @Lstm(units = 4)})
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm returnState = true is only for the last layer of a model, but the @Lstm "
              + "at line " + lineOf(file, "@Lstm(units = 4)") + " follows it")
          .inFile(file).onLineContaining("returnState = true");
      assertThat(c).hadErrorCount(1);
    }
  }

  /** Every problem of every layer, in one compile. */
  @Nested
  class AllReportedTogether {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.DslValidationErrorsTest#allReportedTogether")
    void message(ErrorCase c) {
      c.run();
    }
    @Test
    void oneProblemInEachLayer() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              recurrentActivation = Activation.SOFTMAX,
              returnSequences = true)
          @Lstm( // layer 2
              units = 5,
              useBias = false,
              unitForgetBias = true,
              returnSequences = true)
          @Lstm( // layer 3
              units = 4,
              features = 9,
              returnState = true)
          @Dense( // dense 1
              units = 0)
          @Dense( // dense 2
              units = 1,
              activation = Activation.SOFTMAX)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm recurrentActivation = SOFTMAX")
          .inFile(file).onLineContaining("recurrentActivation = Activation.SOFTMAX");
      assertThat(c).hadErrorContaining("@Lstm unitForgetBias = true cannot combine with useBias = false")
          .inFile(file).onLineContaining("unitForgetBias = true");
      assertThat(c).hadErrorContaining("@Lstm features = 9 disagrees with the 5 this layer gets")
          .inFile(file).onLineContaining("features = 9");
      assertThat(c).hadErrorContaining("@Lstm returnState = true is only for the last layer of a model, but the "
              + "@Dense at line " + lineOf(file, "// dense 1"))
          .inFile(file).onLineContaining("returnState = true");
      assertThat(c).hadErrorContaining("@Dense units must be at least 1, found 0")
          .inFile(file).onLineContaining("units = 0");
      assertThat(c).hadWarningContaining("@Dense activation = SOFTMAX over units = 1")
          .inFile(file).onLineContaining("activation = Activation.SOFTMAX");
      assertThat(c).hadErrorCount(5);
    }

    /** A layer whose units are wrong: the next cannot infer its features, but its other rules are checked. */
    @Test
    void layersAfterAnInvalidLayerAreStillChecked() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 0,
              timesteps = 5,
              features = 3)
          @Lstm( // layer 2
              units = 4,
              features = 77,
              activation = Activation.SOFTMAX)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found 0")
          .inFile(file).onLineContaining("units = 0");
      // layer 1 returns only its last output: said, though its width is unknown
      assertThat(c).hadErrorContaining("@Lstm at line " + lineOf(file, "// layer 1") + " feeds the @Lstm at line "
              + lineOf(file, "// layer 2") + ", which needs the whole sequence (batch, 5, units)")
          .inFile(file).onLineContaining("// layer 1");
      assertThat(c).hadErrorContaining("@Lstm activation = SOFTMAX")
          .inFile(file).onLineContaining("activation = Activation.SOFTMAX");
      // features = 77 cannot be compared with units that are wrong: no guess
      assertThat(c).hadErrorCount(3);
    }

    @Test
    void everyLayerBadAtOnce() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = -1,
              timesteps = -2,
              features = -3,
              returnSequences = true)
          @Lstm(
              units = -4,
              returnSequences = true)
          @Lstm(
              units = -5)
          @Dense(
              units = -6)
          @Dense(
              units = -7)
          interface M {}
          """);
      Compilation c = compile(file);
      for (int i = 1; i <= 7; i++) {
        assertThat(c).hadErrorContaining("found -" + i).inFile(file).onLineContaining("= -" + i);
      }
      assertThat(c).hadErrorCount(7);
      assertNoCrash(c);
    }

    /** The input shape stated on the second @Lstm instead of the first: its features disagree with layer 1's units. */
    @Test
    void inputShapeOnTheWrongLstm() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              returnSequences = true)
          @Lstm( // layer 2
              units = 4,
              timesteps = 5,
              features = 3)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm must state timesteps").inFile(file).onLineContaining("// layer 1");
      assertThat(c).hadErrorContaining("@Lstm must state features").inFile(file).onLineContaining("// layer 1");
      assertThat(c).hadErrorContaining("@Lstm features = 3 disagrees with the 6 this layer gets")
          .inFile(file).onLineContaining("features = 3");
      // the model's timesteps are unknown: timesteps = 5 is not compared with anything
      assertThat(c).hadErrorCount(3);
    }
  }

  /** The messages of a single @Lstm still land on the annotation and attribute concerned in a stack. */
  @Nested
  class SingleAnnotationMessagesInAStack {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.DslValidationErrorsTest#singleAnnotationMessagesInAStack")
    void message(ErrorCase c) {
      c.run();
    }

    @Test
    void tooManyParametersOnTheSecondLstm() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 10000,
              timesteps = 5,
              features = 1,
              returnSequences = true)
          @Lstm(
              units = 9000)
          interface M {}
          """);
      Compilation c = compile(file);
      // layer 1: 4*(10000 + 10^8 + 10000) = 400,080,000 is over the limit too
      assertThat(c).hadErrorContaining("@Lstm units = 10000 with features = 1 gives 4*(F*U + U*U + U) = 400,080,000")
          .inFile(file).onLineContaining("units = 10000");
      assertThat(c).hadErrorContaining("@Lstm units = 9000 with features = 10000 gives 4*(F*U + U*U + U) = "
              + "684,036,000 parameters")
          .inFile(file).onLineContaining("units = 9000");
      assertThat(c).hadErrorCount(2);
    }

    /**
     * javac does not build the container of repeated annotations one of which has a value it cannot
     * evaluate, and stops before processing: its errors are the only ones, and nothing crashes.
     */
    @Test
    void valueThatJavacCannotEvaluateOnTheSecondLstm() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm(
              units = NOPE)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("units = NOPE");
      assertEquals(0, errors(c).stream().filter(d -> d.getMessage(Locale.ROOT).startsWith("@")).count(),
          () -> "Unroll reported on a value javac could not evaluate: " + errors(c));
      assertNoCrash(c);
    }
  }

  /** Odd inputs: errors as javac gives them, or Unroll's, and never an exception. */
  @Nested
  class NeverCrash {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.DslValidationErrorsTest#neverCrash")
    void message(ErrorCase c) {
      c.run();
    }

    @Test
    void lstmListWrittenByHandIsAccepted() {
      JavaFileObject file = inTest("M", """
          @Lstm.List({
              @Lstm(units = 6, timesteps = 5, features = 3, returnSequences = true),
              @Lstm(units = 4)})
          @Dense.List(@Dense(units = 1))
          interface M {}
          """);
      Compilation c = Sources.compileLint(file);
      assertThat(c).succeededWithoutWarnings();
      assertThat(c).generatedSourceFile("test.UnrolledM");
    }

    @Test
    void everyAttributeOfEveryLayerUnevaluable() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = A,
              timesteps = B,
              features = C,
              returnSequences = D)
          @Lstm(
              units = E,
              returnState = F)
          @Dense(
              units = G,
              activation = H)
          interface M {}
          """);
      Compilation c = compile(file);
      for (String symbol : new String[] {"A", "B", "C", "D", "E", "F", "G", "H"}) {
        assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining(" = " + symbol);
      }
      assertEquals(0, errors(c).stream().filter(d -> d.getMessage(Locale.ROOT).startsWith("@")).count(),
          () -> "Unroll reported on values javac could not evaluate: " + errors(c));
      assertNoCrash(c);
    }
  }

  /**
   * The processor as a build tool may run it: Gradle's incremental processing hands it a wrapper of
   * javac's environment, which the compiler's tree API refuses. The processor finds javac's
   * environment in the wrapper; where it cannot, messages fall back to what javac locates, and name
   * layers by their number rather than by a line it does not know.
   */
  @Nested
  class WrappedEnvironment {
    @Test
    void wrapperLikeGradlesIsSeenThrough() {
      JavaFileObject file = inTest("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3)
          @Lstm( // layer 2
              units = 0)
          interface M {}
          """);
      Compilation c = javac().withProcessors(new WrappingProcessor(true)).compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found 0")
          .inFile(file).onLineContaining("units = 0");
      assertThat(c).hadErrorContaining("@Lstm at line " + lineOf(file, "// layer 1") + " feeds the @Lstm at line "
              + lineOf(file, "// layer 2"))
          .inFile(file).onLineContaining("// layer 1");
      assertThat(c).hadErrorCount(2);
    }

    /** Without the tree API, a single @Lstm is still located by javac, on the attribute. */
    @Test
    void withoutTreesASingleAnnotationIsLocatedByJavac() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 0,
              timesteps = 5,
              features = 3)
          interface M {}
          """);
      Compilation c = javac().withProcessors(new WrappingProcessor(false)).compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found 0")
          .inFile(file).onLineContaining("units = 0");
      assertThat(c).hadErrorCount(1);
    }

    /** Without the tree API, repeated annotations are named by number: never "line 0". */
    @Test
    void withoutTreesLayersAreNamedByNumber() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 6,
              timesteps = 5,
              features = 3)
          @Lstm(
              units = 4,
              features = 5)
          @Dense(
              units = 1)
          interface M {}
          """);
      Compilation c = javac().withProcessors(new WrappingProcessor(false)).compile(file);
      assertThat(c).hadErrorContaining("@Lstm number 1 feeds the @Lstm number 2, which needs the whole sequence "
          + "(batch, 5, 6), but it returns only its last output (returnSequences = false); set returnSequences = true "
          + "on the @Lstm number 1").inFile(file);
      assertThat(c).hadErrorContaining("@Lstm features = 5 disagrees with the 6 this layer gets: its input is the "
          + "output of the @Lstm number 1, which has units = 6").inFile(file);
      assertThat(c).hadErrorCount(2);
      assertTrue(errors(c).stream().noneMatch(d -> d.getMessage(Locale.ROOT).contains("line 0")), errors(c)::toString);
    }
  }

  /** Runs {@link UnrollProcessor} behind a wrapper of javac's processing environment. */
  static final class WrappingProcessor implements Processor {
    private final Processor delegate = new UnrollProcessor();
    private final boolean reachable;

    /** @param reachable whether javac's environment is in a field of the wrapper, as in Gradle's */
    WrappingProcessor(boolean reachable) {
      this.reachable = reachable;
    }

    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
      delegate.init(reachable ? new HoldingEnvironment(env) : new HidingEnvironment(() -> env));
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
        ExecutableElement member, String userText) {
      return delegate.getCompletions(element, annotation, member, userText);
    }
  }

  /** Like Gradle's IncrementalProcessingEnvironment: javac's environment in a private field. */
  static final class HoldingEnvironment extends ForwardingEnvironment {
    private final ProcessingEnvironment delegate;

    HoldingEnvironment(ProcessingEnvironment delegate) {
      this.delegate = delegate;
    }

    @Override
    ProcessingEnvironment env() {
      return delegate;
    }
  }

  /** A wrapper from which javac's environment cannot be had. */
  static final class HidingEnvironment extends ForwardingEnvironment {
    private final Supplier<ProcessingEnvironment> source;

    HidingEnvironment(Supplier<ProcessingEnvironment> source) {
      this.source = source;
    }

    @Override
    ProcessingEnvironment env() {
      return source.get();
    }
  }

  abstract static class ForwardingEnvironment implements ProcessingEnvironment {
    abstract ProcessingEnvironment env();

    @Override
    public Map<String, String> getOptions() {
      return env().getOptions();
    }

    @Override
    public Messager getMessager() {
      return env().getMessager();
    }

    @Override
    public Filer getFiler() {
      return env().getFiler();
    }

    @Override
    public Elements getElementUtils() {
      return env().getElementUtils();
    }

    @Override
    public Types getTypeUtils() {
      return env().getTypeUtils();
    }

    @Override
    public SourceVersion getSourceVersion() {
      return env().getSourceVersion();
    }

    @Override
    public Locale getLocale() {
      return env().getLocale();
    }
  }

  /**
   * {@code count} @Lstm layers, one a line, each returning sequences but the last; layer i
   * (from 1) has units = 100 + i, so that each line is unique. The first fixes timesteps = 2,
   * features = 1.
   */
  static String stack(int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      sb.append("@Lstm(units = ").append(100 + i);
      if (i == 1) {
        sb.append(", timesteps = 2, features = 1");
      }
      sb.append(i < count ? ", returnSequences = true)\n" : ")\n");
    }
    return sb.toString();
  }

  private static List<Diagnostic<? extends JavaFileObject>> errors(Compilation c) {
    return c.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
  }

  /** The cases of {@link EachMessage}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> eachMessage() {
    return Stream.of(
        ErrorCase.named("denseUnits")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3)
          @Dense(
              units = 0)
          interface M {}
          """)
            .errorOn("@Dense units must be at least 1, found 0: units is the width of the layer's "
              + "output; set it to a positive number such as units = 1", "M", "units = 0")
            .errorCount(1),
        ErrorCase.named("denseWithoutLstm")
            .file("M", """
          @Dense(
              units = 1)
          interface M {}
          """)
            .errorOn("@Dense needs an @Lstm before it: a model is a stack of @Lstm layers, then "
              + "@Dense layers, and the first @Lstm fixes the input shape; add @Lstm(units = ..., timesteps = ..., "
              + "features = ...)", "M", "@Dense(")
            .errorCount(1),
        /** Several @Dense and no @Lstm: one message, on the first @Dense. */
        ErrorCase.named("denseWithoutLstmIsReportedOnceOnTheFirstDense")
            .file("M", """
          @Dense( // dense 1
              units = 8)
          @Dense( // dense 2
              units = 1)
          interface M {}
          """)
            .errorOn("@Dense needs an @Lstm before it", "M", "// dense 1")
            .errorCount(1),
        ErrorCase.named("float32WithoutLstm")
            .file("M", """
          @Float32
          interface M {}
          """)
            .errorOn("@Float32 makes an @Lstm model compute in float, but this type declares no "
              + "@Lstm; add one, or remove @Float32", "M", "@Float32")
            .errorCount(1),
        ErrorCase.named("softmaxInLstmActivation")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3,
              activation = Activation.SOFTMAX)
          interface M {}
          """)
            .errorOn("@Lstm activation = SOFTMAX cannot be used in an LSTM, whose activations "
              + "apply to each unit on its own; use TANH, SIGMOID, HARD_SIGMOID, HARD_SIGMOID_KERAS3, RELU or LINEAR", "M", "activation = Activation.SOFTMAX")
            .errorCount(1),
        ErrorCase.named("softmaxInLstmRecurrentActivation")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3,
              recurrentActivation = Activation.SOFTMAX)
          interface M {}
          """)
            .errorOn("@Lstm recurrentActivation = SOFTMAX cannot be used in an LSTM", "M", "recurrentActivation = Activation.SOFTMAX")
            .errorCount(1),
        ErrorCase.named("forgetBiasWithoutBias")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3,
              useBias = false,
              unitForgetBias = true)
          interface M {}
          """)
            .errorOn("@Lstm unitForgetBias = true cannot combine with useBias = false: there is "
              + "no bias whose forget block could start at 1; remove unitForgetBias or set useBias = true", "M", "unitForgetBias = true")
            .errorCount(1),
        /** Not stated, unitForgetBias keeps its default (true) silently, as in Keras. */
        ErrorCase.named("noBiasWithDefaultForgetBiasIsAccepted")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3,
              useBias = false)
          interface M {}
          """)
            .lint()
            .succeededWithoutWarnings(),
        /** Exactly the cap is accepted. */
        ErrorCase.named("asManyLayersAsAllowed")
            .file("M", stack(Limits.MAX_LAYERS - 1) + "@Dense(units = 1)\ninterface M {}\n")
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("denseTooLarge")
            .file("M", """
          @Lstm(
              units = 5000,
              timesteps = 1,
              features = 1)
          @Dense(
              units = 30000)
          interface M {}
          """)
            .errorOn("@Dense units = 30000 with 5000 inputs gives 150,030,000 parameters, more than "
              + "Unroll's limit of 134,217,728; reduce units", "M", "units = 30000")
            .errorCount(1),
        /** (5000 + 1)·2³¹ overflows an int: the count must still be exact. */
        ErrorCase.named("denseTooLargeDoesNotOverflow")
            .file("M", """
          @Lstm(
              units = 5000,
              timesteps = 1,
              features = 1)
          @Dense(
              units = Integer.MAX_VALUE)
          interface M {}
          """)
            .errorOn("@Dense units = 2147483647 with 5000 inputs gives 10,739,565,718,647 parameters", "M", "units = Integer.MAX_VALUE")
            .errorCount(1),
        /**
         * A @Dense after a layer that returns sequences outputs (timesteps, units) per sample: that buffer
         * has the cap of the LSTM's work buffers, else the model compiles and cannot predict one sample.
         */
        ErrorCase.named("denseBufferTooLarge")
            .file("M", """
          @Lstm(
              units = 1,
              timesteps = 1000,
              features = 1,
              returnSequences = true)
          @Dense(
              units = 3000000)
          interface M {}
          """)
            .errorOn("@Dense units = 3000000 after a layer that returns sequences of 1000 timesteps "
              + "needs an output of 3,000,000,000 values per sample (timesteps*units), more than Unroll's limit of "
              + "134,217,728 (1 GiB of float64); reduce units, or timesteps (split long sequences into windows)", "M", "units = 3000000")
            .errorCount(1),
        /** The same @Dense after the last output only, (units), is fine. */
        ErrorCase.named("wideDenseAfterTheLastOutputIsAccepted")
            .file("M", """
          @Lstm(
              units = 1,
              timesteps = 1000,
              features = 1)
          @Dense(
              units = 3000000)
          interface M {}
          """)
            .lint()
            .succeededWithoutWarnings(),
        /** A type-level message: on the first @Lstm of a stack. */
        ErrorCase.named("reservedMethod")
            .file("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm( // layer 2
              units = 4)
          @Dense( // dense 1
              units = 1)
          interface M {
            default void forward(Tensor x, java.util.List<Tensor> initialState, int batch) {}
          }
          """)
            .errorOn("@Lstm type M declares test.M.forward(dev.unroll.Tensor, java.util.List, int), "
              + "which the generated class declares for itself (with another meaning); rename the method", "M", "// layer 1")
            .errorCount(1),
        ErrorCase.named("emptyContainerWrittenByHand")
            .file("M", """
          @Lstm.List({})
          interface M {}
          """)
            .errorOn("@Lstm.List holds no layer, and this type declares none else: a model needs at "
              + "least one @Lstm; add @Lstm(units = ..., timesteps = ..., features = ...), or remove the empty "
              + "@Lstm.List", "M", "@Lstm.List({})")
            .errorCount(1)
            .noCrash());
  }

  /** The cases of {@link Positions}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> positions() {
    return Stream.of(
        /**
         * @Lstm and @Dense interleaved: the stack is the @Lstm in order, then the @Dense; each message
         * still lands on its own annotation.
         */
        ErrorCase.named("interleavedAnnotations")
            .file("M", """
          @Lstm(
              units = 8,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Dense(
              units = -2)
          @Lstm(
              units = 0)
          @Dense(
              units = -3)
          interface M {}
          """)
            .errorOn("@Lstm units must be at least 1, found 0", "M", "units = 0")
            .errorOn("@Dense units must be at least 1, found -2", "M", "units = -2")
            .errorOn("@Dense units must be at least 1, found -3", "M", "units = -3")
            .errorCount(3));
  }

  /** The cases of {@link AllReportedTogether}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> allReportedTogether() {
    return Stream.of(
        /** The first @Lstm's missing input shape: the later layers, which infer theirs, say nothing more. */
        ErrorCase.named("firstLstmWithoutTimestepsAndFeatures")
            .file("M", """
          @Lstm( // layer 1
              units = 6,
              returnSequences = true)
          @Lstm( // layer 2
              units = 4)
          @Dense(
              units = 1)
          interface M {}
          """)
            .errorOn("@Lstm must state timesteps: the first @Lstm of a model fixes the input shape", "M", "// layer 1")
            .errorOn("@Lstm must state features", "M", "// layer 1")
            .errorCount(2));
  }

  /** The cases of {@link SingleAnnotationMessagesInAStack}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> singleAnnotationMessagesInAStack() {
    return Stream.of(
        ErrorCase.named("unitsZeroOnTheSecondLstm")
            .file("M", """
          @Lstm(
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm(
              units = 0)
          interface M {}
          """)
            .errorOn("@Lstm units must be at least 1, found 0", "M", "units = 0")
            .errorCount(1),
        ErrorCase.named("timestepsZeroOnTheFirstOfThree")
            .file("M", """
          @Lstm(
              units = 6,
              timesteps = 0,
              features = 3,
              returnSequences = true)
          @Lstm(
              units = 5,
              returnSequences = true)
          @Lstm(
              units = 4)
          interface M {}
          """)
            .errorOn("@Lstm timesteps must be at least 1, found 0", "M", "timesteps = 0")
            .errorCount(1),
        /** A later layer's buffers, (T, 4U): on its units, as it cannot change timesteps. */
        ErrorCase.named("bufferTooLargeOnTheSecondLstm")
            .file("M", """
          @Lstm(
              units = 1,
              timesteps = 10000000,
              features = 1,
              returnSequences = true)
          @Lstm(
              units = 8)
          interface M {}
          """)
            .errorOn("@Lstm timesteps = 10000000 with units = 8 and features = 1 needs work buffers "
              + "of 320,000,000 values per sample (timesteps*4*units)", "M", "units = 8")
            .errorCount(1),
        /** A type-level message: on the first @Lstm, not on the others and not on the type. */
        ErrorCase.named("finalClassWithAStack")
            .file("M", """
          @Lstm( // layer 1
              units = 6,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm( // layer 2
              units = 4)
          final class M {}
          """)
            .errorOn("@Lstm class M is final", "M", "// layer 1")
            .errorCount(1));
  }

  /** The cases of {@link NeverCrash}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> neverCrash() {
    return Stream.of(
        ErrorCase.named("denseUnitsThatJavacCannotEvaluate")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3)
          @Dense(
              units = NOPE)
          interface M {}
          """)
            .errorOn("cannot find symbol", "M", "units = NOPE")
            .errorCount(1)
            .noCrash(),
        ErrorCase.named("denseActivationNull")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3)
          @Dense(
              units = 1,
              activation = null)
          interface M {}
          """)
            .errorOn("must be an enum constant", "M", "activation = null")
            .errorCount(1)
            .noCrash(),
        ErrorCase.named("denseActivationUnknown")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3)
          @Dense(
              units = 1,
              activation = Activation.SWISH)
          interface M {}
          """)
            .errorOn("cannot find symbol", "M", "Activation.SWISH")
            .noCrash(),
        ErrorCase.named("denseUseBiasOfTheWrongType")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3)
          @Dense(
              units = 1,
              useBias = "yes")
          interface M {}
          """)
            .errorOn("incompatible types", "M", "useBias = \"yes\"")
            .noCrash(),
        ErrorCase.named("denseWithoutUnits")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3)
          @Dense()
          interface M {}
          """)
            .errorOn("missing a default value for the element 'units'", "M", "@Dense()")
            .noCrash(),
        ErrorCase.named("secondLstmWithoutUnits")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 3,
              returnSequences = true)
          @Lstm(
              returnSequences = false)
          interface M {}
          """)
            .error("missing a default value for the element 'units'")
            .noCrash(),
        ErrorCase.named("denseAlone")
            .file("M", "@Dense(units = 1)\ninterface M {}\n")
            .errorOn("@Dense needs an @Lstm before it", "M", "@Dense(")
            .errorCount(1)
            .noCrash(),
        ErrorCase.named("float32Alone")
            .file("M", "@Float32\nabstract class M {}\n")
            .errorOn("@Float32 makes an @Lstm model compute in float", "M", "@Float32")
            .errorCount(1)
            .noCrash(),
        ErrorCase.named("float32AndDenseWithoutLstm")
            .file("M", "@Float32\n@Dense(units = 1)\ninterface M {}\n")
            .errorOn("@Dense needs an @Lstm before it", "M", "@Dense(")
            .errorCount(1)
            .noCrash(),
        ErrorCase.named("float32OnAnEnum")
            .file("E", "@Float32\nenum E { A }\n")
            .errorOn("@Float32", "E", "@Float32")
            .noCrash(),
        ErrorCase.named("float32Twice")
            .file("M", "@Float32\n@Float32\n@Lstm(units = 1, timesteps = 1, features = 1)\ninterface M {}\n")
            .error("not a repeatable annotation")
            .noCrash(),
        ErrorCase.named("denseOnAnEnum")
            .file("E", "@Dense(units = 1)\n@Dense(units = 2)\nenum E { A }\n")
            .error("@Dense needs an @Lstm before it")
            .noCrash(),
        ErrorCase.named("stackOnAnEnumIsReportedOnTheFirstLstm")
            .file("E", """
          @Lstm(units = 6, timesteps = 5, features = 3, returnSequences = true)
          @Lstm(units = 4)
          enum E { A }
          """)
            .errorOn("@Lstm applies to an interface or a class, but E is an enum", "E", "@Lstm(units = 6")
            .errorCount(1),
        ErrorCase.named("emptyDenseListWithAnLstmIsAccepted")
            .file("M", """
          @Lstm(units = 4, timesteps = 5, features = 3)
          @Dense.List({})
          interface M {}
          """)
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("emptyDenseListAlone")
            .file("M", "@Dense.List({})\ninterface M {}\n")
            .errorOn("@Dense.List holds no layer", "M", "@Dense.List({})")
            .errorCount(1)
            .noCrash(),
        ErrorCase.named("repeatedAnnotationAndItsContainer")
            .file("M", """
          @Lstm(units = 6, timesteps = 5, features = 3, returnSequences = true)
          @Lstm(units = 5, returnSequences = true)
          @Lstm.List({@Lstm(units = 4)})
          interface M {}
          """)
            .error("must not be present at the same time as the element it contains")
            .noCrash(),
        ErrorCase.named("containerWithAnErroneousElement")
            .file("M", """
          @Lstm.List({
              @Lstm(units = 6, timesteps = 5, features = 3, returnSequences = true),
              @Dense(units = 1)})
          interface M {}
          """)
            .error("incompatible types")
            .noCrash());
  }
}
