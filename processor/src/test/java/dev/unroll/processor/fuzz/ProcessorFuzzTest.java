package dev.unroll.processor.fuzz;

import dev.unroll.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random model declarations, valid and invalid, with every layer kind and option (every attribute of
 * {@code @Lstm} and {@code @Dense}, {@code @Float32}, repeated annotations written plainly and as
 * their {@code .List} containers, on interfaces and abstract classes): each is compiled
 * with the processor (every lint warning an error); the processor must never fail unexpectedly, every
 * error must lie on a declaration (between its first annotation and its {@code interface} line), a
 * declaration that breaks a plain rule (units, timesteps or features not positive; a type no generated
 * class can implement or extend: an enum, a record, an annotation type, a generic or final type, a
 * class without an accessible no-argument constructor, an abstract method the model does not have, a
 * SequenceModel method made final or given another return type) must fail, and
 * every accepted model must have Keras's PARAM_COUNT and, when small, predict finite values of its
 * output shape.
 *
 * <p>Seeded: declaration i is drawn from {@code seed + i}; each failure names its declaration, seed
 * and source. Run again with {@code -Dunroll.fuzz.seed=<seed>}.
 */
class ProcessorFuzzTest {
  static final int DECLARATIONS = 1000;
  static final long SEED = Long.getLong("unroll.fuzz.seed", 20261204L);
  private static final Activation[] ACTIVATIONS = Activation.values();

  /** One declaration: its annotations (one per line) and what the oracle knows of it. */
  record Declaration(String name, long seed, List<String> annotations, boolean mustFail, long paramCount,
      int timesteps, int features, String type) implements FuzzHarness.Case {
    public String source() {
      return "package models;\n\nimport dev.unroll.*;\n\n" + String.join("\n", annotations) + "\n"
          + type.replace("NAME", name) + "\n";
    }

    /** Lines 5 (first annotation) to the interface line. */
    public boolean onDeclaration(long line) {
      return line >= 5 && line <= 5 + annotations.size();
    }

    public String describe() {
      return name + " (seed " + seed + ", -Dunroll.fuzz.seed=" + SEED + "):\n" + source();
    }
  }

  static Declaration declare(int index) {
    long seed = SEED + index;
    SplittableRandom r = new SplittableRandom(seed);
    record Layer(String text, boolean lstm, int units, boolean bias) {}
    List<Layer> layers = new ArrayList<>();
    boolean mustFail = false;
    int lstms = r.nextInt(12) == 0 ? 0 : 1 + r.nextInt(3);
    int denses = r.nextInt(3);
    int timesteps = 1 + r.nextInt(5);
    int features = 1 + r.nextInt(4);
    boolean sequences = false;
    for (int l = 0; l < lstms; l++) {
      int units = units(r);
      mustFail |= units <= 0;
      StringBuilder a = new StringBuilder("@Lstm(units = " + units);
      if (l == 0) {
        int t = r.nextInt(15) == 0 ? -r.nextInt(2) : timesteps;
        int f = r.nextInt(15) == 0 ? -r.nextInt(2) : features;
        mustFail |= t <= 0 || f <= 0;
        if (t != 0 || r.nextBoolean()) {
          a.append(", timesteps = ").append(t);
        }
        if (f != 0 || r.nextBoolean()) {
          a.append(", features = ").append(f);
        }
      } else if (r.nextInt(10) == 0) {
        a.append(", timesteps = ").append(r.nextInt(10) == 0 ? timesteps + 1 : timesteps);
      }
      if (r.nextInt(3) == 0) {
        a.append(", activation = Activation.").append(ACTIVATIONS[r.nextInt(ACTIVATIONS.length)]);
      }
      if (r.nextInt(3) == 0) {
        a.append(", recurrentActivation = Activation.").append(ACTIVATIONS[r.nextInt(ACTIVATIONS.length)]);
      }
      boolean bias = r.nextInt(4) != 0;
      if (!bias || r.nextInt(4) == 0) {
        a.append(", useBias = ").append(bias);
      }
      if (r.nextInt(5) == 0) {
        a.append(", unitForgetBias = ").append(r.nextBoolean());
      }
      // a layer followed by an LSTM usually returns sequences, as it must
      sequences = l < lstms - 1 ? r.nextInt(8) != 0 : r.nextBoolean();
      if (sequences || r.nextBoolean()) {
        a.append(", returnSequences = ").append(sequences);
      }
      if (r.nextInt(6) == 0) {
        a.append(", returnState = ").append(r.nextBoolean());
      }
      if (r.nextInt(6) == 0) {
        a.append(", goBackwards = ").append(r.nextBoolean());
      }
      layers.add(new Layer(a.append(")").toString(), true, units, bias));
    }
    for (int d = 0; d < denses; d++) {
      int units = units(r);
      mustFail |= units <= 0;
      boolean bias = r.nextInt(4) != 0;
      StringBuilder a = new StringBuilder("@Dense(units = " + units);
      if (r.nextInt(2) == 0) {
        a.append(", activation = Activation.").append(ACTIVATIONS[r.nextInt(ACTIVATIONS.length)]);
      }
      if (!bias || r.nextInt(4) == 0) {
        a.append(", useBias = ").append(bias);
      }
      layers.add(new Layer(a.append(")").toString(), false, units, bias));
    }
    if (r.nextInt(10) == 0 && layers.size() > 1) { // layers out of order
      int i = r.nextInt(layers.size());
      int j = r.nextInt(layers.size());
      Layer t = layers.get(i);
      layers.set(i, layers.get(j));
      layers.set(j, t);
    }
    // Keras's count: LSTM 4(FU + U² + U), Dense in·units + units, in the stack's order; on the type, the
    // stack is the @Lstm layers in their order, then the @Dense layers (a @Dense written between two @Lstm
    // is taken after them: javac keeps the order within each annotation type only)
    List<String> lines = new ArrayList<>();
    for (Layer l : layers) {
      lines.add(l.text());
    }
    List<Layer> stack = new ArrayList<>(layers);
    stack.sort(java.util.Comparator.comparing(l -> !l.lstm()));
    long params = 0;
    int inputs = features;
    for (Layer l : stack) {
      params += l.lstm()
          ? 4L * ((long) inputs * l.units() + (long) l.units() * l.units() + (l.bias() ? l.units() : 0))
          : (long) inputs * l.units() + (l.bias() ? l.units() : 0);
      inputs = l.units();
    }
    if (r.nextInt(5) == 0) {
      lines.add(r.nextInt(lines.size() + 1), "@Float32");
    }
    if (lines.isEmpty()) {
      lines.add("@Float32");
    }
    if (r.nextInt(8) == 0) { // the repeated annotations written as their explicit containers
      lines = containers(lines);
    }
    // the annotated type: mostly an interface; sometimes an abstract class, or a kind or shape the processor refuses
    String[] type = TYPES[r.nextInt(4) == 0 ? 1 + r.nextInt(TYPES.length - 1) : 0];
    mustFail |= type[1].equals("fails");
    return new Declaration("Fz" + index, seed, lines, mustFail, params, timesteps, features, type[0]);
  }

