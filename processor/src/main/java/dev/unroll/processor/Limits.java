package dev.unroll.processor;

import java.math.BigInteger;

/**
 * Every limit the validator enforces, in one place. Each is a count of values (or layers) that a
 * model may not exceed; the messages of {@link Messages} quote them, and the checks of
 * {@link StackInference} compare exact counts (as {@link BigInteger}, since the products of
 * attributes near {@code Integer.MAX_VALUE} overflow a long) against them with {@link #exceeds}.
 */
final class Limits {
  private Limits() {}

  /**
   * At most this many layers: the generated class's backward and setWeights methods grow by about
   * 140 and 130 bytes of bytecode a layer (measured by DslBytecodeSizeTest; 64 layers gave 8,984
   * and 8,188), and must stay under HotSpot's JIT limit of 8000. At 48 the largest is about 6,800.
   * Raise it only once the writer splits those methods.
   */
  static final int MAX_LAYERS = 48;

  /**
   * Parameter cap of one layer, LSTM ({@code 4·(F·U + U² + U)}) or Dense ({@code in·units + units}):
   * 2^27 weights, 1 GiB in float64.
   */
  static final long MAX_PARAMS = 1L << 27;

  /**
   * Cap on the largest work buffer of one sample of an LSTM layer: z and its gradient,
   * (timesteps · 4·units) values, or x and dx, (timesteps · features): 2^27 values, 1 GiB in float64.
   */
  static final long MAX_VALUES_PER_SAMPLE = 1L << 27;

  /**
   * Cap on the output (and its gradient) of one sample of a Dense layer applied per timestep, after
   * a layer that returns sequences: (timesteps · units) values. The same 1 GiB in float64 as
   * {@link #MAX_VALUES_PER_SAMPLE}.
   */
  static final long MAX_DENSE_VALUES_PER_SAMPLE = MAX_VALUES_PER_SAMPLE;

  /** Whether the exact count {@code n} is over {@code limit}. */
  static boolean exceeds(BigInteger n, long limit) {
    return n.compareTo(BigInteger.valueOf(limit)) > 0;
  }
}
