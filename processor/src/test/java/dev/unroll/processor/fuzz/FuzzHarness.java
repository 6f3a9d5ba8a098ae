package dev.unroll.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ModelCompiler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * What the processor's fuzzers share once their declarations are drawn: compile them all in one javac
 * run and hold the processor to its promises. It must never fail unexpectedly; every error and warning
 * must lie on a declaration; a declaration that breaks a plain rule must be refused; and every accepted
 * one must compile with {@code -Xlint:all}, have Keras's parameter count and, when small enough, predict
 * finite values of its output shape (with padded steps in sample 0 when it masks).
 */
final class FuzzHarness {
  private FuzzHarness() {}

  /** A drawn declaration (package {@code models}, class {@code name}) and what the oracle knows of it. */
  interface Case {
    String name();

    long seed();

    String source();

    /** Whether it breaks a rule the processor must refuse. */
    boolean mustFail();

    long paramCount();

    int timesteps();

    int features();

    /** Whether a diagnostic on {@code line} lies on the declaration. */
    boolean onDeclaration(long line);

    /** The name, seed (and how to rerun it) and source, for a failure message. */
    String describe();

    /** The mask value of a model with a valid {@code @Masking} layer; null otherwise. */
    default Double maskValue() {
      return null;
    }
  }

  /** What a run found. */
  record Outcome(int declarations, int refused, int accepted, int predicted, int padded) {
    String summary() {
      return declarations + " declarations, " + refused + " refused, " + accepted + " accepted, " + predicted
          + " predicted" + (padded > 0 ? " (" + padded + " with padded steps)" : "");
    }
  }

  /**
   * Compiles {@code all}, checks them, and returns the counts.
   *
   * @param rule what a declaration that must fail breaks, for the message when one is accepted
   */
  static Outcome run(List<? extends Case> all, long seed, String rule) throws Exception {
    Map<String, Case> byFile = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (Case d : all) {
      sources.put("models." + d.name(), d.source());
      byFile.put("models/" + d.name() + ".java", d);
    }
    // one javac run for all: the processor reports each declaration's errors on it
    // (javac stops reporting after 100 errors unless told otherwise)
    Compilation first = ModelCompiler.compile(sources, "-proc:only", "-Xmaxerrs", "100000", "-Xmaxwarns", "100000");
    Map<String, List<String>> errors = new LinkedHashMap<>();
    for (Diagnostic<? extends JavaFileObject> diag : first.diagnostics()) {
      String message = diag.getMessage(Locale.ROOT);
      Case d = of(byFile, diag);
      if (message.contains("failed unexpectedly")) {
        fail("the processor crashed on " + (d == null ? "?" : d.describe()) + "\n" + message);
      }
      if (diag.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      if (d == null) {
        fail("an error off every declaration (seed " + seed + "): " + diag.getSource() + ": " + message);
      }
      assertTrue(d.onDeclaration(diag.getLineNumber()),
          "error on line " + diag.getLineNumber() + ", off " + d.describe() + "\n" + message);
      errors.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(message);
    }
    List<Case> accepted = new ArrayList<>();
    for (Case d : all) {
      if (d.mustFail()) {
        assertTrue(errors.containsKey(d.name()), "accepted, though " + rule + ": " + d.describe());
      } else if (!errors.containsKey(d.name())) {
        accepted.add(d);
      }
    }
    assertTrue(accepted.size() >= all.size() / 5, "too few accepted to test them: " + accepted.size());
    assertTrue(errors.size() >= all.size() / 10, "too few refused to test errors: " + errors.size());

    // the accepted ones, compiled in full with every lint warning on: the processor's own warnings (such as
    // SOFTMAX over one unit) lie on declarations, and the generated code has none
    Map<String, String> ok = new LinkedHashMap<>();
    for (Case d : accepted) {
      ok.put("models." + d.name(), d.source());
    }
    Compilation second = ModelCompiler.compile(ok, "-Xlint:all,-processing", "-Xmaxerrs", "100000", "-Xmaxwarns",
        "100000");
    if (second.status() != Compilation.Status.SUCCESS) {
      fail("accepted declarations do not compile (seed " + seed + "):\n" + second.errors());
    }
    for (Diagnostic<? extends JavaFileObject> diag : second.warnings()) {
      Case d = of(byFile, diag);
      assertTrue(d != null && d.onDeclaration(diag.getLineNumber()), "a warning off the declarations (seed " + seed
          + "): " + diag);
    }
    ClassLoader loader = ModelCompiler.classLoader(second);
    int predicted = 0;
    int padded = 0;
    for (Case d : accepted) {
      Class<?> type = loader.loadClass("models.Unrolled" + d.name());
      assertEquals(d.paramCount(), type.getField("PARAM_COUNT").getLong(null), "PARAM_COUNT of " + d.describe());
      if (d.paramCount() > 20_000) {
        continue;
      }
      SequenceModel m = (SequenceModel) type.getConstructor(long.class).newInstance(1L);
      assertEquals(d.paramCount(), m.paramCount(), d.describe());
      Tensor x = Tensor.zeros(2, d.timesteps(), d.features());
      SplittableRandom r = new SplittableRandom(d.seed());
      for (int i = 0; i < x.size(); i++) {
        x.data()[i] = r.nextDouble(-1, 1);
      }
      if (d.maskValue() != null) { // sample 0's last steps are padding (all of them when T is 1)
        int steps = Math.min(d.timesteps(), 1 + d.timesteps() / 2);
        for (int t = d.timesteps() - steps; t < d.timesteps(); t++) {
          Arrays.fill(x.data(), t * d.features(), (t + 1) * d.features(), d.maskValue());
        }
        padded++;
      }
      Tensor y = m.predict(x);
      int[] expected = new int[m.outputShape().length + 1];
      expected[0] = 2;
      System.arraycopy(m.outputShape(), 0, expected, 1, m.outputShape().length);
      assertArrayEquals(expected, y.shape(), d.describe());
      for (double v : y.data()) {
        assertTrue(Double.isFinite(v), "non-finite output of " + d.describe());
      }
      predicted++;
    }
    return new Outcome(all.size(), errors.size(), accepted.size(), predicted, padded);
  }

  private static Case of(Map<String, Case> byFile, Diagnostic<? extends JavaFileObject> diag) {
    JavaFileObject source = diag.getSource();
    return source == null ? null : byFile.get(source.toUri().getPath().replaceFirst("^/", ""));
  }
}
