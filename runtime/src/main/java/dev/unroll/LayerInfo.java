package dev.unroll;

/**
 * The architecture of one layer of a generated model, as declared and inferred at compile time:
 * what weight readers compare a Keras or PyTorch file against, and what tools print.
 *
 * @param name the Keras layer name ({@code lstm}, {@code lstm_1}, {@code dense}, ...)
 * @param kind {@code LSTM} or {@code Dense} (Keras class names)
 * @param units the width of the layer's output
 * @param inputs the width of its input (features for the first LSTM)
 * @param timesteps the sequence length it sees, or 0 for a Dense layer applied to single vectors
 * @param activation the activation (for an LSTM, of the cell candidate and output)
 * @param recurrentActivation the LSTM gates' activation; null for Dense
 * @param useBias whether the layer has a bias
 * @param returnSequences whether the output has a time axis
 * @param returnState LSTM {@code return_state}
 * @param goBackwards LSTM {@code go_backwards}
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
    boolean goBackwards) {

  /** Whether this is an LSTM layer. */
  public boolean isLstm() {
    return "LSTM".equals(kind);
  }

  /** Weights as Keras counts them. */
  public long paramCount() {
    return isLstm()
        ? 4L * ((long) inputs * units + (long) units * units + (useBias ? units : 0))
        : (long) inputs * units + (useBias ? units : 0);
  }
}
