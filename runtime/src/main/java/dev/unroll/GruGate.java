package dev.unroll;

/**
 * The three gate blocks of a GRU, in the column order Keras stores them in its kernel, recurrent
 * kernel and bias: block {@code g} spans columns {@code [g·units, (g+1)·units)}.
 */
public enum GruGate {
  /** Update gate, {@code z = recurrent_activation(z_z)}: how much of h_{t-1} is kept. */
  Z,
  /** Reset gate, {@code r = recurrent_activation(z_r)}: how much of h_{t-1} the candidate sees. */
  R,
  /** Candidate, {@code ĥ = activation(...)}. */
  H;

  /** The first column of this gate's block in a matrix of 3·units columns. */
  public int offset(int units) {
    return ordinal() * units;
  }
}
