package dev.unroll.processor.model;

import dev.unroll.Activation;

/**
 * One Keras {@code Dense} layer: {@code y = activation(x @ kernel + bias)}.
 *
 * @param name the Keras layer name, {@code dense}, {@code dense_1}, ...
 * @param units the width of y
 * @param inputs the width of x: the units of the layer before
 * @param timesteps T when the layer applies to every timestep of a sequence, else 0
 */
public record DenseLayer(String name, int units, int inputs, int timesteps, Activation activation, boolean useBias)
    implements Layer {

  /** Whether it applies to each step of a sequence (after a layer that returns sequences). */
  public boolean perTimestep() {
    return timesteps > 0;
  }

  @Override
  public long paramCount() {
    return (long) inputs * units + (useBias ? units : 0);
  }

  @Override
  public int[] outputShape() {
    return perTimestep() ? new int[] {timesteps, units} : new int[] {units};
  }

  @Override
  public String kerasClass() {
    return "Dense";
  }

  @Override
  public boolean returnsSequences() {
    return perTimestep();
  }

  @Override
  public int outputWidth() {
    return units;
  }
}
