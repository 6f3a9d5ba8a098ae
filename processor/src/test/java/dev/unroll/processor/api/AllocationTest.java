package dev.unroll.processor.api;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.TestModels;
import dev.unroll.processor.testing.Tensors;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hot path allocates nothing: once warmed up at a fixed batch size, {@code predict(x, out)} and
 * {@code gradients(x, dOutput, into)} (and, for stacks with a Dense head, in float64 and float32, their
 * forms with an initial state) allocate (almost) no memory, as measured by the JVM's per-thread
 * allocation counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) around
 * {@value #CALLS} calls. A memory assertion, never a timing one: the bound is
 * {@value #MAX_BYTES_PER_CALL} bytes per call on average, which a single allocated object per call
 * (16+ bytes, arrays 16 + payload) would use up quickly: any per-call allocation of a shape array, a
 * message string or a buffer fails it.
 */
class AllocationTest {
  /** Warm-up calls of a single-layer model. */
  static final int WARMUP = 20_000;
  /**
   * Warm-up calls of a stack. These paths allocate nothing at all once their buffers are sized (0
   * bytes measured even after 1000 warm-up calls: nothing relies on the JIT's escape analysis), so a
   * short warm-up suffices.
   */
  static final int STACK_WARMUP = 5_000;
  static final int CALLS = 1_000;
  static final double MAX_BYTES_PER_CALL = 64;

  static final String STACK = "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true)"
      + " @Lstm(units = 4, returnSequences = true, goBackwards = true) @Lstm(units = 4)"
      + " @Dense(units = 5, activation = Activation.RELU) @Dense(units = 3, activation = Activation.SOFTMAX)";
  static final String SEQ = "@Lstm(units = 5, timesteps = 6, features = 2, returnSequences = true)"
      + " @Lstm(units = 3, returnSequences = true) @Dense(units = 2, activation = Activation.TANH) @Dense(units = 1)";

  private static com.sun.management.ThreadMXBean threads;

  @BeforeAll
  static void allocationCounter() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
    threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counting is not supported");
    threads.setThreadAllocatedMemoryEnabled(true);
  }

  private static final class Compiled {
    static final TestModels.Compiled MODELS = TestModels.compile(Map.of(
        "Last", "@Lstm(units = 8, timesteps = 6, features = 3)",
        "Seq", "@Lstm(units = 8, timesteps = 6, features = 3, returnSequences = true)",
        "Long", "@Lstm(units = 4, timesteps = 40, features = 2, returnSequences = true)",
        "Stack64", STACK, "Stack32", "@Float32 " + STACK,
        "Seq64", SEQ, "Seq32", "@Float32 " + SEQ));
  }

  /** Bytes allocated by this thread per call of {@code call}, after {@code warmup} calls. */
  private static double bytesPerCall(int warmup, Runnable call) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < CALLS; i++) {
      call.run();
    }
    long after = threads.getThreadAllocatedBytes(id);
    return (after - before) / (double) CALLS;
  }

  private static int[] outShape(SequenceModel m, int batch) {
    int[] outSample = m.outputShape();
    int[] outShape = new int[outSample.length + 1];
    outShape[0] = batch;
    System.arraycopy(outSample, 0, outShape, 1, outSample.length);
    return outShape;
  }

  /** A single-layer model: {@code predict(x, out)} and {@code gradients(x, dOutput, into)}. */
  private static void check(String name, int batch) {
    SequenceModel m = TestModels.newModel(Compiled.MODELS.get(name), 1);
    int[] in = m.inputShape();
    int[] outShape = outShape(m, batch);
    Random rnd = new Random(1);
    Tensor x = Tensors.uniform(rnd, 1.0, batch, in[0], in[1]);
    Tensor dOut = Tensors.uniform(rnd, 1.0, outShape);
    Tensor out = Tensor.zeros(outShape);
    Gradients into = m.gradients(x, dOut);

    double predict = bytesPerCall(WARMUP, () -> assertSame(out, m.predict(x, out)));
    double gradients = bytesPerCall(WARMUP, () -> assertSame(into, m.gradients(x, dOut, into)));
    String where = name + " " + m + ", batch " + batch;
    assertTrue(predict < MAX_BYTES_PER_CALL, where + ": predict(x, out) allocates " + predict + " bytes per call");
    assertTrue(gradients < MAX_BYTES_PER_CALL,
        where + ": gradients(x, dOutput, into) allocates " + gradients + " bytes per call");
  }

  @Test
  void lastStepModel() {
    check("Last", 4);
  }

  @Test
  void sequenceModel() {
    check("Seq", 4);
  }

  @Test
  void rolledLoopModel() {
    check("Long", 2);
  }

  /** Each stack at a small batch and at one as trainers use. */
  static Stream<Arguments> stacksAndBatches() {
    return Stream.of("Stack64", "Stack32", "Seq64", "Seq32").flatMap(n -> Stream.of(
        Arguments.of(n, 4), Arguments.of(n, 20)));
  }

  /** A stack with a Dense head: {@code predict} and {@code gradients} with an initial state, and without. */
  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("stacksAndBatches")
  void stackHotPathAllocatesNothing(String name, int batch) {
    SequenceModel m = Compiled.MODELS.model(name);
    int[] in = m.inputShape();
    int[] outShape = outShape(m, batch);
    int units = m.getWeights().get(1).dim(0);
    Random rnd = new Random(1);
    Tensor x = Tensors.uniform(rnd, 1.0, batch, in[0], in[1]);
    Tensor dOut = Tensors.uniform(rnd, 1.0, outShape);
    List<Tensor> state = List.of(Tensors.uniform(rnd, 1.0, batch, units), Tensors.uniform(rnd, 1.0, batch, units));
    Tensor out = Tensor.zeros(outShape);
    Gradients into = m.gradients(x, state, dOut, null);

    double predict = bytesPerCall(STACK_WARMUP, () -> assertSame(out, m.predict(x, state, out)));
    double gradients = bytesPerCall(STACK_WARMUP, () -> assertSame(into, m.gradients(x, state, dOut, into)));
    double predictNoState = bytesPerCall(STACK_WARMUP, () -> assertSame(out, m.predict(x, null, out)));
    String where = name + " " + m + ", batch " + batch;
    assertTrue(predict < MAX_BYTES_PER_CALL,
        where + ": predict(x, initialState, out) allocates " + predict + " bytes per call");
    assertTrue(gradients < MAX_BYTES_PER_CALL,
        where + ": gradients(x, initialState, dOutput, into) allocates " + gradients + " bytes per call");
    assertTrue(predictNoState < MAX_BYTES_PER_CALL,
        where + ": predict(x, null, out) allocates " + predictNoState + " bytes per call");
  }

  /** Masked stacks: Masking, LSTM in both forms, GRU, Bidirectional, a Dense per step; the output keeps the mask. */
  private static final class MaskedCompiled {
    static final String BODY = "  @Masking Layer masking();\n"
        + "  @Lstm(units = 6, returnSequences = true) Layer lstm();\n"
        + "  @Lstm(units = 12, returnSequences = true) Layer wide();\n"
        + "  @Bidirectional @Gru(units = 3, returnSequences = true) Layer bi();\n"
        + "  @Dense(units = 1) Layer dense();\n}\n";
    static final Map<String, SequenceModel> MODELS = new java.util.LinkedHashMap<>();

    static {
      Map<String, String> sources = new java.util.LinkedHashMap<>();
      sources.put("alloc.Masked64", "package alloc;\n\nimport dev.unroll.*;\n\n@Input(timesteps = 7, features = 3)\n"
          + "interface Masked64 {\n" + BODY);
      sources.put("alloc.Masked32", "package alloc;\n\nimport dev.unroll.*;\n\n@Float32 @Input(timesteps = 7, features = 3)\n"
          + "interface Masked32 {\n" + BODY);
      com.google.testing.compile.Compilation c = dev.unroll.processor.testing.ModelCompiler.compile(sources,
          dev.unroll.processor.testing.ModelCompiler.LINT);
      ClassLoader loader = dev.unroll.processor.testing.ModelCompiler.classLoader(c);
      for (String name : List.of("Masked64", "Masked32")) {
        try {
          MODELS.put(name, TestModels.newModel(loader.loadClass("alloc.Unrolled" + name), 1));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(c.diagnostics().toString(), e);
        }
      }
    }
  }

  /** predict, gradients and outputMask of a masked stack, with steps masked at the start, middle and end. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"Masked64", "Masked32"})
  void maskedStackAllocatesNothing(String name) {
    SequenceModel m = MaskedCompiled.MODELS.get(name);
    int batch = 8;
    int[] outShape = outShape(m, batch);
    Random rnd = new Random(1);
    Tensor x = Tensors.uniform(rnd, 1.0, batch, 7, 3);
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < 7; t++) {
        if ((b + t) % 3 == 0) {
          java.util.Arrays.fill(x.data(), (b * 7 + t) * 3, (b * 7 + t + 1) * 3, 0.0);
        }
      }
    }
    Tensor dOut = Tensors.uniform(rnd, 1.0, outShape);
    Tensor out = Tensor.zeros(outShape);
    Gradients into = m.gradients(x, dOut);
    double predict = bytesPerCall(STACK_WARMUP, () -> {
      assertSame(out, m.predict(x, out));
      m.outputMask();
    });
    double gradients = bytesPerCall(STACK_WARMUP, () -> assertSame(into, m.gradients(x, dOut, into)));
    assertTrue(predict < MAX_BYTES_PER_CALL, name + ": predict and outputMask allocate " + predict + " bytes per call");
    assertTrue(gradients < MAX_BYTES_PER_CALL, name + ": gradients allocates " + gradients + " bytes per call");
  }
}
