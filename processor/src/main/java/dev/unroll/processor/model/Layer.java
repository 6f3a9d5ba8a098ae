package dev.unroll.processor.model;

/** A layer of a model's stack, with every shape resolved. */
public sealed interface Layer permits LstmLayer, DenseLayer {

  /** The Keras layer name: {@code lstm}, {@code lstm_1}, {@code dense}, ... */
  String name();

  /** The Keras class name, for the summary: {@code LSTM}, {@code Dense}. */
  String kerasClass();

  /** Weights, as Keras counts them. */
  long paramCount();

  /** The output shape of one sample, without the batch dimension. */
  int[] outputShape();

  /** Whether the output has a time axis. */
  boolean returnsSequences();

  /** The width of the output's last axis. */
  int outputWidth();
}
