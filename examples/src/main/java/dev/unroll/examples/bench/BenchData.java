package dev.unroll.examples.bench;

import dev.unroll.Tensor;
import java.util.SplittableRandom;

/** Seeded random inputs for the benchmarks: the same values in every run. */
public final class BenchData {
  private BenchData() {}

  /** A tensor of the given shape filled with standard normal values from {@code seed}. */
  public static Tensor normal(long seed, int... shape) {
    Tensor t = Tensor.zeros(shape);
    fillNormal(new SplittableRandom(seed), t.data());
    return t;
  }

  /** Standard normal values (Box-Muller) into {@code a}. */
  public static void fillNormal(SplittableRandom rng, double[] a) {
    for (int k = 0; k < a.length; k += 2) {
      double u1 = 1.0 - rng.nextDouble();
      double u2 = rng.nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      a[k] = r * Math.cos(2 * Math.PI * u2);
      if (k + 1 < a.length) {
        a[k + 1] = r * Math.sin(2 * Math.PI * u2);
      }
    }
  }

  /** The input x (B, T, F) of a config. */
  public static Tensor input(BenchConfig c) {
    return normal(1234, c.batch, c.timesteps, c.features);
  }

  /** The fixed upstream gradient dL/dh_seq (B, T, U) of a config: the peer's R. */
  public static Tensor dOutput(BenchConfig c) {
    return normal(4321, c.batch, c.timesteps, c.units);
  }
}
