package dev.unroll.processor.model;

import dev.unroll.internal.Kernels;
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
   * What the processor decides for one layer at compile time. The form of a kernel-form step (not
   * written out) is decided at run time: see {@link #note(boolean)}.
   *
   * @param unrolled whether forward and backward call the step method once per timestep
   * @param estimatedBytes the planner's estimate of the bytecode of the larger of the two methods
   * @param reason why, in words, for the NOTE the processor prints
   * @param writtenOut whether the layer is small enough to be written out in full, each z, gate and
   *     state of a step a named local (see {@link Planner#writtenOut}); otherwise its step calls the
   *     runtime's kernels, in a form chosen when the generated class is initialised
   */
  public record LayerPlan(LstmLayer layer, boolean unrolled, int estimatedBytes, String reason,
      boolean writtenOut) {

    /**
     * What the processor's NOTE says of this layer: the form of its time loop and of its step, decided
     * now, and for a kernel-form step, how the form of its product h_{t-1} @ U will be chosen at run
     * time and what that gives for this layer's U.
     */
    public String note(boolean float32) {
      StringBuilder sb = new StringBuilder("time loop ").append(reason);
      if (writtenOut) {
        sb.append("; step written out in full (4*U*(F+U) = ").append(Planner.multiplyAdds(layer))
            .append(" multiply-adds per sample, at most ").append(Planner.WRITTEN_OUT_MULTIPLY_ADDS).append(')');
      } else {
        long bytes = Planner.recurrentKernelBytes(layer, float32);
        boolean over = bytes > Kernels.TILED_PRODUCT_BYTES;
        sb.append("; step on the runtime's kernels, h_{t-1} @ U sample by sample or in tiles of columns for all")
            .append(" samples at once, chosen at run time when the class is initialised (Kernels.prefersTiled):")
            .append(" tiled on the Vector API kernels; on the scalar kernels ").append(over ? "tiled" : "per sample")
            .append(" (U is ").append(bytes / 1024).append(" KB, ").append(over ? "over " : "at most ")
            .append(Kernels.TILED_PRODUCT_BYTES / 1024).append(" KB)");
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