  /**
   * Declared types, one line each (so that an error on the type lies on the declaration), and whether
   * the processor must refuse them: SequenceModel's types may be interfaces or classes the generated
   * class can extend, and every other abstract method must be one the generated class implements.
   */
  private static final String[][] TYPES = {
      {"interface NAME {}", "ok"},
      {"abstract class NAME {}", "ok"},
      {"public abstract class NAME { protected NAME() {} }", "ok"},
      {"interface NAME { default String describe() { return \"fz\"; } }", "ok"},
      {"interface NAME extends SequenceModel {}", "ok"},
      {"interface NAME { int paramCount(); String toString(); }", "ok"},
      {"class NAME {}", "ok"},
      {"interface NAME { int size(); }", "fails"},
      {"abstract class NAME { abstract void train(); }", "fails"},
      {"final class NAME {}", "fails"},
      {"abstract class NAME { NAME(int units) {} }", "fails"},
      {"abstract class NAME { private NAME() {} }", "fails"},
      {"abstract class NAME { NAME() throws Exception {} }", "fails"},
      {"interface NAME<T> {}", "fails"},
      {"enum NAME { A }", "fails"},
      {"record NAME(int units) {}", "fails"},
      {"@interface NAME {}", "fails"},
      {"interface NAME { long paramCount(); }", "fails"},
      {"abstract class NAME { public final String summary() { return \"\"; } }", "fails"},
  };

  /** The @Lstm and @Dense lines as {@code @Lstm.List({...})} and {@code @Dense.List({...})}, where there are two or more. */
  private static List<String> containers(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String kind : List.of("@Lstm(", "@Dense(")) {
      List<String> of = lines.stream().filter(l -> l.startsWith(kind)).toList();
      if (of.size() >= 2) {
        out.add(kind.substring(0, kind.length() - 1) + ".List({" + String.join(", ", of) + "})");
      } else {
        out.addAll(of);
      }
    }
    lines.stream().filter(l -> !l.startsWith("@Lstm(") && !l.startsWith("@Dense(")).forEach(out::add);
    return out;
  }

  /** Mostly small; sometimes zero or negative, sometimes so large that a parameter count overflows an int. */
  private static int units(SplittableRandom r) {
    int k = r.nextInt(40);
    return k == 0 ? 0 : k == 1 ? -1 - r.nextInt(3) : k == 2 ? 46341 : k == 3 ? 1 << 20 : 1 + r.nextInt(5);
  }

  @Test
  void randomDeclarationsCompileOrFailOnTheDeclaration() throws Exception {
    List<Declaration> all = new ArrayList<>();
    for (int i = 0; i < DECLARATIONS; i++) {
      all.add(declare(i));
    }
    FuzzHarness.Outcome outcome = FuzzHarness.run(all, SEED, "a units, timesteps or features is not positive, or the type is one no class can implement");
    System.out.println("ProcessorFuzzTest (seed " + SEED + "): " + outcome.summary());
  }
}
