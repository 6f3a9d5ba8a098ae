package dev.unroll.examples.bench;

import dev.unroll.Gradients;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * EXPERIMENT (phase-2 evidence): the hand-edited copies of the generated layer (ExpTuned*) with the
 * candidate writer changes switched on by {@code levers} ("none" is the generated code, to check
 * that the copy times like the original). Same inputs and modes as {@link UnrollBench}.
 *
 * <pre>java -jar benchmarks.jar ExpTunedBench -p config=mid -p levers=none,rows,act,back,all</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
public class ExpTunedBench {

  @Param({"tiny", "small", "mid", "big", "large"})
  public String config;

  @Param({"float32", "float64"})
  public String precision;

  @Param({"none", "all"})
  public String levers;

  private ExpModel model;
  private Tensor x;
  private Tensor out;
  private Tensor dOutput;
  private Gradients gradients;
  private double[] x1;
  private double[] y1;

  @Setup
  public void setup(BenchmarkParams params) {
    System.setProperty("exp.levers", levers); // before the ExpTuned class (and ExpLevers) initialise
    BenchConfig c = BenchConfig.of(config);
    SequenceModel generated = BenchModels.create(c, precision);
    model = ExpModel.create(c, precision);
    model.setWeights(generated.getWeights());
    if (!ExpLevers.SPEC.equals(levers)) {
      throw new IllegalStateException("levers initialised too early: " + ExpLevers.SPEC);
    }
    x = BenchData.input(c);
    dOutput = BenchData.dOutput(c);
    out = Tensor.zeros(c.batch, c.timesteps, c.units);
    x1 = BenchData.normal(99, c.features).data();
    y1 = new double[c.units];
    if (params.getBenchmark().endsWith(".train")) {
      gradients = generated.gradients(x, dOutput);
      model.gradients(x, dOutput, gradients);
    } else {
      model.predict(x, out);
    }
  }

  @Benchmark
  public Tensor inference() {
    return model.predict(x, out);
  }

  @Benchmark
  public Gradients train() {
    return model.gradients(x, dOutput, gradients);
  }

  @Benchmark
  public double[] stream() {
    model.step(x1, y1);
    return y1;
  }
}
