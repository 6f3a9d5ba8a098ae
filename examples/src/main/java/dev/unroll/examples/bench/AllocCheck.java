package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.lang.management.ManagementFactory;

/**
 * Bytes allocated per call of inference, train and stream, counted exactly for the calling thread
 * ({@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}) over many calls after a
 * warm-up, for every benchmark config and precision. JMH's {@code -prof gc} divides the whole
 * iteration's allocation (its own bookkeeping included) by the calls in it, which reads as a few
 * KB per call when a call takes a second; this measures the calls alone, in the last of up to 8 rounds
 * (rounds go on while a call allocates: until C2 has compiled the kernels).
 *
 * <pre>java -cp examples/target/benchmarks.jar dev.unroll.examples.bench.AllocCheck [config...]</pre>
 */
public final class AllocCheck {
  private AllocCheck() {}

  public static void main(String[] args) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    String[] configs = args.length > 0 ? args : new String[] {"seed1", "seed2", "tiny", "small", "mid", "big", "large"};
    System.out.println("| config | precision | inference B/call | train B/call | stream B/call |");
    System.out.println("|---|---|---|---|---|");
    for (String name : configs) {
      BenchConfig c = BenchConfig.of(name);
      for (String p : new String[] {"float32", "float64"}) {
        SequenceModel m = BenchModels.create(c, p);
        Tensor x = BenchData.input(c);
        Tensor dOut = BenchData.dOutput(c);
        Tensor out = m.predict(x);
        Gradients g = m.gradients(x, dOut);
        Stepper s = m.stepper();
        double[] x1 = BenchData.normal(99, c.features).data();
        double[] y1 = new double[s.outputSize()];
        int calls = (int) Math.max(3, Math.min(20_000, 2e8 / c.inferenceFlops()));
        long[] bytes = new long[3];
        // round 0 warms up (JIT, class loading); more rounds while a call still allocates, up to 8: the
        // Vector API kernels allocate a box per vector until C2 has compiled them, which takes longer
        // than one round on a loaded machine
        for (int round = 0; round < 8 && (round < 2 || bytes[0] + bytes[1] + bytes[2] > 0); round++) {
          long a0 = mx.getThreadAllocatedBytes(self);
          for (int k = 0; k < calls; k++) {
            m.predict(x, null, out);
          }
          long a1 = mx.getThreadAllocatedBytes(self);
          for (int k = 0; k < calls; k++) {
            m.gradients(x, null, dOut, g);
          }
          long a2 = mx.getThreadAllocatedBytes(self);
          for (int k = 0; k < 100_000; k++) {
            s.step(x1, y1);
          }
          long a3 = mx.getThreadAllocatedBytes(self);
          bytes[0] = (a1 - a0) / calls;
          bytes[1] = (a2 - a1) / calls;
          bytes[2] = (a3 - a2) / 100_000;
        }
        System.out.printf("| %s | %s | %d | %d | %d |%n", name, p, bytes[0], bytes[1], bytes[2]);
      }
    }
  }
}
