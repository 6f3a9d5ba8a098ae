package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.Gradients;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The arrays of a written-out LSTM layer ({@link DLstmBuffers}, {@link FLstmBuffers}): their sizes,
 * when they are allocated and zeroed, Keras's initialisation; and the check of a reused Gradients.
 */
class LstmBuffersTest {
  /** 2 units, 3 features, 4 timesteps: G = 8 columns. */
  static final class D extends DLstmBuffers {
    D(boolean useBias, boolean returnSequences) {
      super(2, 3, 4, useBias, true, returnSequences);
    }
  }

  static final class F extends FLstmBuffers {
    F() {
      super(2, 3, 4, true, true, false);
    }
  }

  @Test
  void weightsHaveTheirKerasSizesAndNoBiasWithoutUseBias() {
    D d = new D(true, false);
    assertEquals(3 * 8, d.kernel.length);
    assertEquals(2 * 8, d.recurrentKernel.length);
    assertEquals(8, d.bias.length);
    assertEquals(8, d.dz.length);
    D noBias = new D(false, false);
    assertNull(noBias.bias);
    assertNull(noBias.dBias);
    noBias.startBackward(); // zeroes what exists
  }

  @Test
  void resizeAllocatesOnlyWhenTheBatchChanges() {
    D d = new D(true, false);
    d.resize(5);
    assertEquals(4 * 5 * 3, d.x.length);
    assertEquals(5 * 5 * 2, d.h.length);
    assertEquals(5 * 5 * 2, d.c.length);
    assertEquals(4 * 5 * 10, d.kept.length);
    double[] h = d.h;
    d.resize(5);
    assertSame(h, d.h);
    d.resize(6);
    assertNotSame(h, d.h);
  }

  @Test
  void startBackwardSizesOnceThenZeroesTheSumsAndCarries() {
    D d = new D(true, true);
    d.resize(5);
    d.startBackward();
    assertEquals(4 * 5 * 3, d.dx.length);
    assertEquals(4 * 5 * 2, d.dhSeq.length);
    assertEquals(5 * 2, d.dh.length);
    double[] dx = d.dx;
    Arrays.fill(d.dKernel, 1);
    Arrays.fill(d.dRecurrentKernel, 1);
    Arrays.fill(d.dBias, 1);
    Arrays.fill(d.dh, 1);
    Arrays.fill(d.dc, 1);
    d.startBackward();
    assertSame(dx, d.dx);
    for (double[] a : List.of(d.dKernel, d.dRecurrentKernel, d.dBias, d.dh, d.dc)) {
      assertArrayEquals(new double[a.length], a);
    }
    d.resize(6); // a new batch size: the backward buffers are sized again on the next backward pass
    assertNull(d.dx);
    d.startBackward();
    assertEquals(6 * 2, d.dh.length);
  }

  @Test
  void initialStateIsBlockZeroOfHAndC() {
    D d = new D(true, false);
    d.resize(2);
    Arrays.fill(d.h, 7);
    Arrays.fill(d.c, 7);
    d.initialState(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8});
    assertArrayEquals(new double[] {1, 2, 3, 4}, Arrays.copyOf(d.h, 4));
    assertArrayEquals(new double[] {5, 6, 7, 8}, Arrays.copyOf(d.c, 4));
    d.initialState(null, null);
    assertArrayEquals(new double[4], Arrays.copyOf(d.h, 4));
    assertArrayEquals(new double[4], Arrays.copyOf(d.c, 4));
    assertEquals(7, d.h[4]); // only block 0
  }

  @Test
  void initializeIsKerasAndTheFloatTwinDrawsTheSameValues() {
    D d = new D(true, false);
    F f = new F();
    d.initialize(new SplittableRandom(42));
    f.initialize(new SplittableRandom(42));
    double[] expectedBias = {0, 0, 1, 1, 0, 0, 0, 0}; // zeros, the forget block [U, 2U) at 1
    assertArrayEquals(expectedBias, d.bias);
    double limit = Math.sqrt(6.0 / (3 + 8)); // glorot_uniform
    for (int i = 0; i < d.kernel.length; i++) {
      assertEquals(true, Math.abs(d.kernel[i]) <= limit, "kernel[" + i + "] within the glorot limit");
      assertEquals(d.kernel[i], f.kernel[i], 1e-6);
    }
    for (int i = 0; i < d.recurrentKernel.length; i++) {
      assertEquals(d.recurrentKernel[i], f.recurrentKernel[i], 1e-6);
    }
    // orthogonal: the 2 rows of U (2, 8) are orthonormal
    for (int r = 0; r < 2; r++) {
      for (int s = 0; s < 2; s++) {
        double dot = 0;
        for (int j = 0; j < 8; j++) {
          dot += d.recurrentKernel[8 * r + j] * d.recurrentKernel[8 * s + j];
        }
        assertEquals(r == s ? 1 : 0, dot, 1e-12);
      }
    }
  }

  @Test
  void aReusedGradientsIsCheckedOncePerBatchSize() {
    ModelTable table = new ModelTable(new String[] {"lstm kernel"}, new int[][] {{2, 4}}, "lstm",
        new String[] {"h", "c"}, 1, 3, 2);
    GradientsCheck check = new GradientsCheck(table);
    Gradients fresh = check.check(null, 5);
    assertEquals(List.of(5, 3, 2), List.of(fresh.input().dim(0), fresh.input().dim(1), fresh.input().dim(2)));
    assertNotSame(fresh, check.check(null, 5)); // null: new gradients on every call
    assertSame(fresh, check.check(fresh, 5));
    // the same object at another batch size is checked again, and rejected with both shapes named
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> check.check(fresh, 4));
    assertEquals(true, e.getMessage().contains("(4, 3, 2)") && e.getMessage().contains("(5, 3, 2)"), e.getMessage());
    Gradients wrong = new Gradients(List.of(Tensor.zeros(2, 5)), Tensor.zeros(5, 3, 2),
        List.of(Tensor.zeros(5, 1), Tensor.zeros(5, 1)));
    assertThrows(ShapeMismatchException.class, () -> check.check(wrong, 5));
    assertThrows(ShapeMismatchException.class, () -> check.check(wrong, 5)); // a failed check is not remembered
  }
}
