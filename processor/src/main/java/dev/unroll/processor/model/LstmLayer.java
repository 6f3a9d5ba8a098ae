package dev.unroll.processor.model;

import dev.unroll.Activation;

/**
 * One Keras {@code LSTM} layer with every shape resolved: what the writer needs, and nothing of
 * javac. Construct only valid layers (the validator's job); the record checks nothing.
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

  /** 4·U, the width of z = x_t·W + h_{t-1}·U + b. */
  public int gates() {
    return 4 * units;
  }

  /** 4·(F·U + U·U + U) with a bias, 4·(F·U + U·U) without, as Keras counts. */
  @Override
  public long paramCount() {
    return paramCount(units, features, useBias);
  }

  /** The parameter count of an LSTM layer, in {@code long} so that it cannot overflow. */
  public static long paramCount(long units, long features, boolean useBias) {
    return 4 * (features * units + units * units + (useBias ? units : 0));
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
  public int outputWidth() {
    return units;
  }

  /** The output shape of one sample: (T, U) when returning sequences, else (U). */
  @Override
  public int[] outputShape() {
    return returnSequences ? new int[] {timesteps, units} : new int[] {units};
  }
}
