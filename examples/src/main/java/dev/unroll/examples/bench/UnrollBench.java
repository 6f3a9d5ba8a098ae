package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The generated models ({@link BenchModels}) on the shapes of the PyTorch peer:
 *
 * <ul>
 *   <li>{@code inference}: {@code predict} of a whole (B, T, F) batch into a reused output (B, T, U);
 *   <li>{@code train}: {@code gradients} (forward, then BPTT to every weight and the input) for a
 *       fixed random dL/dh_seq, into reused {@link Gradients}; no optimiser step;
 *   <li>{@code stream}: one {@link Stepper#step(double[], double[])} at batch 1.
 * </ul>
 *
 * <p>Run from {@code examples/bench/compare.sh} or {@code java -jar examples/target/benchmarks.jar
 * UnrollBench}; never from the build or CI. One thread; the defaults below are overridden by the
 * script's -wi/-w/-i/-r.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
public class UnrollBench {

  @Param({"seed1", "seed2", "tiny", "small", "mid", "big", "large"})
  public String config;

  @Param({"float32", "float64"})
  public String precision;

  private SequenceModel model;
  private Tensor x;
  private Tensor out;
  private Tensor dOutput;
  private Gradients gradients;
  private Stepper stepper;
  private double[] x1;
  private double[] y1;

  /** Prepares only what the running benchmark needs, and warms its buffers with one call. */
  @Setup
  public void setup(BenchmarkParams params) {
    BenchConfig c = BenchConfig.of(config);
    model = BenchModels.create(c, precision);
    String mode = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    switch (mode) {
      case "inference":
        x = BenchData.input(c);
        out = model.predict(x);
        break;
      case "train":
        x = BenchData.input(c);
        dOutput = BenchData.dOutput(c);
        gradients = model.gradients(x, dOutput);
        break;
      case "stream":
        stepper = model.stepper();
        x1 = BenchData.normal(99, c.features).data();
        y1 = new double[stepper.outputSize()];
        break;
      default:
        throw new IllegalStateException("unknown benchmark " + mode);
    }
  }

  @Benchmark
  public Tensor inference() {
    return model.predict(x, null, out);
  }

  @Benchmark
  public Gradients train() {
    return model.gradients(x, null, dOutput, gradients);
  }

  @Benchmark
  public double[] stream() {
    stepper.step(x1, y1);
    return y1;
  }
}
