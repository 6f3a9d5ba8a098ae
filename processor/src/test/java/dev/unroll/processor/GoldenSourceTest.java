package dev.unroll.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated source of the seed's two models, kept whole in {@code golden-sources/expected} (as
 * AutoFactory keeps its {@code expected/} files): every change to what a learner reads shows as a
 * reviewed diff of those files. The comparison is of the exact text, comments included.
 *
 * <p>To accept a change on purpose, regenerate the files and review the diff:
 * {@code mvn -B -pl processor -am test -Dtest=GoldenSourceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dunroll.updateGoldenSources=true}. The same flag on {@link DiagramOutputTest} regenerates the README's
 * picture of TwoFeatures.
 */
class GoldenSourceTest {
  private static final String ROOT = "golden-sources/";

  @ParameterizedTest
  @ValueSource(strings = {"OneFeature", "TwoFeatures"})
  void theSeedsGenerateTheirGoldenSource(String model) throws IOException {
    String declaration = resource(ROOT + "dev/unroll/examples/" + model + ".java");
    JavaFileObject source = JavaFileObjects.forSourceString("dev.unroll.examples." + model, declaration);
    Compilation c = Sources.compileLint(source);
    assertEquals(Compilation.Status.SUCCESS, c.status(), c.diagnostics()::toString);
    String generated = c.generatedSourceFile("dev.unroll.examples.Unrolled" + model).orElseThrow()
        .getCharContent(false).toString();
    String expectedName = "expected/Unrolled" + model + ".java";
    if (Boolean.getBoolean("unroll.updateGoldenSources")) {
      Path file = Path.of("src/test/resources", ROOT, expectedName);
      Files.writeString(file, generated);
      return;
    }
    String expected = resource(ROOT + expectedName);
    assertEquals(expected, generated, "the generated source of " + model + " changed; if on purpose, regenerate "
        + "the golden files with -Dunroll.updateGoldenSources=true (see this class's Javadoc) and review the diff");
    // what a learner should find: the per-sample step with the real indices, near the top of the layer class
    assertTrue(generated.contains("void cell("), "the written-out step");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenSourceTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
