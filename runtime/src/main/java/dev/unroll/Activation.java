package dev.unroll;

/** Activation functions, with the names and formulas of Keras. */
public enum Activation {
  /** {@code tanh(x)}. */
  TANH("tanh"),
  /** The logistic function {@code 1 / (1 + e^-x)}. */
  SIGMOID("sigmoid"),
  /** Keras 1 and 2: {@code clip(0.2·x + 0.5, 0, 1)}. */
  HARD_SIGMOID("hard_sigmoid"),
  /** Keras 3: {@code clip(x / 6 + 0.5, 0, 1)}. */
  HARD_SIGMOID_KERAS3("hard_sigmoid"),
  /** {@code max(0, x)}. */
  RELU("relu"),
  /** The identity. */
  LINEAR("linear"),
  /** {@code e^x_j / sum_k e^x_k} over the units of a {@link Dense} layer; not for {@link Lstm}. */
  SOFTMAX("softmax");

  private final String kerasName;

  Activation(String kerasName) {
    this.kerasName = kerasName;
  }

  /** The name Keras gives this activation in a model's configuration. */
  public String kerasName() {
    return kerasName;
  }
}
