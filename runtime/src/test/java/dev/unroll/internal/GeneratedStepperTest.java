package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The part of every generated stepper that the runtime holds: the layout of a saved state, and saving,
 * restoring and resetting it, in both precisions. (Generated steppers are tested through the models in
 * the processor's and the examples' tests.)
 */
class GeneratedStepperTest {

  /** A stepper whose step adds x to h and counts in c, over two layers' worth of state. */
  static final class Doubles extends GeneratedStepper {
    final double[] h;
    final double[] c;
    final double[] h2;

    Doubles() {
      super(2, 2, new String[] {"lstm h", "lstm c", "gru h"}, new double[2], new double[2], new double[3]);
      h = state(0);
      c = state(1);
      h2 = state(2);
    }

    @Override
    public void step(double[] input, double[] result) {
      checkStep(input, result);
      for (int i = 0; i < 2; i++) {
        h[i] += input[i];
        c[i] += 1;
        result[i] = h[i];
      }
      h2[0] = h[0] + h[1];
    }
  }

  static final class Floats extends GeneratedStepper {
    final float[] h;

    Floats() {
      super(1, 1, new String[] {"gru h"}, new float[3]);
      h = stateFloats(0);
    }

    @Override
    public void step(double[] input, double[] result) {
      checkStep(input, result);
      h[0] += (float) input[0];
      result[0] = h[0];
    }
  }

  @Test
  void layoutGroupsTheArraysByLayer() {
    Doubles s = new Doubles();
    assertEquals("lstm: h [0, 2), c [2, 4); gru: h [4, 7)", s.stateLayout());
    assertEquals(7, s.stateSize());
    assertEquals(2, s.inputSize());
    assertEquals(2, s.outputSize());
    assertEquals("no state: no recurrent layer", GeneratedStepper.layout(new String[0], new int[0]));
  }

  @Test
  void saveRestoreAndResetMoveEveryArray() {
    Doubles s = new Doubles();
    s.step(new double[] {1, 2});
    s.step(new double[] {0.5, -1});
    double[] saved = s.state();
    assertArrayEquals(new double[] {1.5, 1, 2, 2, 2.5, 0, 0}, saved);
    s.reset();
    assertArrayEquals(new double[7], s.state());
    s.restore(saved);
    assertArrayEquals(saved, s.state());
    assertArrayEquals(new double[] {2.5, 2}, s.step(new double[] {1, 1}));
  }

  @Test
  void float32StateIsWidenedAndRoundedBack() {
    Floats s = new Floats();
    s.step(new double[] {0.1});
    double[] saved = s.state();
    assertEquals((double) 0.1f, saved[0]);
    s.reset();
    s.restore(saved);
    assertEquals(0.1f, s.h[0]);
  }

  @Test
  void mistakesNameTheLengthsAndTheValue() {
    Doubles s = new Doubles();
    assertEquals("step: expected x of length 2 and an output of length 2, found 3 and 2",
        assertThrows(IllegalArgumentException.class, () -> s.step(new double[3], new double[2])).getMessage());
    assertEquals("state: expected an array of length 7 (lstm: h [0, 2), c [2, 4); gru: h [4, 7)), found length 6",
        assertThrows(IllegalArgumentException.class, () -> s.state(new double[6])).getMessage());
    s.step(new double[] {1, 1});
    double[] before = s.state();
    double[] bad = new double[7];
    bad[5] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restore(bad));
    assertEquals("restore: gru h[1] (state index 5) is NaN; a saved state is finite", e.getMessage());
    assertArrayEquals(before, s.state(), "nothing written");
  }
}
