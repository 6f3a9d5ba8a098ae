package dev.unroll.processor.model;

import dev.unroll.Activation;
import dev.unroll.LayerInfo;
import java.util.List;

/**
 * One Keras {@code LSTM} layer with every shape resolved: what the writer needs, and nothing of
 * javac. Construct only valid layers (the validator's job); the record checks nothing.
 *
 * <p>Keras stores the four gates side by side, in the column order i, f, c, o: kernel W
 * (F, 4U), recurrent kernel U (U, 4U), bias b (4U).
 *
 * @param name the Keras layer name, {@code lstm}, {@code lstm_1}, ...
 * @param units U, the width of h and c
 * @param timesteps T, the length of the sequences
 * @param features F, the width of x_t
 */
public record LstmLayer(
    String name,
    int units,
    int timesteps,
    int features,
    Activation activation,
    Activation recurrentActivation,
    boolean useBias,
    boolean unitForgetBias,
    boolean returnSequences,
    boolean returnState,
    boolean goBackwards) implements Layer {

  /** The gate blocks of z, in Keras's column order. */
  public static final int GATE_BLOCKS = 4;

  /** 4·U, the width of z = x_t·W + h_{t-1}·U + b. */
  public int gates() {
    return GATE_BLOCKS * units;
  }

  @Override
  public List<Weight> weights() {
    Weight kernel = new Weight("kernel", "W", features, gates());
    Weight recurrent = new Weight("recurrent_kernel", "U", units, gates());
    return useBias ? List.of(kernel, recurrent, new Weight("bias", "b", gates())) : List.of(kernel, recurrent);
  }

  /**
   * The parameter count of an LSTM layer, 4·(F·U + U·U + U) with a bias, 4·(F·U + U·U) without, in
   * {@code long} so that the validator can check it before any int shape exists.
   */
  public static long paramCount(long units, long features, boolean useBias) {
    return GATE_BLOCKS * (features * units + units * units + (useBias ? units : 0));
  }

  @Override
  public String paramFormula() {
    int f = features;
    int u = units;
    return useBias
        ? "4*(F*U + U*U + U) = 4*(" + f + "*" + u + " + " + u + "*" + u + " + " + u + ")"
        : "4*(F*U + U*U) = 4*(" + f + "*" + u + " + " + u + "*" + u + ") (no bias)";
  }

  @Override
  public boolean recurrent() {
    return true;
  }

  @Override
  public LayerInfo info() {
    return new LayerInfo(name, kerasClass(), units, features, timesteps, activation, recurrentActivation, useBias,
        returnSequences, returnState, goBackwards);
  }

  @Override
  public String kerasClass() {
    return "LSTM";
  }

  @Override
  public boolean returnsSequences() {
    return returnSequences;
  }

  @Override
  public int inputWidth() {
    return features;
  }

  @Override
  public int outputWidth() {
    return units;
  }

  /** The output shape of one sample: (T, U) when returning sequences, else (U). */
  @Override
  public int[] outputShape() {
    return returnSequences ? new int[] {timesteps, units} : new int[] {units};
  }

  /** The largest work buffer per sample: z and dz, (T, 4U); h and c, (T+1, U); or x, (T, F). */
  @Override
  public long valuesPerSample() {
    long t = timesteps;
    return Math.max(t * gates(), Math.max((t + 1) * units, t * features));
  }
}
