package dev.unroll.examples.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The second peer: ONNX Runtime for Java ({@code com.microsoft.onnxruntime:onnxruntime}, what a JVM
 * user would otherwise pick to run an exported model) on the models {@code export_onnx.py} exported
 * from the PyTorch peer's {@code nn.LSTM}, float32, one thread (intra-op and inter-op threads 1,
 * sequential, no spinning):
 *
 * <ul>
 *   <li>{@code inference}: one run of {@code NAME.onnx} on the (B, T, F) batch (its output, the last
 *       h, is allocated by ONNX Runtime on each run and closed);
 *   <li>{@code stream}: one run of {@code NAME_step.onnx} at batch 1, its h and c fed back as the
 *       next step's h0 and c0 (the previous step's result closed).
 * </ul>
 *
 * <p>The JMH parameter {@code precision} is float32 only (the export's), so that the table pairs
 * these rows with Unroll's float32 rows. Needs {@code -Dunroll.onnx.dir} in the forked JVM
 * ({@code -jvmArgsAppend}); compare.sh passes it. Only in the benchmarks profile.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
public class OrtBench {

  @Param({"seed1", "seed2", "tiny", "small", "mid", "big", "large"})
  public String config;

  @Param({"float32"})
  public String precision;

  /** ORT's intra-op threads (1 for the one-thread table; 2 for the two-thread rows). */
  @Param({"1"})
  public int threads;

  private OrtEnvironment env;
  private OrtSession session;
  private final Map<String, OnnxTensor> inputs = new HashMap<>();
  private OnnxTensor x;
  private OnnxTensor h0;
  private OnnxTensor c0;
  private OrtSession.Result previous;

  @Setup
  public void setup(BenchmarkParams params) throws Exception {
    BenchConfig c = BenchConfig.of(config);
    env = OrtEnvironment.getEnvironment();
    String mode = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    switch (mode) {
      case "inference":
        session = OrtModels.session(env, OrtModels.file(c, ".onnx"), threads);
        x = OrtModels.tensor(env, OrtModels.readFloats(OrtModels.file(c, "_input.txt")),
            c.batch, c.timesteps, c.features);
        inputs.put("x", x);
        break;
      case "stream":
        session = OrtModels.session(env, OrtModels.file(c, "_step.onnx"));
        float[] x1 = new float[c.features];
        double[] normal = BenchData.normal(99, c.features).data();
        for (int i = 0; i < x1.length; i++) {
          x1[i] = (float) normal[i];
        }
        x = OrtModels.tensor(env, x1, 1, 1, c.features);
        h0 = OrtModels.tensor(env, new float[c.units], 1, 1, c.units);
        c0 = OrtModels.tensor(env, new float[c.units], 1, 1, c.units);
        inputs.put("x", x);
        inputs.put("h0", h0);
        inputs.put("c0", c0);
        break;
      default:
        throw new IllegalStateException("unknown benchmark " + mode);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    if (previous != null) {
      previous.close();
    }
    for (OnnxTensor t : new OnnxTensor[] {x, h0, c0}) {
      if (t != null) {
        t.close();
      }
    }
    session.close();
  }

  @Benchmark
  public long inference() throws OrtException {
    try (OrtSession.Result r = session.run(inputs)) {
      return ((OnnxTensor) r.get(0)).getInfo().getShape()[0];
    }
  }

  @Benchmark
  public OnnxValue stream() throws OrtException {
    OrtSession.Result r = session.run(inputs);
    inputs.put("h0", (OnnxTensor) r.get(0));
    inputs.put("c0", (OnnxTensor) r.get(1));
    if (previous != null) {
      previous.close();
    }
    previous = r;
    return r.get(0);
  }
}
