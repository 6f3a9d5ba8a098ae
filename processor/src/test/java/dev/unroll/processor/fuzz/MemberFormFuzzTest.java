package dev.unroll.processor.fuzz;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random declarations in the member form ({@code @Input} on the type, one abstract method per layer):
 * {@code @Masking}, {@code @Lstm}, {@code @Gru}, {@code @Bidirectional} over either, {@code @Dense} at any position, with
 * every attribute, on interfaces and abstract classes, valid and invalid. As in {@link ProcessorFuzzTest},
 * one javac run compiles them all: the processor must never fail unexpectedly, every error must lie on
 * the declaration, a declaration that breaks a plain rule must be refused (a units or an {@code @Input}
 * size not positive, a missing {@code @Input}, a layer method with parameters or another return type,
 * two layer annotations on one method, {@code @Bidirectional} alone, {@code timesteps}/{@code features}
 * stated on a layer, a recurrent layer fed by a layer without a time axis, {@code @Masking} not first, twice,
 * under {@code @Bidirectional}, with a NaN or infinite mask value or without a recurrent layer after it), and
 * every accepted model
 * must have Keras's parameter count and, when small, predict finite values of its output shape.
 *
 * <p>Seeded: declaration i is drawn from {@code seed + i}; each failure names its seed and source. Run
 * again with {@code -Dunroll.fuzz.seed=<seed>}.
 */
class MemberFormFuzzTest {
  static final int DECLARATIONS = 500;
  static final long SEED = Long.getLong("unroll.fuzz.seed", 20261205L);
  private static final Activation[] ACTIVATIONS = Activation.values();
  private static final MergeMode[] MODES = MergeMode.values();
  private static final String[] KINDS = {"Lstm", "Gru", "Dense", "BidiLstm", "BidiGru"};

  /** One declaration and what the oracle knows of it. */
  record Declaration(String name, long seed, String source, boolean mustFail, long paramCount, int timesteps,
      int features, int lines, Double maskValue) implements FuzzHarness.Case {
    /** An error must lie on the declaration: from its first annotation (line 5) to its last line. */
    public boolean onDeclaration(long line) {
      return line >= 5 && line <= lines;
    }

    public String describe() {
      return name + " (seed " + seed + ", -Dunroll.fuzz.seed=" + SEED + "):\n" + source;
    }
  }

  /**
   * A {@code @Masking} method for one declaration in four, usually valid (first, a finite mask value),
   * sometimes breaking one of its rules: a NaN or infinite mask value, not the first layer, twice, under
   * {@code @Bidirectional}. Returns the method and whether it breaks a rule; {@code value[0]} gets the mask
   * value of a valid one.
   */
  private static String masking(SplittableRandom r, double[] value, boolean[] broken) {
    String[] finite = {"0.0", "-1.0", "0.5", "-0.0"};
    String v;
    int k = r.nextInt(16);
    if (k == 0) {
      v = r.nextBoolean() ? "Double.NaN" : "Double.POSITIVE_INFINITY";
      broken[0] = true;
    } else if (k == 1) {
      v = null; // the default, 0.0
      value[0] = 0.0;
    } else {
      v = finite[r.nextInt(finite.length)];
      value[0] = Double.parseDouble(v);
    }
    String annotation = "@Masking" + (v == null ? "" : "(maskValue = " + v + ")");
    if (r.nextInt(20) == 0) {
      annotation = "@Bidirectional " + annotation;
      broken[0] = true;
    }
    return annotation;
  }

