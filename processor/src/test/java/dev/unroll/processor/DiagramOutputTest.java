package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.Sources.compile;
import static dev.unroll.processor.Sources.inTest;
import static dev.unroll.processor.Sources.lintAnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.unroll.processor.diagram.ModelDiagram;
import dev.unroll.processor.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Unrolled<Type>.svg}: written by the processor beside the generated class (same package, class
 * output) unless {@code -Aunroll.diagrams=false}, linked from the class's Javadoc, and an invalid
 * value of the option is a usage error.
 */
class DiagramOutputTest {

  private static JavaFileObject model() {
    return inTest("M", "@Lstm(units = 1, timesteps = 1, features = 2)\ninterface M {}\n");
  }

  private static Optional<JavaFileObject> svg(Compilation c) {
    return c.generatedFile(StandardLocation.CLASS_OUTPUT, "test", "UnrolledM.svg");
  }

  @Test
  void thePictureIsWrittenBesideTheClassByDefault() throws Exception {
    Compilation c = compile(lintAnd(), model());
    assertThat(c).succeededWithoutWarnings();
    assertTrue(c.generatedFile(StandardLocation.CLASS_OUTPUT, "test", "UnrolledM.class").isPresent());
    JavaFileObject file = svg(c).orElseThrow(() -> new AssertionError("no UnrolledM.svg in " + c.generatedFiles()));
    String text;
    try (InputStream in = file.openInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // well-formed, and this model's picture: the spec the processor built gives the same document
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    assertEquals("svg", f.newDocumentBuilder().parse(file.openInputStream()).getDocumentElement().getLocalName());
    assertTrue(text.contains(">kernel_c (2, 1) = W[:, 2:3]</text>"), text);
    assertTrue(text.contains(">16 params</text>"), text);
    assertEquals(ModelDiagram.svg(ModelSpec.of("test", "M",
        List.of(dev.unroll.processor.diagram.ModelDiagramTest.lstm("lstm", 1, 1, 2, false)), false)), text);
    assertThat(c).generatedSourceFile("test.UnrolledM").contentsAsUtf8String()
        .contains("<a href=\"UnrolledM.svg\">UnrolledM.svg</a>, a resource beside this class.");
  }

  /**
   * The README shows the seed's picture from {@code src/site/resources/UnrolledTwoFeatures.svg}: it must
   * be what the processor writes for {@code TwoFeatures} today. Regenerated with the golden sources
   * ({@code -Dunroll.updateGoldenSources=true}, see {@link GoldenSourceTest}).
   */
  @Test
  void theReadmesPictureIsTheSeeds() throws Exception {
    String declaration;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("golden-sources/dev/unroll/examples/TwoFeatures.java")) {
      declaration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Compilation c = Sources.compileLint(JavaFileObjects.forSourceString("dev.unroll.examples.TwoFeatures", declaration));
    assertThat(c).succeededWithoutWarnings();
    String svg;
    try (InputStream in = c.generatedFile(StandardLocation.CLASS_OUTPUT, "dev.unroll.examples", "UnrolledTwoFeatures.svg")
        .orElseThrow().openInputStream()) {
      svg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path site = Path.of("..", "src", "site", "resources", "UnrolledTwoFeatures.svg");
    if (Boolean.getBoolean("unroll.updateGoldenSources")) {
      Files.createDirectories(site.getParent());
      Files.writeString(site, svg);
      return;
    }
    assertEquals(svg, Files.readString(site), "the README's picture of TwoFeatures is stale; regenerate it with "
        + "-Dunroll.updateGoldenSources=true on this test");
  }

  @Test
  void everyLayerKindGetsItsPicture() throws Exception {
    // GRU, Bidirectional over LSTM and GRU, Dense layers before the recurrent ones: a picture each, no NOTE
    JavaFileObject members = inTest("N", "@Input(timesteps = 5, features = 2)\ninterface N {\n"
        + "  @Dense(units = 4, activation = Activation.TANH) Layer dense();\n"
        + "  @Bidirectional(mergeMode = MergeMode.AVE) @Gru(units = 3, returnSequences = true) Layer bi();\n"
        + "  @Bidirectional @Lstm(units = 2) Layer bi_1();\n}\n");
    JavaFileObject gru = inTest("G", "@Gru(units = 3, timesteps = 4, features = 2, resetAfter = false)\ninterface G {}\n");
    Compilation c = compile(lintAnd(), members, gru);
    assertThat(c).succeededWithoutWarnings();
    assertTrue(c.notes().stream().noneMatch(d -> d.getMessage(null).contains("no picture")), c.notes()::toString);
    for (String[] expected : new String[][] {
        {"UnrolledN.svg", ">bi (Bidirectional)</text>", ">merge: ave</text>", ">dense (Dense)</text>", ">(None, 5, 3)</text>"},
        {"UnrolledG.svg", ">gru (GRU)</text>", ">r: reset gate</text>", ">54 params</text>"}}) {
      JavaFileObject file = c.generatedFile(StandardLocation.CLASS_OUTPUT, "test", expected[0])
          .orElseThrow(() -> new AssertionError("no " + expected[0] + " in " + c.generatedFiles()));
      String text;
      try (InputStream in = file.openInputStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      for (int i = 1; i < expected.length; i++) {
        assertTrue(text.contains(expected[i]), expected[0] + ": " + expected[i]);
      }
    }
    assertThat(c).generatedSourceFile("test.UnrolledN").contentsAsUtf8String()
        .contains("<a href=\"UnrolledN.svg\">UnrolledN.svg</a>, a resource beside this class.");
  }

  @Test
  void falseTurnsItOff() {
    Compilation c = compile(lintAnd("-Aunroll.diagrams=false"), model());
    assertThat(c).succeededWithoutWarnings();
    assertFalse(svg(c).isPresent(), () -> "written: " + c.generatedFiles());
    assertThat(c).generatedSourceFile("test.UnrolledM").contentsAsUtf8String().doesNotContain("UnrolledM.svg");
    Compilation on = compile(lintAnd("-Aunroll.diagrams=true"), model());
    assertTrue(svg(on).isPresent());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-Aunroll.diagrams=no", "-Aunroll.diagrams", "-Aunroll.diagrams="})
  void anInvalidValueIsAUsageError(String option) throws IOException {
    Compilation c = compile(List.of(option), model());
    assertThat(c).hadErrorContaining("Unroll: option -Aunroll.diagrams");
    assertThat(c).hadErrorContaining("; expected true or false (default true: write Unrolled<Type>.svg beside each "
        + "generated class)");
    assertThat(c).hadErrorCount(1);
  }
}
