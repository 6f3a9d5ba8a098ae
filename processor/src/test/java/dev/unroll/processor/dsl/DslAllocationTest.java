package dev.unroll.processor.dsl;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hot path of a stacked model with a Dense head allocates nothing, in float64 and float32: after
 * warming up at a fixed batch size, {@code predict(x, initialState, out)} and
 * {@code gradients(x, initialState, dOutput, into)} allocate less than {@value #MAX_BYTES_PER_CALL}
 * bytes per call on average over {@value #CALLS} calls (as {@code behaviour.AllocationTest} measures:
 * the JVM's per-thread allocation counter; one allocated object per call would use the bound up).
 * These paths allocate nothing at all once their buffers are sized (0 bytes measured even after 1000
 * warm-up calls: nothing relies on the JIT's escape analysis), so a short warm-up suffices.
 */
class DslAllocationTest {
  static final int WARMUP = 5_000;
  static final int CALLS = 1_000;
  static final double MAX_BYTES_PER_CALL = 64;

  static final String STACK = "@Lstm(units = 6, timesteps = 7, features = 3, returnSequences = true)"
      + " @Lstm(units = 4, returnSequences = true, goBackwards = true) @Lstm(units = 4)"
      + " @Dense(units = 5, activation = Activation.RELU) @Dense(units = 3, activation = Activation.SOFTMAX)";
  static final String SEQ = "@Lstm(units = 5, timesteps = 6, features = 2, returnSequences = true)"
      + " @Lstm(units = 3, returnSequences = true) @Dense(units = 2, activation = Activation.TANH) @Dense(units = 1)";

  private static final class Compiled {
    static final DslModels.Compiled MODELS = DslModels.compile(Map.of(
        "Stack64", STACK, "Stack32", "@Float32 " + STACK,
        "Seq64", SEQ, "Seq32", "@Float32 " + SEQ));
  }

  private static com.sun.management.ThreadMXBean threads;

  @BeforeAll
  static void allocationCounter() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
    threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counting is not supported");
    threads.setThreadAllocatedMemoryEnabled(true);
  }

  private static double bytesPerCall(Runnable call) {
    for (int i = 0; i < WARMUP; i++) {
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

  /** Each model at a small batch and at one as trainers use. */
  static Stream<Arguments> modelsAndBatches() {
    return Stream.of("Stack64", "Stack32", "Seq64", "Seq32").flatMap(n -> Stream.of(
        Arguments.of(n, 4), Arguments.of(n, 20)));
  }

  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("modelsAndBatches")
  void hotPathAllocatesNothing(String name, int batch) {
    SequenceModel m = Compiled.MODELS.model(name);
    int[] in = m.inputShape();
    int[] outSample = m.outputShape();
    int[] outShape = new int[outSample.length + 1];
    outShape[0] = batch;
    System.arraycopy(outSample, 0, outShape, 1, outSample.length);
    int units = m.getWeights().get(1).dim(0);
    Random rnd = new Random(1);
    Tensor x = Check.uniform(rnd, 1.0, batch, in[0], in[1]);
    Tensor dOut = Check.uniform(rnd, 1.0, outShape);
    List<Tensor> state = List.of(Check.uniform(rnd, 1.0, batch, units), Check.uniform(rnd, 1.0, batch, units));
    Tensor out = Tensor.zeros(outShape);
    Gradients into = m.gradients(x, state, dOut, null);

    double predict = bytesPerCall(() -> assertSame(out, m.predict(x, state, out)));
    double gradients = bytesPerCall(() -> assertSame(into, m.gradients(x, state, dOut, into)));
    double predictNoState = bytesPerCall(() -> assertSame(out, m.predict(x, null, out)));
    String where = name + " " + m + ", batch " + batch;
    assertTrue(predict < MAX_BYTES_PER_CALL,
        where + ": predict(x, initialState, out) allocates " + predict + " bytes per call");
    assertTrue(gradients < MAX_BYTES_PER_CALL,
        where + ": gradients(x, initialState, dOutput, into) allocates " + gradients + " bytes per call");
    assertTrue(predictNoState < MAX_BYTES_PER_CALL,
        where + ": predict(x, null, out) allocates " + predictNoState + " bytes per call");
  }
}
