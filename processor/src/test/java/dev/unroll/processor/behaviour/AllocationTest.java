package dev.unroll.processor.behaviour;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing: once warmed up at a fixed batch size, {@code predict(x, out)} and
 * {@code gradients(x, dOutput, into)} allocate (almost) no memory, as measured by the JVM's per-thread
 * allocation counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) around
 * {@value #CALLS} calls. A memory assertion, never a timing one: the bound is
 * {@value #MAX_BYTES_PER_CALL} bytes per call on average, which a single allocated object per call
 * (16+ bytes, arrays 16 + payload) would use up quickly: any per-call allocation of a shape array, a
 * message string or a buffer fails it.
 */
class AllocationTest {
  static final int WARMUP = 20_000;
  static final int CALLS = 1_000;
  static final double MAX_BYTES_PER_CALL = 64;

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
    static final Map<String, Class<?>> MODELS = Models.compile(Map.of(
        "Last", "units = 8, timesteps = 6, features = 3",
        "Seq", "units = 8, timesteps = 6, features = 3, returnSequences = true",
        "Long", "units = 4, timesteps = 40, features = 2, returnSequences = true"));
  }

  interface Call {
    void run();
  }

  /** Bytes allocated by this thread per call of {@code call}, after warming it up. */
  private static double bytesPerCall(Call call) {
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

  private static void check(String name, int batch) {
    SequenceModel m = Models.newModel(Compiled.MODELS.get(name), 1);
    int[] in = m.inputShape();
    int[] outSample = m.outputShape();
    int[] outShape = new int[outSample.length + 1];
    outShape[0] = batch;
    System.arraycopy(outSample, 0, outShape, 1, outSample.length);
    Random rnd = new Random(1);
    Tensor x = FiniteDifferenceTest.uniform(rnd, 1.0, batch, in[0], in[1]);
    Tensor dOut = FiniteDifferenceTest.uniform(rnd, 1.0, outShape);
    Tensor out = Tensor.zeros(outShape);
    Gradients into = m.gradients(x, dOut);

    double predict = bytesPerCall(() -> assertSame(out, m.predict(x, out)));
    double gradients = bytesPerCall(() -> assertSame(into, m.gradients(x, dOut, into)));
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
}
