package dev.unroll;

/**
 * The four gate blocks of an LSTM, in the column order Keras stores them in its kernel,
 * recurrent kernel and bias: block {@code g} spans columns {@code [g·units, (g+1)·units)}.
 */
public enum Gate {
  /** Input gate, {@code i = recurrent_activation(z_i)}. */
  I,
  /** Forget gate, {@code f = recurrent_activation(z_f)}. */
  F,
  /** Cell candidate, {@code c~ = activation(z_c)}. */
  C,
  /** Output gate, {@code o = recurrent_activation(z_o)}. */
  O;

  /** The first column of this gate's block in a matrix of 4·units columns. */
  public int offset(int units) {
    return ordinal() * units;
  }
}
