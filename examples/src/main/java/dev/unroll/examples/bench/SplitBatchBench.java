package dev.unroll.examples.bench;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Inference over both cores the way the README shows it, with the generated classes as they are: two
 * model instances with the same weights, each predicting half of the batch, one on the benchmark
 * thread and one on a pool thread; the copy of both halves into one (B, T, U) tensor is included
 * (splitting the input is done once, in setup). Compare with {@code UnrollBench.inference} (one
 * thread) in the same run: {@code java -jar benchmarks.jar "SplitBatchBench|UnrollBench.inference" -p config=mid}.
 * The pool's hand-off allocates a little per call (a Future), unlike the models.
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

  private SequenceModel first;
  private SequenceModel second;
  private Tensor x1;
  private Tensor x2;
  private Tensor out1;
  private Tensor out2;
  private Tensor out;
  private ExecutorService pool;
  private Runnable secondHalf;

  @Setup
  public void setup() {
    BenchConfig c = BenchConfig.of(config);
    first = BenchModels.create(c, precision);
    second = BenchModels.create(c, precision);
    second.setWeights(first.getWeights());
    Tensor x = BenchData.input(c);
    int b1 = c.batch / 2;
    int b2 = c.batch - b1;
    int per = c.timesteps * c.features;
    x1 = Tensor.zeros(b1, c.timesteps, c.features);
    x2 = Tensor.zeros(b2, c.timesteps, c.features);
    System.arraycopy(x.data(), 0, x1.data(), 0, b1 * per);
    System.arraycopy(x.data(), b1 * per, x2.data(), 0, b2 * per);
    out1 = first.predict(x1);
    out2 = second.predict(x2);
    out = Tensor.zeros(c.batch, c.timesteps, c.units);
    pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "second-half");
      t.setDaemon(true);
      return t;
    });
    secondHalf = () -> second.predict(x2, null, out2);
  }

  @TearDown
  public void tearDown() {
    pool.shutdownNow();
  }

  @Benchmark
  public Tensor inferenceTwoThreads() throws InterruptedException, ExecutionException {
    Future<?> f = pool.submit(secondHalf);
    first.predict(x1, null, out1);
    f.get();
    System.arraycopy(out1.data(), 0, out.data(), 0, out1.size());
    System.arraycopy(out2.data(), 0, out.data(), out1.size(), out2.size());
    return out;
  }
}
