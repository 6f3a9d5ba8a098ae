package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.Sources.compile;
import static dev.unroll.processor.Sources.compileLint;
import static dev.unroll.processor.Sources.inTest;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.tools.JavaFileObject;

/**
 * One row of a table-driven message test: the sources to compile (in order) and what the
 * compilation must report, each message with its file and line when it has one. Only the sources
 * and the expected texts differ from row to row; {@link #run()} compiles and asserts them all.
 */
final class ErrorCase {
  private final String name;
  private final Map<String, JavaFileObject> files = new LinkedHashMap<>();
  private final List<Consumer<Compilation>> checks = new ArrayList<>();
  private boolean lint;

  private ErrorCase(String name) {
    this.name = name;
  }

  /** A case named as the test method it replaces. */
  static ErrorCase named(String name) {
    return new ErrorCase(name);
  }

  /** A file {@code test/<simpleName>.java} as {@link Sources#inTest} writes it; files compile in the order given. */
  ErrorCase file(String simpleName, String body) {
    files.put(simpleName, inTest(simpleName, body));
    return this;
  }

  /** A file of the given fully qualified name and full text. */
  ErrorCase source(String key, String qualifiedName, String text) {
    files.put(key, JavaFileObjects.forSourceString(qualifiedName, text));
    return this;
  }

  /** Compiles with {@link Sources#compileLint} rather than {@link Sources#compile}. */
  ErrorCase lint() {
    lint = true;
    return this;
  }

  /** An error containing {@code text}, in file {@code simpleName}, on the line containing {@code line}. */
  ErrorCase errorOn(String text, String simpleName, String line) {
    JavaFileObject f = file(simpleName);
    checks.add(c -> assertThat(c).hadErrorContaining(text).inFile(f).onLineContaining(line));
    return this;
  }

  /** An error containing {@code text}, wherever it is. */
  ErrorCase error(String text) {
    checks.add(c -> assertThat(c).hadErrorContaining(text));
    return this;
  }

  /** A warning containing {@code text}, in file {@code simpleName}, on the line containing {@code line}. */
  ErrorCase warningOn(String text, String simpleName, String line) {
    JavaFileObject f = file(simpleName);
    checks.add(c -> assertThat(c).hadWarningContaining(text).inFile(f).onLineContaining(line));
    return this;
  }

  ErrorCase errorCount(int n) {
    checks.add(c -> assertThat(c).hadErrorCount(n));
    return this;
  }

  /** No diagnostic reports a crash ({@link Sources#assertNoCrash}). */
  ErrorCase noCrash() {
    checks.add(Sources::assertNoCrash);
    return this;
  }

  ErrorCase succeeded() {
    checks.add(c -> assertThat(c).succeeded());
    return this;
  }

  ErrorCase succeededWithoutWarnings() {
    checks.add(c -> assertThat(c).succeededWithoutWarnings());
    return this;
  }

  /** Nothing was generated; {@code why} says why nothing should be. */
  ErrorCase generatesNothing(String why) {
    checks.add(c -> assertTrue(c.generatedSourceFiles().isEmpty(), why));
    return this;
  }

  /** Any other assertion on the compilation. */
  ErrorCase check(Consumer<Compilation> check) {
    checks.add(check);
    return this;
  }

  /** Compiles the files and runs every check, in the order they were added. */
  void run() {
    JavaFileObject[] all = files.values().toArray(new JavaFileObject[0]);
    Compilation c = lint ? compileLint(all) : compile(all);
    for (Consumer<Compilation> check : checks) {
      check.accept(c);
    }
  }

  private JavaFileObject file(String simpleName) {
    JavaFileObject f = files.get(simpleName);
    if (f == null) {
      throw new IllegalArgumentException(name + ": no file " + simpleName);
    }
    return f;
  }

  @Override
  public String toString() {
    return name;
  }
}
