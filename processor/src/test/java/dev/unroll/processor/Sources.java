package dev.unroll.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.unroll.processor.testing.ModelCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Source fixtures and compilations for the compile-time tests: each test keeps its source in
 * front of its assertions, and asserts on the {@link JavaFileObject} it compiled.
 */
final class Sources {
  private Sources() {}

  /** A file {@code test/<simpleName>.java}: {@code package test;}, {@code import dev.unroll.*;}, then {@code body}. */
  static JavaFileObject inTest(String simpleName, String body) {
    return JavaFileObjects.forSourceString("test." + simpleName, "package test;\n\nimport dev.unroll.*;\n\n" + body);
  }

  /** Compiles with the processor and no options. */
  static Compilation compile(JavaFileObject... files) {
    return compile(List.of(), files);
  }

  /** Compiles with the processor and {@link ModelCompiler#LINT}: every warning is an error. */
  static Compilation compileLint(JavaFileObject... files) {
    return compile(List.of(ModelCompiler.LINT), files);
  }

  static Compilation compile(List<String> options, JavaFileObject... files) {
    return javac().withProcessors(new UnrollProcessor()).withOptions(options).compile(files);
  }

  /** Options followed by {@link ModelCompiler#LINT}. */
  static List<String> lintAnd(String... options) {
    List<String> all = new ArrayList<>(List.of(options));
    all.addAll(List.of(ModelCompiler.LINT));
    return all;
  }

  /**
   * Asserts that no diagnostic carries an exception: neither Unroll's report of an unexpected
   * failure nor a stack trace. (Had an exception escaped the processor, javac would have thrown
   * and {@code compile} would not have returned.)
   */
  static void assertNoCrash(Compilation c) {
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      String message = d.getMessage(Locale.ROOT);
      assertWithMessage("diagnostic reports a crash: %s", message)
          .that(message.contains("Unroll failed unexpectedly") || STACK_FRAME.matcher(message).find())
          .isFalse();
    }
  }

  /**
   * The number (from 1) of the one line of {@code file} that contains {@code marker}: the line a
   * message must name, computed from the source rather than counted by hand.
   */
  static int lineOf(JavaFileObject file, String marker) {
    String[] lines;
    try {
      lines = file.getCharContent(true).toString().split("\n", -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int found = 0;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(marker)) {
        if (found != 0) {
          throw new IllegalArgumentException("\"" + marker + "\" is on lines " + found + " and " + (i + 1));
        }
        found = i + 1;
      }
    }
    if (found == 0) {
      throw new IllegalArgumentException("no line contains \"" + marker + "\"");
    }
    return found;
  }

  private static final Pattern STACK_FRAME = Pattern.compile("\\n\\s+at [\\w.$<>]+\\(");
}
