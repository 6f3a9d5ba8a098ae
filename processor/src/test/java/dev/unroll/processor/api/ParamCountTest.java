package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.processor.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parameter counts against the formula of the classic question, 4·(F·U + U·U + U) (4·(F·U + U·U)
 * without bias), for a grid of (units, features), and the Keras 2 {@code model.summary()} table.
 *
 * <p>Keras 2's {@code print_summary} (sequential layout, line length 65, columns at 29 and 55) writes
 * a layer row as {@code " " + "lstm (LSTM)"} padded to column 29, the output shape padded to column 55,
 * then {@code str(layer.count_params())}, a bare integer; only the totals are grouped,
 * {@code f"Total params: {n:,}"}.
 */
class ParamCountTest {
  static final int[] UNITS = {1, 2, 3, 4, 7, 16, 32, 64};
  static final int[] FEATURES = {1, 2, 3, 5, 8, 24};

  record Shape(int units, int features, int timesteps, boolean useBias, boolean returnSequences) {
    String className() {
      return "P_u" + units + "_f" + features + "_t" + timesteps + (useBias ? "" : "_nobias") + (returnSequences ? "_seq" : "");
    }

    String attributes() {
      return "units = " + units + ", timesteps = " + timesteps + ", features = " + features + ", useBias = " + useBias
          + ", returnSequences = " + returnSequences;
    }

    /** The count written out from the formula, independently of the processor. */
    long expectedCount() {
      return 4L * (features * units + units * units + (useBias ? units : 0));
    }

    @Override
    public String toString() {
      return "units=" + units + ", features=" + features + ", timesteps=" + timesteps + ", useBias=" + useBias
          + ", returnSequences=" + returnSequences;
    }
  }

  static final List<Shape> SHAPES = shapes().toList();

  private static final class Compiled {
    static final Map<String, Class<?>> MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (Shape s : SHAPES) {
        declarations.put(s.className(), s.attributes());
      }
      MODELS = TestModels.compileLstms(declarations);
    }
  }

  static Stream<Shape> shapes() {
    List<Shape> list = new ArrayList<>();
    int i = 0;
    for (int u : UNITS) {
      for (int f : FEATURES) {
        // timesteps does not enter the count: vary it; returnSequences changes the summary's shape
        int t = 1 + (i % 4);
        list.add(new Shape(u, f, t, true, i % 3 == 0));
        list.add(new Shape(u, f, t, false, i % 3 == 1));
        i++;
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void countMatchesFormula(Shape s) {
    Class<?> type = Compiled.MODELS.get(s.className());
    SequenceModel m = TestModels.newModel(type);
    long expected = s.expectedCount();
    assertEquals(expected, TestModels.constant(type, "PARAM_COUNT"), s + ": PARAM_COUNT");
    assertEquals(expected, m.paramCount(), s + ": paramCount()");
    assertEquals(s.units(), TestModels.constant(type, "UNITS"), s + ": UNITS");
    assertEquals(s.timesteps(), TestModels.constant(type, "TIMESTEPS"), s + ": TIMESTEPS");
    assertEquals(s.features(), TestModels.constant(type, "FEATURES"), s + ": FEATURES");
    assertArrayEquals(new int[] {s.timesteps(), s.features()}, m.inputShape(), s + ": inputShape()");
    assertArrayEquals(s.returnSequences() ? new int[] {s.timesteps(), s.units()} : new int[] {s.units()},
        m.outputShape(), s + ": outputShape()");

    // the count is also the number of values getWeights() holds
    assertEquals(expected, m.getWeights().stream().mapToLong(w -> w.size()).sum(), s + ": values in getWeights()");

    String shape = s.returnSequences() ? "(None, " + s.timesteps() + ", " + s.units() + ")" : "(None, " + s.units() + ")";
    String summary = m.summary();
    String row = pad(pad(" lstm (LSTM)", 29) + shape, 55) + expected;
    assertTrue(summary.lines().anyMatch(l -> l.stripTrailing().equals(row)),
        s + ": summary() has no row\n" + row + "\nin\n" + summary);
    assertTrue(summary.lines().anyMatch(l -> l.equals("Total params: " + grouped(expected))), s + ": total in\n" + summary);
    assertTrue(summary.lines().anyMatch(l -> l.equals("Trainable params: " + grouped(expected))), s + ": trainable in\n" + summary);
    assertTrue(summary.lines().anyMatch(l -> l.equals("Non-trainable params: 0")), s + ": non-trainable in\n" + summary);
  }

  /** The two models of the classic question: 12 and 16 parameters. */
  @Test
  void classicQuestion() {
    Map<String, Class<?>> models = TestModels.compileLstms(Map.of(
        "OneFeature", "units = 1, timesteps = 1, features = 1",
        "TwoFeatures", "units = 1, timesteps = 1, features = 2"));
    Class<?> one = models.get("OneFeature");
    Class<?> two = models.get("TwoFeatures");
    assertEquals(12, TestModels.constant(one, "PARAM_COUNT"));
    assertEquals(12, TestModels.newModel(one).paramCount());
    assertEquals(16, TestModels.constant(two, "PARAM_COUNT"));
    SequenceModel m = TestModels.newModel(two);
    assertEquals(16, m.paramCount());
    String summary = m.summary();
    assertTrue(summary.contains("lstm (LSTM)"), summary);
    assertTrue(summary.contains("(None, 1)"), summary);
    assertTrue(summary.lines().anyMatch(l -> l.stripTrailing().equals(
        " lstm (LSTM)                 (None, 1)                 16")), summary);
    assertTrue(summary.lines().anyMatch(l -> l.equals("Total params: 16")), summary);
    assertTrue(summary.contains("Model: \"TwoFeatures\""), summary);
  }

  private static String pad(String s, int column) {
    return s.length() >= column ? s + " " : s + " ".repeat(column - s.length());
  }

  /** Python's {@code f"{n:,}"}. */
  private static String grouped(long n) {
    String digits = Long.toString(n);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) {
        sb.append(',');
      }
      sb.append(digits.charAt(i));
    }
    return sb.toString();
  }
}
