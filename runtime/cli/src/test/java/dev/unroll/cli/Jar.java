package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar unroll.jar ...} as a user would: a new JVM, its exit status, stdout and stderr. */
final class Jar {
  private Jar() {}

  record Run(List<String> args, int exit, String out, String err) {
    /** Asserts the exit status, showing everything the process printed when it differs. */
    Run exits(int expected) {
      assertEquals(expected, exit, () -> "exit status of unroll " + String.join(" ", args) + "\n--- stdout:\n" + out
          + "\n--- stderr:\n" + err);
      return this;
    }

    Run outContains(String s) {
      assertTrue(out.contains(s), () -> "stdout of unroll " + String.join(" ", args) + " lacks <" + s + ">:\n" + out
          + "\n--- stderr:\n" + err);
      return this;
    }

    Run errContains(String s) {
      assertTrue(err.contains(s), () -> "stderr of unroll " + String.join(" ", args) + " lacks <" + s + ">:\n" + err
          + "\n--- stdout:\n" + out);
      return this;
    }

    /** A clean failure: a message, no trace, nothing on stdout. */
    Run failsCleanly() {
      assertTrue(out.isEmpty(), () -> "stdout should be empty:\n" + out);
      assertTrue(!err.contains("internal error") && !err.contains("\tat "), () -> "a trace on stderr:\n" + err);
      return this;
    }
  }

  /** The shaded jar the package phase built (failsafe passes its path). */
  static Path jar() {
    Path jar = Path.of(System.getProperty("unroll.jar", "target/unroll.jar"));
    assertTrue(Files.isRegularFile(jar), "no " + jar.toAbsolutePath() + ": run mvn verify (the package phase builds it)");
    return jar;
  }

  /** The compiled test classes, holding the generated models of dev.unroll.cli.models. */
  static String testClasses() {
    return System.getProperty("unroll.testClasses", "target/test-classes");
  }

  static Run run(String... args) {
    return run(null, args);
  }

  static Run run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("unroll " + String.join(" ", args) + " did not finish in 120 s");
      }
      return new Run(List.of(args), p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A test resource as a path (they are files under target/test-classes). */
  static Path resource(String name) {
    try {
      var url = Jar.class.getResource("/" + name);
      assertTrue(url != null, "no test resource " + name);
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final String DL4J = "files/dl4j-stacked-lstm-keras2.0.8-theano/";
  static final String HERZIOX = "files/herziox-tf2.12-lstm-dense/";
  static final String KERAS3 = "files/keras3.8-masking-lstm/";
}
