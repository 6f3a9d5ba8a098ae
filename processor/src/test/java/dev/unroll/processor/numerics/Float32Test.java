package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ModelCompiler;
import dev.unroll.processor.testing.Tensors;
import dev.unroll.processor.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code @Float32}: a float model given the same weights as its float64 twin (drawn, then rounded to
 * float so that both hold exactly the same values; x, the initial state and dOutput rounded likewise)
 * computes the same outputs and gradients (weights, input, initial state) to within
 * {@value #TOLERANCE}, at several shapes and stacks, with and without an initial state, and through
 * {@code predictWithState} / {@code gradientsWithState} of a stack with returnState. And the
 * generated source computes in float: EJML's {@code FMatrixRMaj} and {@code float[]} buffers, no
 * {@code DMatrixRMaj}; it compiles without a warning under {@link ModelCompiler#LINT}.
 */
class Float32Test {
  static final double TOLERANCE = 1e-5;
  static final int BATCH = 3;
  /** A batch as trainers use, wider than a vector of floats. */
  static final int WIDE_BATCH = 19;

  record Case(String name, String declaration) {
    @Override
    public String toString() {
      return name + " " + declaration;
    }
  }

  static final List<Case> CASES = List.of(
      new Case("Single", "@Lstm(units = 4, timesteps = 5, features = 3)"),
      new Case("SingleSeq", "@Lstm(units = 6, timesteps = 8, features = 2, returnSequences = true, useBias = false)"),
      new Case("Head", "@Lstm(units = 5, timesteps = 6, features = 3) @Dense(units = 4, activation = Activation.TANH)"
          + " @Dense(units = 3, activation = Activation.SOFTMAX)"),
      new Case("Stack", "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true) @Lstm(units = 4)"
          + " @Dense(units = 1)"),
      new Case("StackSeq", "@Lstm(units = 4, timesteps = 6, features = 2, returnSequences = true, goBackwards = true)"
          + " @Lstm(units = 3, returnSequences = true) @Lstm(units = 5, returnSequences = true, goBackwards = true)"
          + " @Dense(units = 2, activation = Activation.SIGMOID)"),
      new Case("Wide", "@Lstm(units = 48, timesteps = 3, features = 5, returnSequences = true)"),
      new Case("Rolled", "@Lstm(units = 3, timesteps = 40, features = 2, returnSequences = true)"
          + " @Lstm(units = 3, returnSequences = true) @Dense(units = 2)"));

  /** A stack whose last layer returns its state (and runs backwards). */
  static final String STATE = "@Lstm(units = 4, timesteps = 5, features = 3, returnSequences = true)"
      + " @Lstm(units = 3, returnState = true, goBackwards = true)";

  private static final class Compiled {
    static final TestModels.Compiled MODELS;

    static {
      Map<String, String> declarations = new LinkedHashMap<>();
      for (Case c : CASES) {
        declarations.put(c.name() + "64", c.declaration());
        declarations.put(c.name() + "32", "@Float32 " + c.declaration());
      }
      declarations.put("State64", STATE);
      declarations.put("State32", "@Float32 " + STATE);
      MODELS = TestModels.compile(declarations);
    }
  }

  static Stream<Arguments> casesAndBatches() {
    return CASES.stream().flatMap(c -> Stream.of(Arguments.of(c, BATCH),
        Arguments.of(c, WIDE_BATCH)));
  }

  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("casesAndBatches")
  void float32MatchesFloat64(Case c, int batch) {
    SequenceModel m64 = Compiled.MODELS.model(c.name() + "64");
    SequenceModel m32 = Compiled.MODELS.model(c.name() + "32");
    Random rnd = new Random(c.name().hashCode());
    List<Tensor> w = new ArrayList<>();
    for (Tensor t : m64.getWeights()) {
      w.add(Tensors.toFloat(Tensors.uniform(rnd, 1.0, t.shape())));
    }
    m64.setWeights(w);
    m32.setWeights(w);
    assertEquals(w, m32.getWeights(), c + ": a float32 model keeps float values exactly");

    int[] in = m64.inputShape();
    int[] outSample = m64.outputShape();
    int[] outShape = new int[outSample.length + 1];
    outShape[0] = batch;
    System.arraycopy(outSample, 0, outShape, 1, outSample.length);
    int units = m64.getWeights().get(1).dim(0);
    Tensor x = Tensors.toFloat(Tensors.uniform(rnd, 1.0, batch, in[0], in[1]));
    Tensor dOut = Tensors.toFloat(Tensors.uniform(rnd, 1.0, outShape));
    List<Tensor> state = List.of(Tensors.toFloat(Tensors.uniform(rnd, 1.0, batch, units)),
        Tensors.toFloat(Tensors.uniform(rnd, 1.0, batch, units)));

    for (List<Tensor> init : java.util.Arrays.asList(null, state)) {
      String what = c + (init == null ? "" : " with an initial state");
      Tensors.assertClose(what + ": output", m64.predict(x, init, null), m32.predict(x, init, null), TOLERANCE);
      Gradients g64 = m64.gradients(x, init, dOut, null);
      Gradients g32 = m32.gradients(x, init, dOut, null);
      for (int k = 0; k < w.size(); k++) {
        Tensors.assertClose(what + ": d weights[" + k + "]", g64.weights().get(k), g32.weights().get(k), TOLERANCE);
      }
      Tensors.assertClose(what + ": dx", g64.input(), g32.input(), TOLERANCE);
      Tensors.assertClose(what + ": dh0", g64.initialState().get(0), g32.initialState().get(0), TOLERANCE);
      Tensors.assertClose(what + ": dc0", g64.initialState().get(1), g32.initialState().get(1), TOLERANCE);
    }
  }

  @Test
  void returnStateMatchesFloat64() {
    SequenceModel m64 = Compiled.MODELS.model("State64");
    SequenceModel m32 = Compiled.MODELS.model("State32");
    Random rnd = new Random(7);
    List<Tensor> w = new ArrayList<>();
    for (Tensor t : m64.getWeights()) {
      w.add(Tensors.toFloat(Tensors.uniform(rnd, 1.0, t.shape())));
    }
    m64.setWeights(w);
    m32.setWeights(w);
    Tensor x = Tensors.toFloat(Tensors.uniform(rnd, 1.0, BATCH, 5, 3));
    List<Tensor> init = List.of(Tensors.toFloat(Tensors.uniform(rnd, 1.0, BATCH, 4)),
        Tensors.toFloat(Tensors.uniform(rnd, 1.0, BATCH, 4)));
    List<Tensor> dOut = List.of(Tensors.toFloat(Tensors.uniform(rnd, 1.0, BATCH, 3)),
        Tensors.toFloat(Tensors.uniform(rnd, 1.0, BATCH, 3)), Tensors.toFloat(Tensors.uniform(rnd, 1.0, BATCH, 3)));
    List<Tensor> p64 = TestModels.predictWithState(m64, x, init);
    List<Tensor> p32 = TestModels.predictWithState(m32, x, init);
    String[] names = {"output", "h_T", "c_T"};
    for (int i = 0; i < 3; i++) {
      Tensors.assertClose("returnState " + names[i], p64.get(i), p32.get(i), TOLERANCE);
    }
    Gradients g64 = TestModels.gradientsWithState(m64, x, init, dOut, null);
    Gradients g32 = TestModels.gradientsWithState(m32, x, init, dOut, null);
    for (int k = 0; k < w.size(); k++) {
      Tensors.assertClose("returnState d weights[" + k + "]", g64.weights().get(k), g32.weights().get(k), TOLERANCE);
    }
    Tensors.assertClose("returnState dx", g64.input(), g32.input(), TOLERANCE);
    Tensors.assertClose("returnState dh0", g64.initialState().get(0), g32.initialState().get(0), TOLERANCE);
    Tensors.assertClose("returnState dc0", g64.initialState().get(1), g32.initialState().get(1), TOLERANCE);
  }

  @Test
  void generatedSourceComputesInFloat() {
    String src = Compiled.MODELS.source("Stack32");
    // its LSTM layers are small enough to be written out (lstm: 6 units, 3 features)
    assertTrue(src.contains("import org.ejml.data.FMatrixRMaj;"), "imports FMatrixRMaj (Dense)");
    assertTrue(src.contains("private static final class Lstm extends FLstmBuffers {"), "float weights and buffers");
    assertTrue(src.contains("CommonOps_FDRM.mult(x, kernel, y);"), "float products (Dense)");
    assertTrue(src.contains("float dzi0 = "), "float gradients");
    assertTrue(src.contains("float ct0 = f0 * c[si] + i0 * g0;") && src.contains("float at0 = Activations.tanh(ct0);"),
        "float gate math");
    assertTrue(src.contains("float[] h, float[] c"), "float[] hidden states");
    assertFalse(src.contains("DLstmBuffers"), "no double arrays in a float32 model");
    assertFalse(src.contains("DMatrixRMaj"), "no DMatrixRMaj in a float32 model");
    assertFalse(src.contains("CommonOps_DDRM"), "no double products in a float32 model");
    // and the float64 twin the other way round
    String src64 = Compiled.MODELS.source("Stack64");
    assertTrue(src64.contains("private static final class Lstm extends DLstmBuffers {"));
    assertFalse(src64.contains("FMatrixRMaj"));
  }

  @Test
  void compilesWithoutWarnings() {
    Map<String, String> sources = new LinkedHashMap<>();
    for (Case c : CASES) {
      sources.put("f32." + c.name(), "package f32;\n\nimport dev.unroll.*;\n\n@Float32\n" + c.declaration()
          + "\ninterface " + c.name() + " {}\n");
    }
    Compilation compilation = ModelCompiler.compile(sources, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics().toString());
    assertTrue(compilation.warnings().isEmpty(), compilation.warnings().toString());
    assertEquals(CASES.size(), compilation.generatedSourceFiles().size(), "one generated class per model");
  }
}