  static Declaration declare(int index) {
    long seed = SEED + index;
    SplittableRandom r = new SplittableRandom(seed);
    String name = "Mf" + index;
    boolean mustFail = false;
    int timesteps = 1 + r.nextInt(5);
    int features = 1 + r.nextInt(4);
    boolean classForm = r.nextInt(4) == 0;
    List<String> methods = new ArrayList<>();
    int count = 1 + r.nextInt(4);
    boolean masked = r.nextInt(4) == 0;
    double[] maskValue = {Double.NaN};
    boolean[] maskBroken = {false};
    String maskAnnotation = masked ? masking(r, maskValue, maskBroken) : null;
    int maskAt = masked && r.nextInt(15) == 0 ? 1 + r.nextInt(count) : 0; // not first: refused
    boolean maskTwice = masked && r.nextInt(20) == 0;
    boolean recurrentAfterMask = false;
    long params = 0;
    int width = features; // the width of the next layer's input
    boolean time = true; // whether the next layer's input has a time axis
    for (int l = 0; l < count; l++) {
      String kind = KINDS[r.nextInt(KINDS.length)];
      boolean recurrent = !kind.equals("Dense");
      int units = units(r);
      mustFail |= units <= 0;
      boolean bias = r.nextInt(4) != 0;
      StringBuilder a = new StringBuilder();
      boolean bidi = kind.startsWith("Bidi");
      String core = bidi ? kind.substring(4) : kind;
      MergeMode mode = MODES[r.nextInt(MODES.length)];
      if (bidi) {
        a.append("@Bidirectional").append(r.nextBoolean() ? "(mergeMode = MergeMode." + mode + ")" : "")
            .append(' ');
        if (!a.toString().contains("mergeMode")) {
          mode = MergeMode.CONCAT;
        }
      }
      a.append('@').append(core).append("(units = ").append(units);
      boolean resetAfter = true;
      boolean sequences = false;
      if (!bias || r.nextInt(4) == 0) {
        a.append(", useBias = ").append(bias);
      }
      if (r.nextInt(3) == 0) {
        a.append(", activation = Activation.").append(ACTIVATIONS[r.nextInt(ACTIVATIONS.length)]);
      }
      if (recurrent) {
        if (r.nextInt(3) == 0) {
          a.append(", recurrentActivation = Activation.").append(ACTIVATIONS[r.nextInt(ACTIVATIONS.length)]);
        }
        if (core.equals("Gru") && r.nextBoolean()) {
          resetAfter = r.nextBoolean();
          a.append(", resetAfter = ").append(resetAfter);
        }
        // a recurrent layer followed by another layer usually returns sequences
        sequences = l < count - 1 ? r.nextInt(4) != 0 : r.nextBoolean();
        if (sequences || r.nextBoolean()) {
          a.append(", returnSequences = ").append(sequences);
        }
        if (r.nextInt(8) == 0) {
          a.append(", goBackwards = ").append(r.nextBoolean());
        }
        if (r.nextInt(10) == 0) {
          a.append(", returnState = ").append(r.nextBoolean());
        }
        if (r.nextInt(30) == 0) { // fixed by @Input in the member form
          a.append(r.nextBoolean() ? ", timesteps = " + timesteps : ", features = " + width);
          mustFail = true;
        }
        mustFail |= !time; // a recurrent layer needs the sequence
      }
      a.append(')');
      if (r.nextInt(40) == 0) { // a second layer annotation on the same method (of another kind: javac itself
        // refuses a repeated one on a method, which would stop the processor's reports for every file)
        a.append(core.equals("Dense") ? " @Gru(units = 2)" : " @Dense(units = 2)");
        mustFail = true;
      }
      if (bidi && r.nextInt(25) == 0) { // @Bidirectional alone
        a.replace(a.indexOf("@" + core), a.length(), "");
        mustFail = true;
      }
      String method = "layer" + l;
      String returns = "Layer";
      String parameters = "";
      if (r.nextInt(40) == 0) {
        returns = r.nextBoolean() ? "Tensor" : "Object";
        mustFail = true;
      }
      if (r.nextInt(40) == 0) {
        parameters = "int i";
        mustFail = true;
      }
      methods.add("  " + a + (classForm ? " public abstract " : " ") + returns + " " + method + "(" + parameters
          + ");");

      // Keras's count, and the shape the next layer reads
      long u = units;
      long in = width;
      long one = switch (core) {
        case "Lstm" -> 4L * (in * u + u * u + (bias ? u : 0));
        case "Gru" -> 3L * (in * u + u * u + (bias ? (resetAfter ? 2 : 1) * u : 0));
        default -> in * u + (bias ? u : 0);
      };
      params += bidi ? 2 * one : one;
      recurrentAfterMask |= recurrent && l >= maskAt;
      width = bidi && mode == MergeMode.CONCAT ? 2 * units : units;
      time = recurrent ? sequences : time;
    }
    if (masked) {
      String m = "  " + maskAnnotation + (classForm ? " public abstract " : " ") + "Layer masking();";
      methods.add(maskAt, m);
      if (maskTwice) {
        methods.add(maskAt + 1, m.replace("masking()", "masking2()"));
      }
      // Masking: first, once, finite, not under @Bidirectional, and a recurrent layer after it
      mustFail |= maskBroken[0] || maskAt > 0 || maskTwice || !recurrentAfterMask;
    }
    boolean input = r.nextInt(25) != 0;
    mustFail |= !input;
    int t = timesteps;
    int f = features;
    if (r.nextInt(20) == 0) {
      t = -r.nextInt(2);
      mustFail = true;
    } else if (r.nextInt(20) == 0) {
      f = -r.nextInt(2);
      mustFail = true;
    }
    StringBuilder s = new StringBuilder("package models;\n\nimport dev.unroll.*;\n\n");
    if (r.nextInt(5) == 0) {
      s.append("@Float32\n");
    }
    if (input) {
      s.append("@Input(timesteps = ").append(t).append(", features = ").append(f).append(")\n");
    } else {
      s.append("// no @Input\n");
    }
    s.append(classForm ? "public abstract class " + name + " {\n" : "public interface " + name + " {\n");
    for (String m : methods) {
      s.append(m).append('\n');
    }
    s.append("}\n");
    String source = s.toString();
    return new Declaration(name, seed, source, mustFail, params, timesteps, features,
        (int) source.lines().count(), masked && !maskBroken[0] ? maskValue[0] : null);
  }

  /** Mostly small; sometimes zero or negative, rarely so large that a parameter count overflows an int. */
  private static int units(SplittableRandom r) {
    int k = r.nextInt(60);
    return k == 0 ? 0 : k == 1 ? -1 - r.nextInt(3) : k == 2 ? 46341 : 1 + r.nextInt(5);
  }

  @Test
  void randomMemberFormDeclarationsCompileOrFailOnTheDeclaration() throws Exception {
    List<Declaration> all = new ArrayList<>();
    for (int i = 0; i < DECLARATIONS; i++) {
      all.add(declare(i));
    }
    FuzzHarness.Outcome outcome = FuzzHarness.run(all, SEED, "it breaks a plain rule");
    System.out.println("MemberFormFuzzTest (seed " + SEED + "): " + outcome.summary());
  }
}
