package dev.unroll.examples.bench;

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
 * The one-thread baseline: the same shapes, weights and inputs as {@link UnrollBench}, computed by
 * the hand-written, non-generated LSTM over EJML ({@link EjmlLstm64}, {@link EjmlLstm32}), to show
 * what generating code for exact shapes buys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
public class EjmlBaselineBench {

  @Param({"seed1", "seed2", "tiny", "small", "mid", "big", "large"})
  public String config;

  @Param({"float32", "float64"})
  public String precision;

  private BaselineLstm lstm;
  private Tensor x;
  private Tensor out;
  private Tensor dOutput;

  @Setup
  public void setup(BenchmarkParams params) {
    BenchConfig c = BenchConfig.of(config);
    lstm = BaselineLstm.create(c, precision, BenchModels.create(c, precision).getWeights());
    x = BenchData.input(c);
    out = Tensor.zeros(c.batch, c.timesteps, c.units);
    dOutput = BenchData.dOutput(c);
    if (params.getBenchmark().endsWith(".train")) {
      lstm.gradients(x, dOutput);
    } else {
      lstm.predict(x, out);
    }
  }

  @Benchmark
  public Tensor inference() {
    lstm.predict(x, out);
    return out;
  }

  @Benchmark
  public BaselineLstm train() {
    lstm.gradients(x, dOutput);
    return lstm;
  }
}
