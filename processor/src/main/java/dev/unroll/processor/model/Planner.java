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
 *
 * <p>Its choices are made at compile time: the time loop's form, and whether a layer's step is written
 * out in full or calls the runtime's kernels. For a layer that calls the kernels, the form of the step
 * (h_{t-1} @ U sample by sample, or in tiles for all samples at once) is not chosen here: the faster
 * one depends on the kernels that run, so the generated class has both and asks
 * {@code Kernels.prefersTiled} when it is initialised.
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

  public Plan plan(ModelSpec model) {
    List<Plan.LayerPlan> plans = new ArrayList<>();
    for (LstmLayer layer : model.lstmLayers()) {
      plans.add(plan(layer, model.float32()));
    }
    return new Plan(plans);
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

  /**
   * The size of U, (units, 4*units) values of 4 or 8 bytes: what a layer not written out passes to the
   * runtime's {@code Kernels.prefersTiled}, which chooses the form of its step when the generated class
   * is initialised (it depends on the kernels that run, which the processor cannot know).
   */
  public static long recurrentKernelBytes(LstmLayer layer, boolean float32) {
    return (long) layer.units() * layer.gates() * (float32 ? 4 : 8);
  }

  Plan.LayerPlan plan(LstmLayer layer, boolean float32) {
    boolean written = writtenOut(layer);
    int t = layer.timesteps();
    int unrolledBytes = FIXED_BYTES + BYTES_PER_STEP_CALL * t;
    if (t > maxUnrolledSteps) {
      return new Plan.LayerPlan(layer, false, FIXED_BYTES,
          "rolled into a loop over " + t + " timesteps (more than -Aunroll.maxUnrolledSteps=" + maxUnrolledSteps + ")",
          written);
    }
    if (unrolledBytes > METHOD_BUDGET) {
      return new Plan.LayerPlan(layer, false, FIXED_BYTES,
          "rolled into a loop over " + t + " timesteps (unrolled, its methods would need about "
              + unrolledBytes + " bytes of bytecode, over the budget of " + METHOD_BUDGET
              + " that keeps them under HotSpot's JIT limit of " + HUGE_METHOD_LIMIT + ")", written);
    }
    return new Plan.LayerPlan(layer, true, unrolledBytes,
        "unrolled over " + t + (t == 1 ? " timestep" : " timesteps")
            + " (up to -Aunroll.maxUnrolledSteps=" + maxUnrolledSteps + ")", written);
  }
}
