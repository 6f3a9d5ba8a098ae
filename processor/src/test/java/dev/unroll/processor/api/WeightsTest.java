package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Gate;
import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weights in Keras order and shapes, {@code setWeights} checked and all-or-nothing, the per-gate
 * views, and Keras's default initialisation (glorot_uniform kernel, orthogonal recurrent kernel,
 * zero bias with the forget block at 1), seeded.
 */
class WeightsTest {
  /** (units, features) of the models checked here; (1, 2) is golden seed2, (4, 3) golden small. */
  static final int[][] SHAPES = {{1, 1}, {1, 2}, {4, 3}, {3, 7}, {16, 8}, {32, 3}};

  private static final class Compiled {
    static final Map<String, Class<?>> MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (int[] s : SHAPES) {
        String shape = "units = " + s[0] + ", timesteps = 3, features = " + s[1];
        declarations.put(name(s[0], s[1], ""), shape);
        declarations.put(name(s[0], s[1], "NoForget"), shape + ", unitForgetBias = false");
        declarations.put(name(s[0], s[1], "NoBias"), shape + ", useBias = false");
      }
      MODELS = TestModels.compileLstms(declarations);
    }
  }

  static String name(int units, int features, String variant) {
    return "W_u" + units + "_f" + features + variant;
  }

  static Class<?> type(int units, int features, String variant) {
    return Compiled.MODELS.get(name(units, features, variant));
  }

  static Stream<int[]> shapes() {
    return Arrays.stream(SHAPES);
  }

  // ---- order, shapes, round trip ----

  @ParameterizedTest(name = "units={0}")
  @MethodSource("shapes")
  void getWeightsHasKerasOrderAndShapes(int[] s) {
    int u = s[0];
    int f = s[1];
    List<Tensor> w = TestModels.newModel(type(u, f, "")).getWeights();
    assertEquals(3, w.size());
    assertArrayEquals(new int[] {f, 4 * u}, w.get(0).shape(), "kernel");
    assertArrayEquals(new int[] {u, 4 * u}, w.get(1).shape(), "recurrent_kernel");
    assertArrayEquals(new int[] {4 * u}, w.get(2).shape(), "bias");

    List<Tensor> noBias = TestModels.newModel(type(u, f, "NoBias")).getWeights();
    assertEquals(2, noBias.size(), "useBias = false: kernel and recurrent_kernel only");
    assertArrayEquals(new int[] {f, 4 * u}, noBias.get(0).shape(), "kernel");
    assertArrayEquals(new int[] {u, 4 * u}, noBias.get(1).shape(), "recurrent_kernel");
  }

  @ParameterizedTest(name = "units={0}")
  @MethodSource("shapes")
  void setWeightsRoundTrips(int[] s) {
    int u = s[0];
    int f = s[1];
    for (String variant : List.of("", "NoBias")) {
      SequenceModel m = TestModels.newModel(type(u, f, variant));
      List<Tensor> w = random(new Random(u * 31L + f), f, u, !variant.equals("NoBias"));
      m.setWeights(w);
      assertEquals(w, m.getWeights(), variant + ": getWeights after setWeights");

      // getWeights returns copies, and setWeights copies in: neither aliases the model
      m.getWeights().get(0).data()[0] = 1e6;
      w.get(1).data()[0] = 1e6;
      List<Tensor> again = m.getWeights();
      assertNotEquals(1e6, again.get(0).data()[0], variant + ": getWeights must return a copy");
      assertNotEquals(1e6, again.get(1).data()[0], variant + ": setWeights must copy");
    }
  }

  // ---- setWeights errors ----

  @Test
  void wrongShapeInLastTensorThrowsAndChangesNothing() {
    SequenceModel m = TestModels.newModel(type(4, 3, ""));
    List<Tensor> before = m.getWeights();
    List<Tensor> w = random(new Random(7), 3, 4, true);
    w.set(2, Tensor.zeros(15)); // bias should be (16,)
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> m.setWeights(w));
    assertTrue(e.getMessage().contains("(16,)"), "names the expected shape: " + e.getMessage());
    assertTrue(e.getMessage().contains("(15,)"), "names the actual shape: " + e.getMessage());
    assertTrue(e.getMessage().contains("bias"), "names the weight: " + e.getMessage());
    assertEquals("(16,)", e.expected());
    assertEquals("(15,)", e.actual());
    assertEquals(before, m.getWeights(), "setWeights must leave every weight unchanged when one is wrong");

    // a wrong rank in the last tensor, and in the recurrent kernel
    w.set(2, Tensor.zeros(1, 16));
    e = assertThrows(ShapeMismatchException.class, () -> m.setWeights(w));
    assertTrue(e.getMessage().contains("(16,)") && e.getMessage().contains("(1, 16)"), e.getMessage());
    assertEquals(before, m.getWeights());

    List<Tensor> w2 = random(new Random(8), 3, 4, true);
    w2.set(1, Tensor.zeros(16, 4)); // transposed
    e = assertThrows(ShapeMismatchException.class, () -> m.setWeights(w2));
    assertTrue(e.getMessage().contains("(4, 16)") && e.getMessage().contains("(16, 4)"), e.getMessage());
    assertTrue(e.getMessage().contains("recurrent_kernel"), e.getMessage());
    assertEquals(before, m.getWeights());

    // the model still computes with its old weights
    Tensor x = Tensors.uniform(new Random(9), 1.0, 2, 3, 3);
    SequenceModel fresh = TestModels.newModel(type(4, 3, ""));
    assertEquals(fresh.predict(x), m.predict(x));
  }

  @Test
  void nonFiniteValueThrowsNamingTensorAndIndexAndChangesNothing() {
    SequenceModel m = TestModels.newModel(type(4, 3, ""));
    List<Tensor> before = m.getWeights();
    List<Tensor> w = random(new Random(7), 3, 4, true);
    w.get(1).set(Double.NaN, 2, 5); // recurrent_kernel (4, 16)
    w.get(1).set(Double.POSITIVE_INFINITY, 3, 0); // a later bad value: the first is named
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.setWeights(w));
    assertFalse(e instanceof ShapeMismatchException, e.toString());
    assertEquals("setWeights[1] (lstm recurrent_kernel): value NaN at index (2, 5) is not finite; weights must be"
        + " finite numbers", e.getMessage());
    assertEquals(before, m.getWeights(), "setWeights must leave every weight unchanged when a value is not finite");

    List<Tensor> w2 = random(new Random(8), 3, 4, true);
    w2.get(2).set(Double.NEGATIVE_INFINITY, 15); // the last value of the last tensor
    e = assertThrows(IllegalArgumentException.class, () -> m.setWeights(w2));
    assertTrue(e.getMessage().startsWith("setWeights[2] (lstm bias): value -Infinity at index (15,)"), e.getMessage());
    assertEquals(before, m.getWeights());

    // the explicit opt-in lets them through
    dev.unroll.internal.Checks.allowingNonFinite(() -> m.setWeights(w2));
    assertEquals(Double.NEGATIVE_INFINITY, m.getWeights().get(2).get(15));
  }

  @Test
  void wrongCountThrowsIllegalArgument() {
    SequenceModel m = TestModels.newModel(type(4, 3, ""));
    List<Tensor> before = m.getWeights();
    List<Tensor> w = random(new Random(7), 3, 4, true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.setWeights(w.subList(0, 2)));
    assertFalse(e instanceof ShapeMismatchException, "a wrong count is not a shape mismatch: " + e);
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
    List<Tensor> four = new ArrayList<>(w);
    four.add(Tensor.zeros(16));
    assertThrows(IllegalArgumentException.class, () -> m.setWeights(four));
    assertEquals(before, m.getWeights());

    SequenceModel noBias = TestModels.newModel(type(4, 3, "NoBias"));
    assertThrows(IllegalArgumentException.class, () -> noBias.setWeights(w), "useBias = false takes 2 tensors");
  }

  // ---- gate views ----

  @Test
  void gateViewsOfSeed2() {
    Golden g = Golden.load("seed2");
    SequenceModel m = TestModels.newModel(type(g.units, g.features, ""));
    Tensor kernel = g.tensor("kernel");
    m.setWeights(List.of(kernel, g.tensor("recurrent_kernel"), g.tensor("bias")));
    Tensor c = TestModels.gateView(m, "kernel", Gate.C);
    assertArrayEquals(new int[] {2, 1}, c.shape(), "kernel(Gate.C) of seed2 is (features, units)");
    // column block [2U, 3U) = column 2
    assertEquals(kernel.get(0, 2), c.get(0, 0));
    assertEquals(kernel.get(1, 2), c.get(1, 0));
    Tensor b = TestModels.gateView(m, "bias", Gate.C);
    assertArrayEquals(new int[] {1}, b.shape(), "bias(Gate.C) is (units,)");
    assertEquals(g.tensor("bias").get(2), b.get(0));
    assertArrayEquals(new int[] {1, 1}, TestModels.gateView(m, "recurrentKernel", Gate.C).shape());
  }

  @Test
  void gateViewsOfSmallAreTheColumnBlocks() {
    Golden g = Golden.load("small");
    int u = g.units;
    SequenceModel m = TestModels.newModel(type(u, g.features, ""));
    Tensor kernel = g.tensor("kernel");
    Tensor rec = g.tensor("recurrent_kernel");
    Tensor bias = g.tensor("bias");
    m.setWeights(List.of(kernel, rec, bias));
    for (Gate gate : Gate.values()) {
      int from = gate.ordinal() * u; // Keras: i, f, c, o
      assertEquals(columns(kernel, from, u), TestModels.gateView(m, "kernel", gate), "kernel(" + gate + ")");
      assertEquals(columns(rec, from, u), TestModels.gateView(m, "recurrentKernel", gate), "recurrentKernel(" + gate + ")");
      assertEquals(Tensor.of(Arrays.copyOfRange(bias.data(), from, from + u)), TestModels.gateView(m, "bias", gate),
          "bias(" + gate + ")");
    }
    // views are copies
    TestModels.gateView(m, "kernel", Gate.I).data()[0] = 1e6;
    assertEquals(kernel, m.getWeights().get(0));
  }

  // ---- default initialisation ----

  @ParameterizedTest(name = "units={0}")
  @MethodSource("shapes")
  void sameSeedSameWeightsDifferentSeedDifferentWeights(int[] s) {
    Class<?> type = type(s[0], s[1], "");
    assertEquals(TestModels.newModel(type, 5).getWeights(), TestModels.newModel(type, 5).getWeights());
    assertEquals(TestModels.newModel(type, TestModels.constant(type, "DEFAULT_SEED")).getWeights(),
        TestModels.newModel(type).getWeights(), "the no-argument constructor uses DEFAULT_SEED");
    List<Tensor> a = TestModels.newModel(type, 5).getWeights();
    List<Tensor> b = TestModels.newModel(type, 6).getWeights();
    assertFalse(Arrays.equals(a.get(0).data(), b.get(0).data()), "kernel should differ between seeds");
    assertFalse(Arrays.equals(a.get(1).data(), b.get(1).data()), "recurrent kernel should differ between seeds");
  }

  @ParameterizedTest(name = "units={0}")
  @MethodSource("shapes")
  void kernelIsGlorotUniform(int[] s) {
    int u = s[0];
    int f = s[1];
    double limit = Math.sqrt(6.0 / (f + 4 * u));
    for (long seed = 0; seed < 5; seed++) {
      double[] k = TestModels.newModel(type(u, f, ""), seed).getWeights().get(0).data();
      double max = 0;
      for (int i = 0; i < k.length; i++) {
        assertTrue(Math.abs(k[i]) <= limit, "kernel[" + i + "] = " + k[i] + " outside ±" + limit);
        max = Math.max(max, Math.abs(k[i]));
      }
      if (k.length >= 32) {
        // U(-l, l): with 32+ values the largest |value| is below l/2 with probability 2^-32
        assertTrue(max > limit / 2, "kernel values do not fill ±" + limit + ": largest " + max);
      }
    }
  }

  @ParameterizedTest(name = "units={0}")
  @MethodSource("shapes")
  void recurrentKernelRowsAreOrthonormal(int[] s) {
    int u = s[0];
    for (long seed = 0; seed < 5; seed++) {
      Tensor r = TestModels.newModel(type(u, s[1], ""), seed).getWeights().get(1);
      // U·Uᵀ = I, U of shape (u, 4u)
      for (int i = 0; i < u; i++) {
        for (int j = 0; j < u; j++) {
          double dot = 0;
          for (int k = 0; k < 4 * u; k++) {
            dot += r.get(i, k) * r.get(j, k);
          }
          assertEquals(i == j ? 1.0 : 0.0, dot, 1e-12, "seed " + seed + ": (U·Uᵀ)[" + i + "][" + j + "]");
        }
      }
    }
  }

  @ParameterizedTest(name = "units={0}")
  @MethodSource("shapes")
  void biasIsZeroWithForgetBlockAtOne(int[] s) {
    int u = s[0];
    double[] expected = new double[4 * u];
    Arrays.fill(expected, u, 2 * u, 1.0);
    assertArrayEquals(expected, TestModels.newModel(type(u, s[1], ""), 3).getWeights().get(2).toArray1d(),
        "unitForgetBias = true (the default)");
    assertArrayEquals(new double[4 * u], TestModels.newModel(type(u, s[1], "NoForget"), 3).getWeights().get(2).toArray1d(),
        "unitForgetBias = false");
    Tensor forget = TestModels.gateView(TestModels.newModel(type(u, s[1], "")), "bias", Gate.F);
    double[] ones = new double[u];
    Arrays.fill(ones, 1.0);
    assertArrayEquals(ones, forget.toArray1d(), "bias(Gate.F)");
  }

  @Test
  void unitForgetBiasDoesNotChangeTheKernels() {
    Class<?> with = type(4, 3, "");
    Class<?> without = type(4, 3, "NoForget");
    List<Tensor> a = TestModels.newModel(with, 11).getWeights();
    List<Tensor> b = TestModels.newModel(without, 11).getWeights();
    assertEquals(a.get(0), b.get(0));
    assertEquals(a.get(1), b.get(1));
  }

  private static Tensor columns(Tensor m, int from, int count) {
    double[][] rows = m.toArray2d();
    double[][] out = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      out[r] = Arrays.copyOfRange(rows[r], from, from + count);
    }
    return Tensor.of(out);
  }

  static List<Tensor> random(Random rnd, int features, int units, boolean bias) {
    List<Tensor> w = new ArrayList<>();
    w.add(Tensors.uniform(rnd, 0.5, features, 4 * units));
    w.add(Tensors.uniform(rnd, 0.5, units, 4 * units));
    if (bias) {
      w.add(Tensors.uniform(rnd, 0.5, 4 * units));
    }
    return w;
  }

  @Test
  void gradientsAreInWeightOrder() {
    SequenceModel m = TestModels.newModel(type(3, 7, ""));
    Tensor x = Tensors.uniform(new Random(1), 1.0, 2, 3, 7);
    List<Tensor> g = m.gradients(x, Tensor.zeros(2, 3)).weights();
    List<Tensor> w = m.getWeights();
    assertEquals(w.size(), g.size());
    for (int i = 0; i < w.size(); i++) {
      assertArrayEquals(w.get(i).shape(), g.get(i).shape(), "gradient " + i);
    }
  }
}
