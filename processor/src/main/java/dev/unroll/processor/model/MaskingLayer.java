package dev.unroll.processor.model;

import dev.unroll.LayerInfo;
import java.util.List;

/**
 * A Keras {@code Masking} layer: no weights, its output is its input, and it marks step t of a sample
 * as masked when every feature equals {@code maskValue}. It is the model's first layer; the layers
 * after it that keep the time axis see its mask (see {@link ModelSpec#masked(Layer)}).
 *
 * @param name the Keras layer name: the layer method's name
 * @param timesteps T, the model's
 * @param features F, the model's
 * @param maskValue Keras {@code mask_value}, finite
 */
public record MaskingLayer(String name, int timesteps, int features, double maskValue) implements Layer {

  @Override
  public LayerInfo info() {
    return LayerInfo.masking(name, timesteps, features, maskValue);
  }

  @Override
  public String kerasClass() {
    return "Masking";
  }

  @Override
  public List<Weight> weights() {
    return List.of();
  }

  @Override
  public String paramFormula() {
    return "0 (no weights)";
  }

  @Override
  public int[] outputShape() {
    return new int[] {timesteps, features};
  }

  @Override
  public boolean returnsSequences() {
    return true;
  }

  @Override
  public int inputWidth() {
    return features;
  }

  @Override
  public int outputWidth() {
    return features;
  }

  /** x, (T, F). */
  @Override
  public long valuesPerSample() {
    return (long) timesteps * features;
  }
}
