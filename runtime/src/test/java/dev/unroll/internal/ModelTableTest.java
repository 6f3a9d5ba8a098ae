package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.Gradients;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of a generated model: the messages its checks give, and its all-or-nothing copies. */
class ModelTableTest {
  private static final ModelTable TABLE = new ModelTable(
      new String[] {"lstm kernel", "lstm recurrent_kernel", "lstm bias"},
      new int[][] {{2, 4}, {1, 4}, {4}},
      "lstm", new String[] {"h", "c"}, 1, 3, 2);

  private static List<Tensor> weights() {
    return List.of(Tensor.zeros(2, 4), Tensor.zeros(1, 4), Tensor.zeros(4));
  }

  @Test
  void theWeightCountIsNamedWithTheList() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TABLE.checkWeights(List.of(Tensor.zeros(2, 4)), "setWeights"));
    assertEquals("setWeights: expected 3 tensors (lstm kernel (2, 4), lstm recurrent_kernel (1, 4), lstm bias (4,)),"
        + " found 1 tensors", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TABLE.checkWeights(null, "setWeights"));
    assertEquals("setWeights: expected 3 tensors (lstm kernel (2, 4), lstm recurrent_kernel (1, 4), lstm bias (4,)),"
        + " found null", e.getMessage());
  }

  @Test
  void aWrongShapeIsNamedByItsLabel() {
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
        () -> TABLE.checkWeights(List.of(Tensor.zeros(2, 4), Tensor.zeros(1, 4), Tensor.zeros(5)), "setWeights"));
    assertEquals(new ShapeMismatchException("setWeights[2] (lstm bias)", "(4,)", "(5,)").getMessage(), e.getMessage());
  }

  @Test
  void setWeightsWritesNothingUnlessEveryTensorIsFinite() {
    double[][] arrays = {new double[8], new double[4], new double[4]};
    List<Tensor> w = weights();
    w.get(0).data()[3] = 1.5;
    w.get(2).data()[1] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TABLE.setWeights(w, arrays));
    assertEquals("setWeights[2] (lstm bias): value NaN at index (1,) is not finite; weights must be finite numbers",
        e.getMessage());
    assertEquals(0.0, arrays[0][3]);
    w.get(2).data()[1] = 2.0;
    TABLE.setWeights(w, arrays);
    assertEquals(1.5, arrays[0][3]);
    assertEquals(2.0, arrays[2][1]);
    assertArrayEquals(w.get(0).data(), TABLE.getWeights(arrays).get(0).data());
  }

  @Test
  void float32ArraysRoundAndWiden() {
    float[][] arrays = {new float[8], new float[4], new float[4]};
    List<Tensor> w = weights();
    w.get(1).data()[2] = 0.1;
    TABLE.setWeights(w, arrays);
    assertEquals(0.1f, arrays[1][2]);
    assertEquals((double) 0.1f, TABLE.getWeights(arrays).get(1).data()[2]);
    List<Tensor> into = weights();
    TABLE.copyGradients(arrays, into);
    assertEquals((double) 0.1f, into.get(1).data()[2]);
  }

  @Test
  void initialStateAndGradients() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TABLE.checkInitialState(List.of(Tensor.zeros(2, 1)), 2, "predict: initialState"));
    assertEquals("predict: initialState: expected [h0, c0] for layer lstm, found 1 tensors", e.getMessage());
    TABLE.checkInitialState(null, 2, "predict: initialState");
    Gradients g = TABLE.checkGradients(null, 2);
    assertArrayEquals(new int[] {2, 3, 2}, g.input().shape());
    assertArrayEquals(new int[] {2, 1}, g.initialState().get(1).shape());
    assertSame(g, TABLE.checkGradients(g, 2));
    Gradients one = new Gradients(weights(), Tensor.zeros(2, 3, 2), List.of(Tensor.zeros(2, 1)));
    e = assertThrows(IllegalArgumentException.class, () -> TABLE.checkGradients(one, 2));
    assertEquals("gradients: into.initialState() must hold 2 tensors (dh0, dc0), found 1", e.getMessage());
  }
}
