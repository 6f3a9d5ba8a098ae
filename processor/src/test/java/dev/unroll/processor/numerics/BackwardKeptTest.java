package dev.unroll.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.TestModels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code backward(dOutput, into)} backpropagates through the forward pass of the last predict,
 * giving exactly what {@code gradients(x, null, dOutput, into)} gives, and refuses when no forward
 * pass is kept.
 */
class BackwardKeptTest {
  private static TestModels.Compiled compiled;

  @BeforeAll
  static void compile() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("Stack", "@Lstm(units = 5, timesteps = 4, features = 3, returnSequences = true)\n"
        + "@Lstm(units = 3, goBackwards = true)\n@Dense(units = 2, activation = Activation.TANH)");
    d.put("Seq32", "@Float32\n@Lstm(units = 4, timesteps = 6, features = 2, returnSequences = true)\n@Dense(units = 1)");
    compiled = TestModels.compile(d);
  }

  private static Tensor random(Random rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = rng.nextDouble() * 2 - 1;
    }
    return t;
  }

  @Test
  void backwardAfterPredictEqualsGradients() {
    for (String name : new String[] {"Stack", "Seq32"}) {
      SequenceModel model = TestModels.newModel(compiled.get(name), 7);
      Random rng = new Random(3);
      int[] in = model.inputShape();
      int[] out = model.outputShape();
      Tensor x = random(rng, 3, in[0], in[1]);
      int[] outShape = new int[out.length + 1];
      outShape[0] = 3;
      System.arraycopy(out, 0, outShape, 1, out.length);
      Tensor dOut = random(rng, outShape);
      Gradients expected = model.gradients(x, dOut);
      model.predict(x);
      Gradients kept = model.backward(dOut, null);
      for (int i = 0; i < expected.weights().size(); i++) {
        assertArrayEquals(expected.weights().get(i).data(), kept.weights().get(i).data(), 0.0, name + " weight " + i);
      }
      assertArrayEquals(expected.input().data(), kept.input().data(), 0.0, name + " input");
      // reusing into, twice: no accumulation
      model.backward(dOut, kept);
      assertArrayEquals(expected.input().data(), kept.input().data(), 0.0, name + " input, reused");
    }
  }

  @Test
  void refusesWithoutAKeptForwardPass() {
    SequenceModel model = TestModels.newModel(compiled.get("Stack"), 1);
    Tensor dOut = Tensor.zeros(2, 2);
    IllegalStateException before = assertThrows(IllegalStateException.class, () -> model.backward(dOut, null));
    assertTrue(before.getMessage().contains("call predict first"), before.getMessage());
    model.predict(Tensor.zeros(2, 4, 3));
    model.backward(dOut, null);
    model.setWeights(model.getWeights());
    assertThrows(IllegalStateException.class, () -> model.backward(dOut, null));
    model.predict(Tensor.zeros(2, 4, 3));
    ShapeMismatchException wrong = assertThrows(ShapeMismatchException.class,
        () -> model.backward(Tensor.zeros(3, 2), null));
    assertTrue(wrong.getMessage().contains("(2, 2)") && wrong.getMessage().contains("(3, 2)"), wrong.getMessage());
  }
}
