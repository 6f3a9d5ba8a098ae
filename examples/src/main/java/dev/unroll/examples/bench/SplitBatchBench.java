package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.ParallelModel;
import dev.unroll.SequenceModel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A batch split over two threads with {@link ParallelModel}: the benchmark thread runs the first half
 * on the model, a second instance with the same weights runs the other half on its own thread; the
 * copies of the halves in and out (and, in training, the sum of the two halves' weight gradients) are
 * included. Compare with {@code UnrollBench} (one thread) in the same run:
 * {@code java -jar benchmarks.jar "SplitBatchBench|UnrollBench.(inference|train)" -p config=mid}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class SplitBatchBench {

  @Param({"small", "mid", "big", "large"})
  public String config;

  @Param({"float32", "float64"})
  public String precision;

  @Param({"2"})
  public int threads;

  private ParallelModel model;
  private Tensor x;
  private Tensor out;
  private Tensor dOutput;
  private Gradients gradients;

  @Setup
  public void setup() {
    BenchConfig c = BenchConfig.of(config);
    SequenceModel first = BenchModels.create(c, precision);
    model = ParallelModel.of(first, threads);
    x = BenchData.input(c);
    out = model.predict(x);
    dOutput = BenchData.dOutput(c);
    gradients = model.gradients(x, dOutput);
  }

  @TearDown
  public void tearDown() {
    model.close();
  }

  @Benchmark
  public Tensor inferenceTwoThreads() {
    return model.predict(x, null, out);
  }

  @Benchmark
  public Gradients trainTwoThreads() {
    return model.gradients(x, null, dOutput, gradients);
  }
}
