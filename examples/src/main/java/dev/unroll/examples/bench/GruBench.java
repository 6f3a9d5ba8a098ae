package dev.unroll.examples.bench;

import dev.unroll.Float32;
import dev.unroll.Gradients;
import dev.unroll.Gru;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * GRU layers (Keras defaults, reset_after = true, and the Keras 1/2 form reset_after = false) on mid's
 * shapes (32 units, 8 features, 50 steps, batch 32, whole sequences), as {@link UnrollBench} times the
 * LSTM: {@code predict}, {@code gradients} and one stepper step. Never run by the build or CI:
 * {@code java -jar examples/target/benchmarks.jar GruBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class GruBench {

  @Gru(units = 32, timesteps = 50, features = 8, returnSequences = true)
  public interface GruF64 {}

  @Float32
  @Gru(units = 32, timesteps = 50, features = 8, returnSequences = true)
  public interface GruF32 {}

  @Gru(units = 32, timesteps = 50, features = 8, returnSequences = true, resetAfter = false)
  public interface GruBeforeF64 {}

  @Float32
  @Gru(units = 32, timesteps = 50, features = 8, returnSequences = true, resetAfter = false)
  public interface GruBeforeF32 {}

  /** {@code after} (reset_after = true) or {@code before} (false). */
  @Param({"after", "before"})
  public String reset;

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

  @Setup
  public void setup(BenchmarkParams params) {
    boolean f32 = precision.equals("float32");
    model = reset.equals("after")
        ? (f32 ? new UnrolledGruBench_GruF32() : new UnrolledGruBench_GruF64())
        : (f32 ? new UnrolledGruBench_GruBeforeF32() : new UnrolledGruBench_GruBeforeF64());
    x = BenchData.normal(1234, 32, 50, 8);
    out = model.predict(x);
    dOutput = BenchData.normal(4321, 32, 50, 32);
    gradients = model.gradients(x, dOutput);
    stepper = model.stepper();
    x1 = BenchData.normal(99, 8).data();
    y1 = new double[stepper.outputSize()];
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
