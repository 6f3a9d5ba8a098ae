package dev.unroll;

/**
 * The architecture of one layer of a generated model, as declared and inferred at compile time:
 * what weight readers compare a Keras or PyTorch file against, and what tools print.
 *
 * @param name the Keras layer name ({@code lstm}, {@code lstm_1}, {@code dense}, ...)
 * @param kind {@code LSTM}, {@code GRU} or {@code Dense} (Keras class names)
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
    boolean resetAfter) {

  /** A layer of a kind without {@code reset_after} (LSTM, Dense). */
  public LayerInfo(String name, String kind, int units, int inputs, int timesteps, Activation activation,
      Activation recurrentActivation, boolean useBias, boolean returnSequences, boolean returnState,
      boolean goBackwards) {
    this(name, kind, units, inputs, timesteps, activation, recurrentActivation, useBias, returnSequences, returnState,
        goBackwards, false);
  }

  /** Whether this is an LSTM layer. */
  public boolean isLstm() {
    return "LSTM".equals(kind);
  }

  /** Whether this is a GRU layer. */
  public boolean isGru() {
    return "GRU".equals(kind);
  }

  /** Whether this is a recurrent layer (LSTM or GRU). */
  public boolean isRecurrent() {
    return isLstm() || isGru();
  }

  /** Weights as Keras counts them. */
  public long paramCount() {
    if (isLstm()) {
      return 4L * ((long) inputs * units + (long) units * units + (useBias ? units : 0));
    }
    if (isGru()) {
      return 3L * ((long) inputs * units + (long) units * units + (useBias ? (resetAfter ? 2L : 1L) * units : 0));
    }
    return (long) inputs * units + (useBias ? units : 0);
  }
}
