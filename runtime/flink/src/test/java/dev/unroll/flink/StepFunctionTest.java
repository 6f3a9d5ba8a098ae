package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import dev.unroll.flink.models.UnrolledSensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a Flink MiniCluster, every key's outputs equal stepping that key's sequence alone with its own
 * stepper, bit for bit: with the keys spread over two parallel instances that step them interleaved,
 * and after a failure from which the job restarts from a checkpoint (the keys' h and c restored from
 * Flink's keyed state, the source rewound to the checkpoint).
 */
class StepFunctionTest {
  static final int KEYS = 5;
  static final int STEPS = 120;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  /** One event: step {@code index} of stream {@code key}. */
  public static class Event {
    public String key;
    public int index;
    public double[] x;

    public Event() {}

    static Event of(long i) {
      Event e = new Event();
      e.key = "device-" + (i % KEYS);
      e.index = (int) (i / KEYS);
      e.x = features(i % KEYS, e.index);
      return e;
    }
  }

  /** What the job emits per event. */
  public static class Out {
    public String key;
    public int index;
    public long step;
    public double[] y;

    public Out() {}
  }

  static double[] features(long key, int index) {
    SplittableRandom r = new SplittableRandom(key * 100_003 + index);
    return new double[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
  }

  static SequenceModel model() {
    UnrolledSensor m = new UnrolledSensor(4);
    List<Tensor> w = m.getWeights();
    SplittableRandom r = new SplittableRandom(5);
    for (Tensor t : w) {
      double[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        d[i] += r.nextDouble(-0.2, 0.2);
      }
    }
    m.setWeights(w);
    return m;
  }

  /** Each key's sequence stepped alone: expected[key][index]. */
  static double[][][] reference(SequenceModel model) {
    double[][][] out = new double[KEYS][STEPS][];
    for (int k = 0; k < KEYS; k++) {
      Stepper s = model.stepper();
      for (int t = 0; t < STEPS; t++) {
        out[k][t] = s.step(features(k, t)).clone();
      }
    }
    return out;
  }

  static DataStream<Out> job(StreamExecutionEnvironment env, SequenceModel model, RichMapFunction<Long, Long> gate) {
    DataStream<Long> indices = env.fromSequence(0, (long) KEYS * STEPS - 1).setParallelism(1);
    if (gate != null) {
      indices = indices.map(gate).setParallelism(1);
    }
    return indices
        .map(Event::of).returns(Event.class).setParallelism(1)
        .keyBy(e -> e.key)
        .process(new StepFunction<String, Event, Out>(UnrolledSensor::new, model, e -> e.x, (e, step, y) -> {
          Out o = new Out();
          o.key = e.key;
          o.index = e.index;
          o.step = step;
          o.y = y.clone();
          return o;
        }, TypeInformation.of(Out.class)))
        .setParallelism(2);
  }

  static List<Out> collect(DataStream<Out> stream) throws Exception {
    List<Out> out = new ArrayList<>();
    try (CloseableIterator<Out> it = stream.executeAndCollect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  /** Every (key, index) is there, with the step number of its index and the reference output. */
  static void check(String what, List<Out> outs, double[][][] expected) {
    Map<String, Out> byStep = new HashMap<>();
    for (Out o : outs) {
      int k = Integer.parseInt(o.key.substring("device-".length()));
      assertEquals(o.index, o.step, what + ": " + o.key + " event " + o.index + " was stepped as step " + o.step);
      assertArrayEquals(expected[k][o.index], o.y, 0.0, what + ": " + o.key + " step " + o.index);
      byStep.put(o.key + "/" + o.index, o);
    }
    assertEquals(KEYS * STEPS, byStep.size(), what + ": outputs missing");
  }

  @Test
  void keyedStepsEqualSteppingEachKeyAlone() throws Exception {
    SequenceModel model = model();
    double[][][] expected = reference(model);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    List<Out> outs = collect(job(env, model, null));
    assertEquals(KEYS * STEPS, outs.size());
    check("no failure", outs, expected);
  }

  static final AtomicLong CHECKPOINTS = new AtomicLong();
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicLong FAILED_AT = new AtomicLong(-1);
  static final AtomicLong RESUMED_AT = new AtomicLong(-1);

  /** Slows the source down, and fails once, after a checkpoint completed and half the events went by. */
  static final class FailOnce extends RichMapFunction<Long, Long> implements CheckpointListener {
    @Override
    public Long map(Long i) throws InterruptedException {
      if (FAILED.get()) {
        RESUMED_AT.compareAndSet(-1, i);
      } else if (CHECKPOINTS.get() > 0 && i >= KEYS * STEPS / 2) {
        FAILED.set(true);
        FAILED_AT.set(i);
        throw new IllegalStateException("injected failure at event " + i);
      }
      Thread.sleep(1);
      return i;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTS.incrementAndGet();
    }
  }

  @Test
  void afterARestoreFromACheckpointKeysGoOnFromTheirSavedState() throws Exception {
    SequenceModel model = model();
    double[][][] expected = reference(model);
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(50);
    List<Out> outs = collect(job(env, model, new FailOnce()));
    assertTrue(FAILED.get(), "the failure was not injected");
    long resumed = RESUMED_AT.get();
    assertNotNull(resumed);
    // resumed from a checkpoint in the middle: the keys' states of the events before it came from Flink's state
    assertTrue(resumed >= KEYS && resumed <= FAILED_AT.get(),
        "restarted at event " + resumed + " after failing at " + FAILED_AT.get() + ": not from a checkpoint mid-stream");
    check("after a restore from the checkpoint at event " + resumed, outs, expected);
  }
}
