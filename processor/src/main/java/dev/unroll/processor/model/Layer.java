package dev.unroll.processor.model;

import dev.unroll.LayerInfo;
import java.util.List;

/**
 * A layer of a model's stack, with every shape resolved: the one description of a layer kind that
 * the summary, the weight lists, the parameter counts, the notes and the writers derive from.
 */
public sealed interface Layer permits LstmLayer, GruLayer, BidirectionalLayer, DenseLayer, MaskingLayer {

  /** The Keras layer name: {@code lstm}, {@code lstm_1}, {@code dense}, ... */
  String name();

  /** The Keras class name, for the summary: {@code LSTM}, {@code GRU}, {@code Dense}, {@code Masking}. */
  String kerasClass();

  /**
   * The layer as the runtime describes it to users ({@code SequenceModel.layers()}): the generated
   * class's {@code LAYERS} and the summary, at compile time and at run time, are built from it.
   */
  LayerInfo info();

  /** The weights in Keras {@code get_weights()} order, with their Keras names and shapes. */
  List<Weight> weights();

  /** Weights, as Keras counts them: the sizes of {@link #weights()}. */
  default long paramCount() {
    long n = 0;
    for (Weight w : weights()) {
      n += w.size();
    }
    return n;
  }

  /** The parameter count as a formula of the layer's sizes, for Javadoc: {@code 4*(F*U + U*U + U) = 4*(2*1 + 1*1 + 1)}. */
  String paramFormula();

  /** The output shape of one sample, without the batch dimension. */
  int[] outputShape();

  /** T, the length of the sequences the layer sees; for a Dense layer 0 unless it applies per timestep. */
  int timesteps();

  /** Whether the layer processes its sequence from the last step to the first (Keras go_backwards). */
  default boolean goBackwards() {
    return false;
  }

  /** Whether this is a recurrent layer (LSTM, GRU), which has a state. */
  default boolean recurrent() {
    return false;
  }

  /** Whether the output has a time axis. */
  boolean returnsSequences();

  /** The width of the input's last axis. */
  int inputWidth();

  /** The width of the output's last axis. */
  int outputWidth();

  /** The size per sample of the layer's largest work buffer, to check that a batch fits in Java arrays. */
  long valuesPerSample();
}
