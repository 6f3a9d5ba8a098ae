package dev.unroll.examples.bench;

import dev.unroll.Float32;
import dev.unroll.Lstm;
import dev.unroll.SequenceModel;

/**
 * The benchmarked models: one LSTM layer per {@link BenchConfig}, in float32 and float64, compiled
 * by the Unroll processor like any user model (generated as {@code UnrolledBenchModels_TinyF32} and
 * so on).
 *
 * <p>{@code returnSequences = true} because the PyTorch peer's {@code nn.LSTM} returns the whole
 * sequence h_seq (B, T, U) and its training loss is {@code sum(h_seq * R)}: the output and dOutput
 * here have that shape too.
 */
public final class BenchModels {
  private BenchModels() {}

  @Lstm(units = 1, timesteps = 1, features = 1, returnSequences = true)
  public interface Seed1F64 {}

  @Float32
  @Lstm(units = 1, timesteps = 1, features = 1, returnSequences = true)
  public interface Seed1F32 {}

  @Lstm(units = 1, timesteps = 1, features = 2, returnSequences = true)
  public interface Seed2F64 {}

  @Float32
  @Lstm(units = 1, timesteps = 1, features = 2, returnSequences = true)
  public interface Seed2F32 {}

  @Lstm(units = 8, timesteps = 24, features = 3, returnSequences = true)
  public interface TinyF64 {}

  @Float32
  @Lstm(units = 8, timesteps = 24, features = 3, returnSequences = true)
  public interface TinyF32 {}

  // small has tiny's layer shapes (batch is a run-time value), but gets its own classes so that each
  // benchmarked configuration is a model of its own, as a user would declare it.
  @Lstm(units = 8, timesteps = 24, features = 3, returnSequences = true)
  public interface SmallF64 {}

  @Float32
  @Lstm(units = 8, timesteps = 24, features = 3, returnSequences = true)
  public interface SmallF32 {}

  @Lstm(units = 32, timesteps = 50, features = 8, returnSequences = true)
  public interface MidF64 {}

  @Float32
  @Lstm(units = 32, timesteps = 50, features = 8, returnSequences = true)
  public interface MidF32 {}

  @Lstm(units = 128, timesteps = 100, features = 32, returnSequences = true)
  public interface BigF64 {}

  @Float32
  @Lstm(units = 128, timesteps = 100, features = 32, returnSequences = true)
  public interface BigF32 {}

  @Lstm(units = 256, timesteps = 64, features = 64, returnSequences = true)
  public interface LargeF64 {}

  @Float32
  @Lstm(units = 256, timesteps = 64, features = 64, returnSequences = true)
  public interface LargeF32 {}

  /**
   * A new generated model for a config and a precision ("float32" or "float64"), with the default
   * seed. Only the chosen class is loaded, so a JMH fork sees one implementation of
   * {@link SequenceModel} and its call sites stay monomorphic.
   */
  public static SequenceModel create(BenchConfig config, String precision) {
    boolean f32 = isFloat32(precision);
    switch (config) {
      case SEED1:
        return f32 ? new UnrolledBenchModels_Seed1F32() : new UnrolledBenchModels_Seed1F64();
      case SEED2:
        return f32 ? new UnrolledBenchModels_Seed2F32() : new UnrolledBenchModels_Seed2F64();
      case TINY:
        return f32 ? new UnrolledBenchModels_TinyF32() : new UnrolledBenchModels_TinyF64();
      case SMALL:
        return f32 ? new UnrolledBenchModels_SmallF32() : new UnrolledBenchModels_SmallF64();
      case MID:
        return f32 ? new UnrolledBenchModels_MidF32() : new UnrolledBenchModels_MidF64();
      case BIG:
        return f32 ? new UnrolledBenchModels_BigF32() : new UnrolledBenchModels_BigF64();
      case LARGE:
        return f32 ? new UnrolledBenchModels_LargeF32() : new UnrolledBenchModels_LargeF64();
      default:
        throw new AssertionError(config);
    }
  }

  /** True for "float32", false for "float64". */
  public static boolean isFloat32(String precision) {
    switch (precision) {
      case "float32":
        return true;
      case "float64":
        return false;
      default:
        throw new IllegalArgumentException("precision must be float32 or float64, found " + precision);
    }
  }
}
