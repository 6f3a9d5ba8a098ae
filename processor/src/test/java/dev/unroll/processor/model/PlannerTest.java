package dev.unroll.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner's choices, without javac: unrolled or rolled time loops, and the NOTE on the step's form. */
class PlannerTest {

  private static Plan.LayerPlan plan(int maxSteps, int units, int timesteps, boolean float32) {
    return plan(maxSteps, units, timesteps, 3, float32);
  }

  private static Plan.LayerPlan plan(int maxSteps, int units, int timesteps, int features, boolean float32) {
    LstmLayer layer = LayerDescriptionTest.lstm(units, timesteps, features, true);
    return new Planner(maxSteps).plan(ModelSpec.of("p", "M", List.of(layer), float32)).of(layer);
  }

  @Test
  void unrolledUpToTheOption() {
    Plan.LayerPlan p = plan(32, 8, 32, false);
    assertTrue(p.unrolled());
    assertEquals("unrolled over 32 timesteps (up to -Aunroll.maxUnrolledSteps=32)", p.reason());
    assertEquals(Planner.FIXED_BYTES + Planner.BYTES_PER_STEP_CALL * 32, p.estimatedBytes());
    assertEquals("unrolled over 1 timestep (up to -Aunroll.maxUnrolledSteps=32)", plan(32, 8, 1, false).reason());
  }

  @Test
  void rolledPastTheOption() {
    Plan.LayerPlan p = plan(32, 8, 33, false);
    assertFalse(p.unrolled());
    assertEquals("rolled into a loop over 33 timesteps (more than -Aunroll.maxUnrolledSteps=32)", p.reason());
    assertFalse(plan(0, 1, 1, false).unrolled());
  }

  @Test
  void rolledOverTheBytecodeBudget() {
    int steps = (Planner.METHOD_BUDGET - Planner.FIXED_BYTES) / Planner.BYTES_PER_STEP_CALL + 1;
    Plan.LayerPlan p = plan(100_000, 4, steps, false);
    assertFalse(p.unrolled());
    assertTrue(p.reason().contains("over the budget of " + Planner.METHOD_BUDGET), p.reason());
    assertTrue(plan(100_000, 4, steps - 1, false).unrolled());
  }

  /**
   * The form of a kernel-form step is chosen at run time; the NOTE says how, and what the scalar
   * kernels' threshold gives for this layer's U.
   */
  @Test
  void theNoteSaysTheStepFormIsChosenAtRunTime() {
    // U is (units, 4*units): 181 units of float64 are 1,048,352 bytes, 182 are 1,059,968
    String runTime = "; step on the runtime's kernels, h_{t-1} @ U sample by sample or in tiles of columns for all"
        + " samples at once, chosen at run time when the class is initialised (Kernels.prefersTiled): tiled on the"
        + " Vector API kernels; on the scalar kernels ";
    assertTrue(plan(32, 181, 2, false).note(false).endsWith(runTime + "per sample (U is 1023 KB, at most 1024 KB)"));
    assertTrue(plan(32, 182, 2, false).note(false).endsWith(runTime + "tiled (U is 1035 KB, over 1024 KB)"));
    // float32: 256 units are exactly 1 MB, not over it
    assertTrue(plan(32, 256, 2, true).note(true).endsWith(runTime + "per sample (U is 1024 KB, at most 1024 KB)"));
    assertTrue(plan(32, 257, 2, true).note(true).endsWith(runTime + "tiled (U is 1032 KB, over 1024 KB)"));
  }

  @Test
  void smallLayersAreWrittenOutInFull() {
    // 4*U*(F+U) multiply-adds per step: the seeds' 8 and 12, and the cap of 256 exactly
    assertTrue(plan(32, 1, 1, 1, false).writtenOut());
    assertTrue(plan(32, 1, 1, 2, false).writtenOut());
    assertTrue(plan(32, 4, 1, 12, false).writtenOut());
    assertFalse(plan(32, 4, 1, 13, false).writtenOut());
    // the benchmark's 8-unit layers take the kernels: 4*8*(3+8) = 352
    assertFalse(plan(32, 8, 24, 3, false).writtenOut());
    assertEquals("time loop unrolled over 1 timestep (up to -Aunroll.maxUnrolledSteps=32); step written out in full"
        + " (4*U*(F+U) = 12 multiply-adds per sample, at most 256)", plan(32, 1, 1, 2, false).note(false));
    assertTrue(plan(32, 8, 24, 3, false).note(false).startsWith("time loop unrolled over 24 timesteps"
        + " (up to -Aunroll.maxUnrolledSteps=32); step on the runtime's kernels"));
  }

  @Test
  void refusesNegativeStepCaps() {
    assertThrows(IllegalArgumentException.class, () -> new Planner(-1));
  }
}
