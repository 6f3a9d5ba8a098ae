package dev.unroll;

/**
 * The architecture of one layer of a generated model, as declared and inferred at compile time:
 * what weight readers compare a Keras or PyTorch file against, and what tools print.
 *
 * @param name the Keras layer name ({@code lstm}, {@code lstm_1}, {@code dense}, ...)
 * @param kind {@code LSTM}, {@code GRU}, {@code Dense}, {@code Bidirectional} or {@code Masking} (Keras class names)
 * @param units the width of the layer's output
 * @param inputs the width of its input (features for the first LSTM)
 * @param timesteps the sequence length it sees, or 0 for a Dense layer applied to single vectors
 * @param activation the activation (for an LSTM, of the cell candidate and output)
 * @param recurrentActivation the LSTM gates' activation; null for Dense
 * @param useBias whether the layer has a bias
 * @param returnSequences whether the output has a time axis
 * @param returnState LSTM {@code return_state}
 * @param goBackwards LSTM and GRU {@code go_backwards}
 * @param resetAfter GRU {@code reset_after} (false for other kinds)
 * @param wrapped for a {@code Bidirectional} layer, the kind of each of its two directions ({@code LSTM} or
 *     {@code GRU}), whose attributes the other components give; null for other kinds
 * @param mergeMode for a {@code Bidirectional} layer, how it merges its directions; null for other kinds
 * @param maskValue for a {@code Masking} layer, Keras {@code mask_value}; 0 for other kinds
 */
public record LayerInfo(
    String name,
    String kind,
    int units,
    int inputs,
    int timesteps,
    Activation activation,
    Activation recurrentActivation,
    boolean useBias,
    boolean returnSequences,
    boolean returnState,
    boolean goBackwards,
    boolean resetAfter,
    String wrapped,
    MergeMode mergeMode,
    double maskValue) {

  /** A layer of any kind but Masking. */
  public LayerInfo(String name, String kind, int units, int inputs, int timesteps, Activation activation,
      Activation recurrentActivation, boolean useBias, boolean returnSequences, boolean returnState,
      boolean goBackwards, boolean resetAfter, String wrapped, MergeMode mergeMode) {
    this(name, kind, units, inputs, timesteps, activation, recurrentActivation, useBias, returnSequences, returnState,
        goBackwards, resetAfter, wrapped, mergeMode, 0);
  }

  /** A Masking layer over (timesteps, features): no weights, its output is its input. */
  public static LayerInfo masking(String name, int timesteps, int features, double maskValue) {
    return new LayerInfo(name, "Masking", features, features, timesteps, Activation.LINEAR, null, false, true, false,
        false, false, null, null, maskValue);
  }

  /** A layer that is not a Bidirectional wrapper. */
  public LayerInfo(String name, String kind, int units, int inputs, int timesteps, Activation activation,
      Activation recurrentActivation, boolean useBias, boolean returnSequences, boolean returnState,
      boolean goBackwards, boolean resetAfter) {
    this(name, kind, units, inputs, timesteps, activation, recurrentActivation, useBias, returnSequences, returnState,
        goBackwards, resetAfter, null, null);
  }

  /** A layer of a kind without {@code reset_after} (LSTM, Dense). */
  public LayerInfo(String name, String kind, int units, int inputs, int timesteps, Activation activation,
      Activation recurrentActivation, boolean useBias, boolean returnSequences, boolean returnState,
      boolean goBackwards) {
    this(name, kind, units, inputs, timesteps, activation, recurrentActivation, useBias, returnSequences, returnState,
        goBackwards, false, null, null);
  }

  /** Whether this is an LSTM layer. */
  public boolean isLstm() {
    return "LSTM".equals(kind);
  }

  /** Whether this is a Masking layer: no weights, its output is its input ({@code units} = {@code inputs}). */
  public boolean isMasking() {
    return "Masking".equals(kind);
  }

  /** Whether this is a GRU layer. */
  public boolean isGru() {
    return "GRU".equals(kind);
  }

  /** Whether this is a Bidirectional wrapper of two LSTM or GRU layers ({@link #wrapped()}). */
  public boolean isBidirectional() {
    return "Bidirectional".equals(kind);
  }

  /** Whether this is a recurrent layer (LSTM or GRU), or a Bidirectional one. */
  public boolean isRecurrent() {
    return isLstm() || isGru() || isBidirectional();
  }

  /**
   * For a Bidirectional layer, one of its directions as a layer of its own ({@code forward_lstm},
   * {@code backward_lstm}, ...); its output has {@code units} values per step.
   */
  public LayerInfo direction(boolean backward) {
    if (!isBidirectional()) {
      throw new UnsupportedOperationException("layer " + name + " (" + kind + ") is not Bidirectional");
    }
    return new LayerInfo((backward ? "backward_" : "forward_") + wrapped.toLowerCase(java.util.Locale.ROOT), wrapped,
        units, inputs, timesteps, activation, recurrentActivation, useBias, returnSequences, false, backward,
        resetAfter);
  }

  /** The width of the layer's output: units, or twice the units for a Bidirectional layer that concatenates. */
  public int outputWidth() {
    return isBidirectional() && mergeMode == MergeMode.CONCAT ? 2 * units : units;
  }

  /** Weights as Keras counts them. */
  public long paramCount() {
    if (isMasking()) {
      return 0;
    }
    if (isBidirectional()) {
      return 2 * direction(false).paramCount();
    }
    if (isLstm()) {
      return 4L * ((long) inputs * units + (long) units * units + (useBias ? units : 0));
    }
    if (isGru()) {
      return 3L * ((long) inputs * units + (long) units * units + (useBias ? (resetAfter ? 2L : 1L) * units : 0));
    }
    return (long) inputs * units + (useBias ? units : 0);
  }
}
