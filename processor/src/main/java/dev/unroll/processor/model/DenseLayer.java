package dev.unroll.processor.model;

import dev.unroll.Activation;
import dev.unroll.LayerInfo;
import java.util.List;

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
  public List<Weight> weights() {
    Weight kernel = new Weight("kernel", "kernel", inputs, units);
    return useBias ? List.of(kernel, new Weight("bias", "bias", units)) : List.of(kernel);
  }

  @Override
  public String paramFormula() {
    return useBias ? "(" + inputs + "*" + units + " + " + units + ")" : "(" + inputs + "*" + units + ")";
  }

  @Override
  public int[] outputShape() {
    return perTimestep() ? new int[] {timesteps, units} : new int[] {units};
  }

  @Override
  public LayerInfo info() {
    return new LayerInfo(name, kerasClass(), units, inputs, timesteps, activation, null, useBias, perTimestep(), false,
        false);
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
  public int inputWidth() {
    return inputs;
  }

  @Override
  public int outputWidth() {
    return units;
  }

  /** Rows per sample (one per timestep, or one) times the wider of x and y. */
  @Override
  public long valuesPerSample() {
    return Math.max(1, timesteps) * (long) Math.max(inputs, units);
  }
}
