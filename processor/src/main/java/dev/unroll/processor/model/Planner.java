package dev.unroll.processor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses, per layer, between a time loop written out step by step and a rolled loop, under a
 * bytecode budget: HotSpot does not JIT-compile a method of more than 8000 bytes of bytecode
 * ({@code -XX:-DontCompileHugeMethods} is off by default), and javac refuses 64 KB.
 *
 * <p>The step methods themselves loop over the batch and the units with constant bounds, so their
 * size does not depend on the shapes; only the number of unrolled steps grows the forward and
 * backward methods. The estimate below is checked against real class files by the processor's
 * bytecode-size test.
 */
public final class Planner {
  /** HotSpot's limit for JIT compilation (HugeMethodLimit). */
  public static final int HUGE_METHOD_LIMIT = 8000;

  /** The largest method the planner will write, leaving room for error in the estimate. */
  public static final int METHOD_BUDGET = 6000;

  /** Default for {@code -Aunroll.maxUnrolledSteps}: past this a time loop is rolled for readability. */
  public static final int DEFAULT_MAX_UNROLLED_STEPS = 32;

  /** {@code aload_0; sipush t; invokevirtual step(I)V}, with a stack-map-free straight line. */
  static final int BYTES_PER_STEP_CALL = 7;

  /** The rest of the backward method, the larger of the two (products, sums, carries). */
  static final int FIXED_BYTES = 400;

  private final int maxUnrolledSteps;

  public Planner(int maxUnrolledSteps) {
    if (maxUnrolledSteps < 0) {
      throw new IllegalArgumentException("maxUnrolledSteps < 0: " + maxUnrolledSteps);
    }
    this.maxUnrolledSteps = maxUnrolledSteps;
  }

  /**
   * The largest layer written out in full, in multiply-adds per step and sample, 4·U·(F + U): each
   * z, gate and state a named local, as EJML writes its fixed-size operations. At this cap the
   * longest written-out method (the step's products, or the backward step's) has about 256 terms
   * of some 16 bytes of bytecode each, well under {@link #METHOD_BUDGET}.
   */
  public static final int WRITTEN_OUT_MULTIPLY_ADDS = 256;

  /** Above this size of U, the step multiplies h_{t-1} by U in tiles of columns: half of a 2 MB L2. */
  public static final long TILED_PRODUCT_BYTES = 1 << 20;

  public Plan plan(ModelSpec model) {
    List<Plan.LayerPlan> plans = new ArrayList<>();
    for (LstmLayer layer : model.lstmLayers()) {
      plans.add(plan(layer, model.float32()));
    }
    return new Plan(plans);
  }

  /**
   * Whether a layer's step multiplies h_{t-1} by U in tiles of columns for all samples at once, chosen
   * by measurement for layers whose U is larger than {@link #TILED_PRODUCT_BYTES}: there the
   * per-sample form reads all of U from L3 or memory once per sample, and the tiled form reads each
   * tile of four rows once per step (the large benchmark model, 256 units in float64: 565 → 340 ms
   * per batch). Below that, U streams from L2 fast enough and the tiles measured slower (the big
   * model, 128 units in float32: 37-39 ms against 28-34 ms).
   */
  public static boolean tiledProduct(LstmLayer layer, boolean float32) {
    return recurrentKernelBytes(layer, float32) > TILED_PRODUCT_BYTES;
  }

  /** The multiply-adds of one step of one sample, 4·U·(F + U): the products x_t·W and h_{t-1}·U. */
  public static long multiplyAdds(LstmLayer layer) {
    return (long) layer.gates() * (layer.features() + layer.units());
  }

  /**
   * Whether a layer is written out in full: at most {@link #WRITTEN_OUT_MULTIPLY_ADDS} multiply-adds
   * per step. Such a step is a few dozen statements with constant indices, which is both the lesson
   * (the equations with their real indices) and the fastest form at these sizes: no loop overhead,
   * no copies into gate blocks, no kernel calls.
   */
  public static boolean writtenOut(LstmLayer layer) {
    return multiplyAdds(layer) <= WRITTEN_OUT_MULTIPLY_ADDS;
  }

  /** The size of U, (units, 4*units) values of 4 or 8 bytes. */
  public static long recurrentKernelBytes(LstmLayer layer, boolean float32) {
    return (long) layer.units() * layer.gates() * (float32 ? 4 : 8);
  }

  Plan.LayerPlan plan(LstmLayer layer, boolean float32) {
    boolean written = writtenOut(layer);
    boolean tiled = !written && tiledProduct(layer, float32);
    int t = layer.timesteps();
    int unrolledBytes = FIXED_BYTES + BYTES_PER_STEP_CALL * t;
    if (t > maxUnrolledSteps) {
      return new Plan.LayerPlan(layer, false, FIXED_BYTES,
          "rolled into a loop over " + t + " timesteps (more than -Aunroll.maxUnrolledSteps=" + maxUnrolledSteps + ")",
          tiled, written);
    }
    if (unrolledBytes > METHOD_BUDGET) {
      return new Plan.LayerPlan(layer, false, FIXED_BYTES,
          "rolled into a loop over " + t + " timesteps (unrolled, its methods would need about "
              + unrolledBytes + " bytes of bytecode, over the budget of " + METHOD_BUDGET
              + " that keeps them under HotSpot's JIT limit of " + HUGE_METHOD_LIMIT + ")", tiled, written);
    }
    return new Plan.LayerPlan(layer, true, unrolledBytes,
        "unrolled over " + t + (t == 1 ? " timestep" : " timesteps")
            + " (up to -Aunroll.maxUnrolledSteps=" + maxUnrolledSteps + ")", tiled, written);
  }
}
