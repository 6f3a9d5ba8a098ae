package dev.unroll.processor.model;

import java.util.List;

/**
 * How each layer's time loop is written: unrolled, one statement per timestep, or rolled into a
 * {@code for} loop over the same specialised step method.
 *
 * @param layers one entry per layer of the model, in order
 */
public record Plan(List<LayerPlan> layers) {

  public Plan {
    layers = List.copyOf(layers);
  }

  /**
   * @param unrolled whether forward and backward call the step method once per timestep
   * @param estimatedBytes the planner's estimate of the bytecode of the larger of the two methods
   * @param reason why, in words, for the NOTE the processor prints
   * @param tiledProduct whether the step multiplies h_{t-1} by U in tiles of columns for all samples
   *     at once rather than sample by sample (see {@link Planner#tiledProduct})
   */
  public record LayerPlan(LstmLayer layer, boolean unrolled, int estimatedBytes, String reason,
      boolean tiledProduct) {}

  public LayerPlan of(LstmLayer layer) {
    return layers.stream()
        .filter(p -> p.layer().equals(layer))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no plan for layer " + layer.name()));
  }
}
