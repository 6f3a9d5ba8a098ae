package dev.unroll.examples.bench;

import java.util.Locale;

/**
 * The benchmark shapes of issue 6, the same as the PyTorch peer's ({@code ../shared/peers}):
 * units U, features F, timesteps T and batch B.
 */
public enum BenchConfig {
  SEED1(1, 1, 1, 1),
  SEED2(1, 2, 1, 1),
  TINY(8, 3, 24, 1),
  SMALL(8, 3, 24, 32),
  MID(32, 8, 50, 32),
  BIG(128, 32, 100, 64),
  LARGE(256, 64, 64, 128);

  public final int units;
  public final int features;
  public final int timesteps;
  public final int batch;

  BenchConfig(int units, int features, int timesteps, int batch) {
    this.units = units;
    this.features = features;
    this.timesteps = timesteps;
    this.batch = batch;
  }

  /** The config named as in the JMH {@code @Param} and the peer's {@code --configs}, e.g. "tiny". */
  public static BenchConfig of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The lower-case name used by JMH and the peer. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Forward matrix-product FLOPs of one call over the whole batch, as the peer counts them. */
  public double inferenceFlops() {
    return 2.0 * 4 * units * (features + units) * batch * timesteps;
  }

  @Override
  public String toString() {
    return id() + " (U=" + units + ", F=" + features + ", T=" + timesteps + ", B=" + batch + ")";
  }
}
