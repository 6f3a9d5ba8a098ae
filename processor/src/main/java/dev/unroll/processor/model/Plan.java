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
   * @param writtenOut whether the layer is small enough to be written out in full, each z, gate and
   *     state of a step a named local (see {@link Planner#writtenOut})
   */
  public record LayerPlan(LstmLayer layer, boolean unrolled, int estimatedBytes, String reason,
      boolean tiledProduct, boolean writtenOut) {

    /** What the processor's NOTE says of this layer: the form of its time loop and of its step. */
    public String note(boolean float32) {
      StringBuilder sb = new StringBuilder("time loop ").append(reason);
      if (writtenOut) {
        sb.append("; step written out in full (4*U*(F+U) = ").append(Planner.multiplyAdds(layer))
            .append(" multiply-adds per sample, at most ").append(Planner.WRITTEN_OUT_MULTIPLY_ADDS).append(')');
      }
      if (tiledProduct) {
        sb.append("; h_{t-1} @ U in tiles of columns for all samples at once (U is ")
            .append(Planner.recurrentKernelBytes(layer, float32) / 1024).append(" KB, over ")
            .append(Planner.TILED_PRODUCT_BYTES / 1024).append(" KB)");
      }
      return sb.toString();
    }
  }

  public LayerPlan of(LstmLayer layer) {
    return layers.stream()
        .filter(p -> p.layer().equals(layer))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no plan for layer " + layer.name()));
  }
}
